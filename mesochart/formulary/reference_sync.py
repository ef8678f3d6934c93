"""Load the shipped reference formulary (formulary.json) into the database.

`sync_reference` validates the whole file with ``core.reference.load_products`` first, so a
bad file raises `ReferenceDataError` and changes nothing. It then brings the shipped rows
(organisation null, clinic null) in line with the file inside one transaction: ingredients
and products are upserted by slug, a product's composition, excipients and limits are
replaced when they differ from the file, and a shipped product the file no longer lists is
deactivated (lots and history still name it). An organisation's or a clinic's rows are never
touched. When nothing changed it only reads: a handful of queries, whatever the file's size.

It runs after every ``migrate`` (post_migrate, like contenttypes) and from
``mesochart formulary load``.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import DEFAULT_DB_ALIAS, transaction

from mesochart.core.limits import DEFAULT_SEVERITY, Origin
from mesochart.core.reference import ReferenceDataError, load_products, read_shipped_formulary
from mesochart.formulary.models import (
    Composition,
    Ingredient,
    Limit,
    Product,
    ProductExcipient,
)

STEPS = 6

_INGREDIENT_FIELDS = (
    "name",
    "category",
    "synonyms",
    "allergen_classes",
    "is_excipient",
    "note",
)
_PRODUCT_FIELDS = (
    "name",
    "brand_names",
    "manufacturer",
    "form",
    "container_volume_ml",
    "vehicle",
    "note",
    "active",
)
_LIMIT_FIELDS = (
    "kind",
    "severity",
    "origin",
    "source",
    "ingredient",
    "maximum",
    "minimum",
    "per_kg",
    "count",
    "days",
    "months",
    "names",
    "note",
)


@dataclass
class SyncReport:
    """What a sync changed; all zero when the database already matched the file."""

    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    deactivated: int = 0

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()) or self.deactivated)

    def summary(self) -> str:
        """E.g. "created 25 ingredients, 25 products; replaced limits of 2 products"."""
        if not self.changed:
            return "already up to date"
        parts = []
        created = [f"{n} {what}" for what, n in self.created.items() if n]
        if created:
            parts.append("created " + ", ".join(created))
        rows = ("ingredients", "products")
        updated = [f"{n} {what}" for what, n in self.updated.items() if n and what in rows]
        if updated:
            parts.append("updated " + ", ".join(updated))
        replaced = [
            f"{what} of {n} products" for what, n in self.updated.items() if n and what not in rows
        ]
        if replaced:
            parts.append("replaced the " + ", ".join(replaced))
        if self.deactivated:
            parts.append(f"deactivated {self.deactivated} products no longer in the file")
        return "; ".join(parts)


def sync_reference(
    data: dict[str, Any] | None = None,
    progress: Callable[[int], None] | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> SyncReport:
    """Bring the shipped rows in line with ``data`` (default: the shipped formulary.json).

    Raises ReferenceDataError naming the first problem, before writing anything.
    ``progress`` is called with 1 after each of the `STEPS` steps.
    """
    data = read_shipped_formulary() if data is None else data
    load_products(data)  # the core's validation: sources, units, kinds, references
    _check_namespaces(data)
    advance = progress or (lambda n: None)
    report = SyncReport()
    with transaction.atomic(using=using):
        ingredients = _sync_ingredients(data, report, using)
        advance(1)
        products = _sync_products(data, report, using)
        advance(1)
        rows = {p["slug"]: p for p in data["products"]}
        _replace_children(
            Composition,
            products,
            {slug: _composition(rows[slug], ingredients) for slug in rows},
            ("ingredient_id", "strength", "source", "note", "position"),
            report,
            using,
        )
        advance(1)
        _replace_children(
            ProductExcipient,
            products,
            {slug: _excipients(rows[slug], ingredients) for slug in rows},
            ("ingredient_id", "source"),
            report,
            using,
        )
        advance(1)
        _replace_children(
            Limit,
            products,
            {slug: _limits(rows[slug]) for slug in rows},
            (*_LIMIT_FIELDS, "position"),
            report,
            using,
            extra_filter={"clinic__isnull": True},
        )
        advance(1)
        gone = list(
            Product.objects.using(using)
            .shipped()
            .filter(active=True)
            .exclude(slug__in=list(rows))
            .values_list("pk", flat=True)
        )
        if gone:
            Product.objects.using(using).filter(pk__in=gone).update(active=False)
        report.deactivated = len(gone)
        advance(1)
    return report


def sync_after_migrate(sender, using=DEFAULT_DB_ALIAS, apps=None, **kwargs) -> None:
    """post_migrate receiver: sync when this app's tables are at the current schema.

    Migrating backwards (or to a migration before the current one) leaves tables that the
    models do not match; the sync then waits for the next full migrate.
    """
    if apps is not None and not _schema_is_current(apps):
        return
    sync_reference(using=using)


def _schema_is_current(apps) -> bool:
    for model in (Ingredient, Product, Composition, ProductExcipient, Limit):
        try:
            historical = apps.get_model("formulary", model.__name__)
        except LookupError:
            return False
        names = {f.column for f in historical._meta.concrete_fields}
        if names != {f.column for f in model._meta.concrete_fields}:
            return False
    return True


def _check_namespaces(data: dict[str, Any]) -> None:
    """Ingredients and excipients share one table, so a slug may be in only one list."""
    ingredient_slugs = {item["slug"] for item in data["ingredients"]}
    for index, item in enumerate(data["excipients"]):
        if item["slug"] in ingredient_slugs:
            raise ReferenceDataError(f"excipients[{index}].slug", "is also an ingredient")


def _sync_ingredients(data, report: SyncReport, using: str) -> dict[str, int]:
    wanted = {
        item["slug"]: {
            "name": item["name"],
            "category": item["category"],
            "synonyms": list(item.get("synonyms", [])),
            "allergen_classes": list(item.get("allergen_classes", [])),
            "is_excipient": is_excipient,
            "note": item.get("note") or "",
        }
        for key, is_excipient in (("ingredients", False), ("excipients", True))
        for item in data[key]
    }
    return _upsert(Ingredient, wanted, _INGREDIENT_FIELDS, "ingredients", report, using)


def _sync_products(data, report: SyncReport, using: str) -> dict[str, int]:
    wanted = {
        item["slug"]: {
            "name": item["name"],
            "brand_names": list(item.get("brand_names", [])),
            "manufacturer": item.get("manufacturer") or "",
            "form": item.get("form") or "",
            "container_volume_ml": _decimal(item.get("container_volume_ml")),
            "vehicle": item["vehicle"],
            "note": item.get("note") or "",
            "active": True,
        }
        for item in data["products"]
    }
    return _upsert(Product, wanted, _PRODUCT_FIELDS, "products", report, using)


def _upsert(model, wanted: dict, fields: tuple, label: str, report: SyncReport, using: str):
    """Shipped rows of ``model`` by slug: create the missing, update the different."""
    existing = {row.slug: row for row in model.objects.using(using).shipped()}
    to_create, to_update = [], []
    for slug, values in wanted.items():
        row = existing.get(slug)
        if row is None:
            to_create.append(model(slug=slug, organisation=None, **values))
        elif any(getattr(row, name) != values[name] for name in fields):
            for name in fields:
                setattr(row, name, values[name])
            to_update.append(row)
    created = model.objects.using(using).bulk_create(to_create)
    if to_update:
        model.objects.using(using).bulk_update(to_update, fields)
    report.created[label] += len(created)
    report.updated[label] += len(to_update)
    ids = {slug: row.pk for slug, row in existing.items()}
    ids.update({row.slug: row.pk for row in created})
    return ids


def _replace_children(
    model,
    products: dict[str, int],
    wanted: dict[str, list[dict]],
    fields: tuple,
    report: SyncReport,
    using: str,
    extra_filter: dict | None = None,
) -> None:
    """Replace a shipped product's rows of ``model`` where they differ from the file."""
    rows = model.objects.using(using).filter(
        product__organisation__isnull=True, **(extra_filter or {})
    )
    have: dict[int, list[tuple]] = defaultdict(list)
    for row in rows.order_by("pk"):
        have[row.product_id].append(tuple(getattr(row, name) for name in fields))
    stale: list = []
    fresh: list = []
    for slug, items in wanted.items():
        product_id = products[slug]
        if have.get(product_id, []) != [tuple(item[name] for name in fields) for item in items]:
            stale.append(product_id)
            fresh.extend(model(product_id=product_id, **item) for item in items)
    if stale:
        rows.filter(product_id__in=stale).delete()
        model.objects.using(using).bulk_create(fresh)
        report.updated[model._meta.verbose_name_plural] += len(stale)


def _composition(product: dict, ingredients: dict[str, int]) -> list[dict]:
    return [
        {
            "ingredient_id": ingredients[item["ingredient"]],
            "strength": item["strength"],
            "source": item.get("source") or "",
            "note": item.get("note") or "",
            "position": position,
        }
        for position, item in enumerate(product["composition"])
    ]


def _excipients(product: dict, ingredients: dict[str, int]) -> list[dict]:
    return [
        {"ingredient_id": ingredients[item["excipient"]], "source": item["source"]}
        for item in product.get("excipients", [])
    ]


def _limits(product: dict) -> list[dict]:
    return [
        {
            "kind": item["kind"],
            "severity": item.get("severity") or DEFAULT_SEVERITY[Origin(item["origin"])].value,
            "origin": item["origin"],
            "source": item["source"],
            "ingredient": item.get("ingredient") or "",
            "maximum": item.get("maximum") or "",
            "minimum": item.get("minimum") or "",
            "per_kg": item.get("per_kg") or "",
            "count": item.get("count"),
            "days": item.get("days"),
            "months": item.get("months"),
            "names": sorted(item.get("names", [])),
            "note": item.get("note") or "",
            "position": position,
        }
        for position, item in enumerate(product["limits"])
    ]


def _decimal(value) -> Decimal | None:
    """As the column stores it (two decimal places), so an unchanged value compares equal."""
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))
