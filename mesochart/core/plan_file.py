"""PLAN.json: read a planned session into a `dose.Plan`, and render a `dose.Result` as JSON.

The format is documented in docs/plan-format.md. Reading is strict (see `fields`): the first
problem raises `PlanError(field, rule)`, whose text names the field and the rule, e.g.
``cocktail[1].volume_ml: must be greater than 0``; the CLI prints it and exits 2, and the API
returns it as a field error. Products are resolved through a lookup function so the same
parser serves the shipped reference formulary and a clinic's database.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

import pint

from mesochart.core.dose import Component, PastSession, Plan, Points, Product, Result
from mesochart.core.fields import (
    FieldError,
    join,
    read_date,
    read_list,
    read_object,
    read_positive,
    read_slug,
    read_whole,
)
from mesochart.core.limits import exceeds, falls_short
from mesochart.core.rules import Finding
from mesochart.core.units import ML, Q_, format_unit, parse_volume

ProductLookup = Callable[[str], Product | None]


class PlanError(FieldError):
    """An invalid plan file: ``field`` is the dotted path, ``rule`` what it breaks."""


def parse_plan(data: Any, lookup: ProductLookup) -> Plan:
    """The `Plan` that ``data`` (parsed PLAN.json) describes, or PlanError for the first problem."""
    try:
        return _plan(data, lookup)
    except PlanError:
        raise
    except FieldError as error:
        raise PlanError(error.field, error.rule) from None


def _plan(data: Any, lookup: ProductLookup) -> Plan:
    root = read_object(
        data,
        "",
        required=("date", "area", "technique", "cocktail", "points"),
        optional=("patient", "history"),
    )
    day = read_date(root["date"], "date")
    area = read_slug(root["area"], "area")
    technique = read_slug(root["technique"], "technique")
    components = _cocktail(root["cocktail"], lookup)
    points = _points(root["points"])
    weight_kg = _weight_kg(root.get("patient"))
    history = _history(root.get("history", []), lookup, day)
    cocktail_ml = sum(component.volume_ml for component in components)
    points_ml = points.count * points.volume_each_ml
    if exceeds(cocktail_ml, points_ml) or falls_short(cocktail_ml, points_ml):
        raise PlanError(
            "cocktail",
            f"the volumes add up to {cocktail_ml:g} mL but the points take "
            f"{points.count} × {points.volume_each_ml:g} mL = {points_ml:g} mL",
        )
    return Plan(day, area, technique, components, points, weight_kg, history)


def _cocktail(value: Any, lookup: ProductLookup) -> tuple[Component, ...]:
    components = []
    seen = set()
    for index, item in enumerate(read_list(value, "cocktail", non_empty=True)):
        path = join("cocktail", index)
        entry = read_object(item, path, required=("product",), optional=("volume_ml", "volume"))
        slug = read_slug(entry["product"], join(path, "product"))
        product = lookup(slug)
        if product is None:
            raise PlanError(join(path, "product"), f"unknown product '{slug}'")
        if slug in seen:
            raise PlanError(join(path, "product"), f"'{slug}' is already in the cocktail")
        seen.add(slug)
        volume = _volume(entry, path, "volume_ml", "volume")
        components.append(Component(product, volume))
    return tuple(components)


def _points(value: Any) -> Points:
    entry = read_object(
        value,
        "points",
        required=("count",),
        optional=("volume_ml_each", "volume_each", "depth_mm", "spacing_cm"),
    )
    return Points(
        count=read_whole(entry["count"], "points.count"),
        volume_each=_volume(entry, "points", "volume_ml_each", "volume_each"),
        depth_mm=_optional_positive(entry, "depth_mm"),
        spacing_cm=_optional_positive(entry, "spacing_cm"),
    )


def _optional_positive(entry: dict[str, Any], key: str) -> float | None:
    """Depth and spacing may be left out (or null): a rule that needs one then reports it."""
    value = entry.get(key)
    return None if value is None else read_positive(value, join("points", key))


def _volume(entry: dict[str, Any], path: str, number_key: str, text_key: str) -> pint.Quantity:
    """A volume given either as a number of mL or as text with its unit ("0.2 mL", "50 µL")."""
    if number_key in entry and text_key in entry:
        raise PlanError(path, f"give {number_key} or {text_key}, not both")
    if text_key in entry:
        field = join(path, text_key)
        try:
            volume = parse_volume(entry[text_key])
        except ValueError as error:
            raise PlanError(field, str(error)) from None
        read_positive(volume.magnitude, field)
        return volume
    if number_key not in entry:
        raise PlanError(join(path, number_key), "is required")
    return Q_(read_positive(entry[number_key], join(path, number_key)), ML)


def _weight_kg(value: Any) -> float | None:
    if value is None:
        return None
    patient = read_object(value, "patient", required=(), optional=("weight_kg",))
    weight = patient.get("weight_kg")
    return None if weight is None else read_positive(weight, "patient.weight_kg")


def _history(value: Any, lookup: ProductLookup, day: date) -> tuple[PastSession, ...]:
    sessions = []
    for index, item in enumerate(read_list(value, "history")):
        path = join("history", index)
        entry = read_object(item, path, required=("date", "products"))
        when = read_date(entry["date"], join(path, "date"))
        if when > day:
            raise PlanError(join(path, "date"), f"must not be after the plan date {day}")
        slugs: set[str] = set()
        products_path = join(path, "products")
        for position, slug in enumerate(
            read_list(entry["products"], products_path, non_empty=True)
        ):
            field = join(products_path, position)
            if lookup(read_slug(slug, field)) is None:
                raise PlanError(field, f"unknown product '{slug}'")
            if slug in slugs:
                raise PlanError(field, f"'{slug}' is listed twice")
            slugs.add(slug)
        sessions.append(PastSession(when, frozenset(slugs)))
    return tuple(sessions)


def result_to_dict(result: Result) -> dict[str, Any]:
    """A `Result` as plain JSON-able data (CLI ``--json`` and the API).

    Quantities become ``{"value": 10.0, "unit": "mL"}`` (counts have unit ""), floats rounded
    to 12 significant digits to drop binary noise such as 0.30000000000000004.
    """
    return {
        "blocked": result.blocked,
        "totals": [
            {
                "ingredient": slug,
                "name": total.ingredient.name,
                "amount": _quantity(total.amount),
                "per_kg": _quantity(total.per_kg),
            }
            for slug, total in result.totals.items()
        ],
        "findings": [finding_to_dict(finding) for finding in result.findings],
    }


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    """One finding as JSON-able data, for what is stored or sent as JSON (a plan's approval,
    the CLI's ``--json``); pages and schemas take the `Finding` itself."""
    return {
        "severity": finding.severity.value,
        "rule": finding.rule.value,
        "product": finding.product,
        "ingredient": finding.ingredient,
        "message": finding.message,
        "actual": _quantity(finding.actual),
        "limit": _quantity(finding.limit),
        "source": finding.source,
        "origin": finding.origin.value,
    }


def _quantity(quantity: pint.Quantity | None) -> dict[str, Any] | None:
    if quantity is None:
        return None
    magnitude = quantity.magnitude
    value = magnitude if isinstance(magnitude, int) else float(f"{magnitude:.12g}")
    return {"value": value, "unit": format_unit(quantity.units)}
