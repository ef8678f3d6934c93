"""Load the reference formulary (formulary.json) into core `Product`s.

The shipped file is mesochart/formulary/reference/formulary.json; the Django formulary app
stores the same data in its tables, and tests, the CLI and the engine use this loader on the
file. Loading is strict (see `fields`) and checks the data's integrity as well as its shape:
every strength and limit cites a source listed in the file's ``sources``, every ingredient a
limit or composition names exists, and a strength left unknown (null) carries a note saying so.

Product metadata the engine does not use (brand names, manufacturer, form, container volume,
notes) is validated for type and left to the Django side.
"""

import json
from pathlib import Path
from typing import Any, TypeVar

import pint

from mesochart.core.dose import Category, Ingredient, Product, Strength, Vehicle
from mesochart.core.fields import (
    FieldError,
    join,
    read_list,
    read_object,
    read_positive,
    read_slug,
    read_text,
    read_whole,
)
from mesochart.core.limits import Limit, LimitKind, Origin, Severity
from mesochart.core.units import parse_quantity, parse_strength

SHIPPED_FORMULARY = Path(__file__).resolve().parents[1] / "formulary/reference/formulary.json"
FORMAT = "mesochart-formulary"


_Choice = TypeVar("_Choice", Category, LimitKind, Origin, Severity, Vehicle)


class ReferenceDataError(FieldError):
    """Invalid formulary data: ``field`` is the path in the file, ``rule`` what it breaks."""


def read_shipped_formulary() -> dict[str, Any]:
    """The shipped formulary as parsed JSON."""
    return json.loads(SHIPPED_FORMULARY.read_text(encoding="utf-8"))


def load_shipped_products() -> dict[str, Product]:
    """The shipped formulary's products by slug."""
    return load_products(read_shipped_formulary())


def load_products(data: dict[str, Any]) -> dict[str, Product]:
    """Products by slug from formulary data; ReferenceDataError names the first problem."""
    try:
        return _products(data)
    except ReferenceDataError:
        raise
    except FieldError as error:
        raise ReferenceDataError(error.field, error.rule) from None


def limit_from_dict(data: Any, path: str, sources: frozenset[str]) -> Limit:
    """One limit as the formulary writes it, e.g. ``{"kind": "volume_per_session",
    "maximum": "10 mL", "origin": "label", "severity": "block", "source": "..."}``.

    ``source`` must be one of ``sources``; quantities are text with units ("4.5 mg/kg").
    """
    entry = read_object(
        data,
        path,
        required=("kind", "origin", "source"),
        optional=(
            *("severity", "ingredient", "maximum", "minimum", "per_kg"),
            *("count", "days", "months", "names", "note"),
        ),
    )
    values: dict[str, Any] = {
        "kind": _choice(entry["kind"], LimitKind, join(path, "kind")),
        "origin": _choice(entry["origin"], Origin, join(path, "origin")),
        "source": _source(entry["source"], join(path, "source"), sources),
    }
    if "severity" in entry:
        values["severity"] = _choice(entry["severity"], Severity, join(path, "severity"))
    if "ingredient" in entry:
        values["ingredient"] = read_slug(entry["ingredient"], join(path, "ingredient"))
    for key in ("maximum", "minimum", "per_kg"):
        if key in entry:
            values[key] = _quantity(entry[key], join(path, key))
    for key in ("count", "days", "months"):
        if key in entry:
            values[key] = read_whole(entry[key], join(path, key))
    if "names" in entry:
        names = read_list(entry["names"], join(path, "names"), non_empty=True)
        values["names"] = frozenset(
            read_slug(name, join(join(path, "names"), index)) for index, name in enumerate(names)
        )
    if "note" in entry:
        values["note"] = read_text(entry["note"], join(path, "note"))
    try:
        return Limit(**values)
    except ValueError as error:
        raise ReferenceDataError(path, str(error)) from None


def _products(data: Any) -> dict[str, Product]:
    root = read_object(
        data,
        "",
        required=("format", "version", "sources", "ingredients", "excipients", "products"),
        optional=("description",),
    )
    if root["format"] != FORMAT:
        raise ReferenceDataError("format", f"must be {FORMAT!r}")
    read_text(root["version"], "version")
    sources = frozenset(
        read_text(source, join("sources", index))
        for index, source in enumerate(read_list(root["sources"], "sources", non_empty=True))
    )
    ingredients = _ingredients(root["ingredients"], "ingredients")
    excipients = _ingredients(root["excipients"], "excipients")
    products: dict[str, Product] = {}
    for index, item in enumerate(read_list(root["products"], "products", non_empty=True)):
        product = _product(item, join("products", index), ingredients, excipients, sources)
        if product.slug in products:
            raise ReferenceDataError(join(join("products", index), "slug"), "is listed twice")
        products[product.slug] = product
    return products


def _ingredients(value: Any, path: str) -> dict[str, Ingredient]:
    ingredients: dict[str, Ingredient] = {}
    for index, item in enumerate(read_list(value, path)):
        item_path = join(path, index)
        entry = read_object(
            item,
            item_path,
            required=("slug", "name", "category"),
            optional=("synonyms", "allergen_classes", "note"),
        )
        slug = read_slug(entry["slug"], join(item_path, "slug"))
        if slug in ingredients:
            raise ReferenceDataError(join(item_path, "slug"), "is listed twice")
        ingredients[slug] = Ingredient(
            slug=slug,
            name=read_text(entry["name"], join(item_path, "name")),
            category=_choice(entry["category"], Category, join(item_path, "category")),
            synonyms=_texts(entry.get("synonyms", []), join(item_path, "synonyms")),
            allergen_classes=_texts(
                entry.get("allergen_classes", []), join(item_path, "allergen_classes")
            ),
        )
    return ingredients


def _product(
    value: Any,
    path: str,
    ingredients: dict[str, Ingredient],
    excipients: dict[str, Ingredient],
    sources: frozenset[str],
) -> Product:
    entry = read_object(
        value,
        path,
        required=("slug", "name", "vehicle", "composition", "limits"),
        optional=(
            *("brand_names", "manufacturer", "form", "container_volume_ml"),
            *("excipients", "note"),
        ),
    )
    _metadata(entry, path)
    strengths = tuple(
        _strength(item, join(join(path, "composition"), index), ingredients, sources)
        for index, item in enumerate(read_list(entry["composition"], join(path, "composition")))
    )
    limits = []
    for index, item in enumerate(read_list(entry["limits"], join(path, "limits"))):
        limit_path = join(join(path, "limits"), index)
        limit = limit_from_dict(item, limit_path, sources)
        if limit.ingredient is not None and limit.ingredient not in ingredients:
            raise ReferenceDataError(
                join(limit_path, "ingredient"), f"unknown ingredient '{limit.ingredient}'"
            )
        limits.append(limit)
    slug = read_slug(entry["slug"], join(path, "slug"))
    name = read_text(entry["name"], join(path, "name"))
    vehicle = _choice(entry["vehicle"], Vehicle, join(path, "vehicle"))
    found_excipients = _excipients(entry.get("excipients", []), path, excipients, sources)
    try:
        return Product(slug, name, strengths, vehicle, tuple(limits), found_excipients)
    except ValueError as error:  # an ingredient listed twice
        raise ReferenceDataError(join(path, "composition"), str(error)) from None


def _metadata(entry: dict[str, Any], path: str) -> None:
    _texts(entry.get("brand_names", []), join(path, "brand_names"))
    for key in ("manufacturer", "form", "note"):
        if entry.get(key) is not None:
            read_text(entry[key], join(path, key))
    if entry.get("container_volume_ml") is not None:
        read_positive(entry["container_volume_ml"], join(path, "container_volume_ml"))


def _strength(
    value: Any, path: str, ingredients: dict[str, Ingredient], sources: frozenset[str]
) -> Strength:
    entry = read_object(
        value, path, required=("ingredient", "strength"), optional=("source", "note")
    )
    slug = read_slug(entry["ingredient"], join(path, "ingredient"))
    if slug not in ingredients:
        raise ReferenceDataError(join(path, "ingredient"), f"unknown ingredient '{slug}'")
    if entry.get("note") is not None:
        read_text(entry["note"], join(path, "note"))
    if entry["strength"] is None:
        if entry.get("note") is None:
            raise ReferenceDataError(join(path, "note"), "an unknown strength needs a note")
        return Strength(ingredients[slug], None)
    _source(entry.get("source"), join(path, "source"), sources)
    text = read_text(entry["strength"], join(path, "strength"))
    try:
        return Strength(ingredients[slug], parse_strength(text))
    except ValueError as error:
        raise ReferenceDataError(join(path, "strength"), str(error)) from None


def _excipients(
    value: Any, path: str, excipients: dict[str, Ingredient], sources: frozenset[str]
) -> tuple[Ingredient, ...]:
    found = []
    for index, item in enumerate(read_list(value, join(path, "excipients"))):
        item_path = join(join(path, "excipients"), index)
        entry = read_object(item, item_path, required=("excipient", "source"))
        slug = read_slug(entry["excipient"], join(item_path, "excipient"))
        if slug not in excipients:
            raise ReferenceDataError(join(item_path, "excipient"), f"unknown excipient '{slug}'")
        _source(entry["source"], join(item_path, "source"), sources)
        found.append(excipients[slug])
    return tuple(found)


def _source(value: Any, path: str, sources: frozenset[str]) -> str:
    text = read_text(value, path)
    if text not in sources:
        raise ReferenceDataError(path, f"{text!r} is not in the file's sources")
    return text


def _choice(value: Any, enum: type[_Choice], path: str) -> _Choice:
    choices = sorted(member.value for member in enum)
    if not isinstance(value, str) or value not in choices:
        raise ReferenceDataError(path, f"must be one of {choices}")
    return enum(value)


def _quantity(value: Any, path: str) -> pint.Quantity:
    text = read_text(value, path)
    try:
        return parse_quantity(text)
    except ValueError as error:
        raise ReferenceDataError(path, str(error)) from None


def _texts(value: Any, path: str) -> tuple[str, ...]:
    return tuple(
        read_text(item, join(path, index)) for index, item in enumerate(read_list(value, path))
    )
