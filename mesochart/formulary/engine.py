"""The formulary's tables, translated for the pure dose engine (``mesochart.core``).

Views, the API, the CLI and the benchmark call these functions; none of them re-implements a
rule. `core_products` builds core Products from the database with their *effective* limits
at a clinic (the shipped limits, each replaced by the clinic's own with the same key), in a
constant number of queries whatever the number of products. `check_plan` reads a PLAN.json
dict through ``core.plan_file.parse_plan`` and checks it with ``core.dose.check``.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pint
from django.db.models import Prefetch

from mesochart.core.dose import (
    Category,
    Component,
    Ingredient,
    Plan,
    Points,
    Product,
    Result,
    Strength,
    Vehicle,
    check,
    mix_concentrations,
)
from mesochart.core.limits import (
    GENERAL_LIMITS,
    Limit,
    LimitKind,
    LimitOverrideError,
    check_override,
    combine_limits,
)
from mesochart.core.plan_file import parse_plan
from mesochart.core.rules import Finding
from mesochart.core.units import ML, Q_, parse_strength
from mesochart.formulary import models as db

# Rules about what is in the syringe, whatever the session: the cocktail builder shows these.
MIX_RULES = frozenset(
    {LimitKind.CONCENTRATION_RANGE, LimitKind.ADMIXTURE_FORBIDDEN, LimitKind.FORBIDDEN_VEHICLES}
)


def products_with_limits(queryset, clinic):
    """``queryset`` of products with what the engine needs prefetched (4 queries in all)."""
    limits = db.Limit.objects.for_clinic(clinic) if clinic else db.Limit.objects.shipped()
    return queryset.prefetch_related(
        Prefetch("composition", queryset=db.Composition.objects.select_related("ingredient")),
        Prefetch("excipients", queryset=db.Ingredient.objects.order_by("name")),
        Prefetch("limits", queryset=limits.order_by("clinic_id", "position", "pk")),
    )


def visible_products(clinic):
    """Shipped products, plus the clinic's organisation's own when a clinic is given."""
    if clinic is None:
        return db.Product.objects.shipped()
    return db.Product.objects.visible_to(clinic.organisation_id)


def core_products(slugs: Iterable[str], clinic=None) -> dict[str, Product]:
    """Core Products by slug for those of ``slugs`` the clinic can see (unknown ones left out).

    Inactive products are included: a plan's history may name one. Limits are the effective
    set at ``clinic`` (shipped only when ``clinic`` is None).
    """
    rows = products_with_limits(visible_products(clinic).filter(slug__in=set(slugs)), clinic)
    return {row.slug: to_core_product(row) for row in rows}


def version_products(version: db.CocktailVersion) -> dict[str, Product]:
    """Core Products of a cocktail version's components, with the limits that apply at the
    cocktail's clinic, from the rows `CocktailVersion.parts` already read."""
    return {part.product.slug: to_core_product(part.product) for part in version.parts}


def to_core_product(row: db.Product) -> Product:
    """A prefetched product row (see `products_with_limits`) as a core Product."""
    strengths = tuple(
        Strength(
            _ingredient(item.ingredient), parse_strength(item.strength) if item.strength else None
        )
        for item in row.composition.all()
    )
    return Product(
        slug=row.slug,
        name=row.name,
        strengths=strengths,
        vehicle=Vehicle(row.vehicle),
        limits=tuple(limit for _, limit, _ in effective_limits(row.limits.all())),
        excipients=tuple(_ingredient(item) for item in row.excipients.all()),
    )


def effective_limits(rows: Iterable[db.Limit]) -> list[tuple[db.Limit, Limit, db.Limit | None]]:
    """The limits that apply, as (row, core limit, shipped row it replaces or None).

    ``combine_limits`` decides. Saving a clinic limit already refuses one looser than a label,
    but a later formulary update may tighten the label under it; then both apply (the engine
    reports whichever is broken), so an update never silently loosens anything.
    """
    shipped: list[tuple[db.Limit, Limit]] = []
    clinic: list[tuple[db.Limit, Limit]] = []
    for row in rows:
        (clinic if row.clinic_id else shipped).append((row, row.to_core()))
    try:
        combine_limits(tuple(c for _, c in shipped), tuple(c for _, c in clinic))
    except LimitOverrideError:
        replaceable = _replaceable(shipped, clinic)
    else:
        replaceable = {limit.key for _, limit in clinic}
    by_key = {limit.key: row for row, limit in shipped}
    kept = [(row, limit, None) for row, limit in shipped if limit.key not in replaceable]
    own = [
        (row, limit, by_key.get(limit.key) if limit.key in replaceable else None)
        for row, limit in clinic
    ]
    return kept + own


def _replaceable(shipped, clinic) -> set:
    keys = set()
    by_key = {limit.key: limit for _, limit in shipped}
    for _, limit in clinic:
        try:
            if limit.key in by_key:
                check_override(by_key[limit.key], limit)
        except LimitOverrideError:
            continue
        keys.add(limit.key)
    return keys


def _ingredient(row: db.Ingredient) -> Ingredient:
    return Ingredient(
        slug=row.slug,
        name=row.name,
        category=Category(row.category),
        synonyms=tuple(row.synonyms),
        allergen_classes=tuple(row.allergen_classes),
    )


def plan_slugs(data: Any) -> set[str]:
    """The product slugs a PLAN.json names (cocktail and history), read leniently.

    Only to know which products to load; ``parse_plan`` then reads the file strictly.
    """
    slugs: set[str] = set()
    if not isinstance(data, dict):
        return slugs
    for item in _list(data.get("cocktail")):
        if isinstance(item, dict) and isinstance(item.get("product"), str):
            slugs.add(item["product"])
    for session in _list(data.get("history")):
        if isinstance(session, dict):
            slugs.update(slug for slug in _list(session.get("products")) if isinstance(slug, str))
    return slugs


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def check_plan(data: Any, clinic=None) -> Result:
    """Check a parsed PLAN.json at ``clinic`` (None: the shipped formulary alone).

    Raises ``core.plan_file.PlanError`` (``field``, ``rule``) when the file is invalid.
    """
    products = core_products(plan_slugs(data), clinic)
    return check(parse_plan(data, products.get))


@dataclass(frozen=True)
class MixPreview:
    """What the cocktail builder shows for a mix: concentrations, rules broken, limits."""

    total_volume_ml: float
    # (ingredient, concentration in mg/mL or IU/mL, or None when a strength is unknown)
    concentrations: tuple[tuple[Ingredient, pint.Quantity | None], ...]
    findings: tuple[Finding, ...]
    # (product, limit) for every effective limit of every product in the mix
    limits: tuple[tuple[Product, Limit], ...]


def mix_preview(volumes_ml: dict[str, Decimal], clinic, today: date) -> MixPreview:
    """The concentration of each ingredient in the mixed syringe, and the mix's findings.

    ``volumes_ml`` maps product slugs the clinic can see to volumes greater than 0. The
    findings come from ``core.dose.check`` on a one-point plan of the whole mix, keeping the
    rules about the mix itself (`MIX_RULES`); session rules wait for the session's plan.
    """
    products = core_products(volumes_ml, clinic)
    components = tuple(
        Component(products[slug], Q_(float(volume), ML)) for slug, volume in volumes_ml.items()
    )
    ingredients = {
        strength.ingredient.slug: strength.ingredient
        for component in components
        for strength in component.product.strengths
    }
    total_ml = sum(component.volume_ml for component in components)
    plan = Plan(today, "any", "any", components, Points(1, Q_(total_ml, ML)))
    result = check(plan, GENERAL_LIMITS)
    return MixPreview(
        total_volume_ml=total_ml,
        concentrations=tuple(
            (ingredients[slug], value) for slug, value in mix_concentrations(components).items()
        ),
        findings=tuple(f for f in result.findings if f.rule in MIX_RULES),
        limits=tuple(
            (component.product, limit)
            for component in sorted(components, key=lambda c: c.product.slug)
            for limit in component.product.limits
        ),
    )
