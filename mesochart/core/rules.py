"""One function per limit kind: does this plan break this limit, and how to say so.

Each rule takes the precomputed `Facts` of a plan, the product that owns the limit (None for a
plan-wide general limit) and the limit, and returns a `Finding` or None. Rules compare float
magnitudes in canonical units (see `limits.Limit`) and build Quantities only for a finding.

Exactly at a limit passes (`limits.exceeds` / `limits.falls_short` carry the tolerance). Data a
rule needs but the plan lacks (weight, depth, spacing, a strength) is a finding with the
limit's own severity: an unknown must never read as a pass.
"""

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pint

from mesochart.core.limits import Limit, LimitKind, Origin, Severity, exceeds, falls_short
from mesochart.core.units import (
    CM,
    DAY,
    DIMENSIONLESS,
    IU,
    MG,
    MG_PER_ML,
    ML,
    MM,
    Q_,
    format_unit,
)

if TYPE_CHECKING:
    from mesochart.core.dose import Plan, Product, Total


@dataclass(frozen=True)
class Finding:
    """A limit the plan breaks, or cannot be checked against for want of data.

    ``actual`` and ``limit`` are the two numbers compared, with units, when the rule compares
    numbers: None for areas, vehicles and admixture; ``actual`` is None when data is missing.
    """

    severity: Severity
    rule: LimitKind
    product: str | None
    ingredient: str | None
    message: str
    actual: pint.Quantity | None
    limit: pint.Quantity | None
    source: str
    origin: Origin


@dataclass(frozen=True)
class Facts:
    """What every rule needs from one plan, computed once per check."""

    plan: "Plan"
    totals: "dict[str, Total]"

    def volume_ml(self, product: "Product") -> float:
        return next(c.volume_ml for c in self.plan.components if c.product is product)

    def sessions_with(self, slug: str) -> list[date]:
        return [s.date for s in self.plan.history if slug in s.product_slugs]


Rule = Callable[[Facts, "Product | None", Limit], Finding | None]

_WHO = {Origin.LABEL: "the label", Origin.PAPER: "the paper", Origin.CLINIC: "the clinic"}


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later, or that month's last day if it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _finding(
    product: "Product | None",
    limit: Limit,
    message: str,
    actual: pint.Quantity | None = None,
    bound: pint.Quantity | None = None,
) -> Finding:
    subject = product.name if product is not None else "This plan"
    return Finding(
        severity=limit.judged,
        rule=limit.kind,
        product=product.slug if product is not None else None,
        ingredient=limit.ingredient,
        message=f"{subject}: {message}.",
        actual=actual,
        limit=bound,
        source=limit.source,
        origin=limit.origin,
    )


def _scoped(product: "Product | None") -> "Product":
    """The product a product-scoped rule is about (`dose.PRODUCT_SCOPED`: always given)."""
    if product is None:
        raise ValueError("this rule is checked per product")
    return product


def _who(limit: Limit) -> str:
    return _WHO[limit.origin]


def _volume_per_injection(facts: Facts, product: "Product | None", limit: Limit) -> Finding | None:
    each_ml = facts.plan.points.volume_each_ml
    if not exceeds(each_ml, limit.cap):
        return None
    message = f"{each_ml:g} mL per injection; {_who(limit)} allows at most {limit.cap:g} mL"
    return _finding(product, limit, message, Q_(each_ml, ML), Q_(limit.cap, ML))


def _volume_per_session(facts: Facts, product: "Product | None", limit: Limit) -> Finding | None:
    product = _scoped(product)
    volume_ml = facts.volume_ml(product)
    if not exceeds(volume_ml, limit.cap):
        return None
    message = (
        f"{volume_ml:g} mL in this session; {_who(limit)} allows at most "
        f"{limit.cap:g} mL per session"
    )
    return _finding(product, limit, message, Q_(volume_ml, ML), Q_(limit.cap, ML))


def _injections_per_session(
    facts: Facts, product: "Product | None", limit: Limit
) -> Finding | None:
    count = facts.plan.points.count
    if count <= limit.number:
        return None
    message = f"{count} injections; {_who(limit)} allows at most {limit.number} per session"
    return _finding(
        product, limit, message, Q_(count, DIMENSIONLESS), Q_(limit.number, DIMENSIONLESS)
    )


def _dose_per_session(facts: Facts, product: "Product | None", limit: Limit) -> Finding | None:
    amount = facts.totals.get(limit.ingredient or "")
    if amount is None:
        return None
    if amount.value is None or amount.unit is not limit.unit:
        return _unknown_amount(product, limit)
    if not exceeds(amount.value, limit.cap):
        return None
    unit = format_unit(limit.bound_unit)
    message = (
        f"{amount.value:g} {unit} of {amount.ingredient.name} in this session; "
        f"{_who(limit)} allows at most {limit.cap:g} {unit}"
    )
    return _finding(
        product, limit, message, Q_(amount.value, limit.unit), Q_(limit.cap, limit.unit)
    )


def _dose_per_kg(facts: Facts, product: "Product | None", limit: Limit) -> Finding | None:
    amount = facts.totals.get(limit.ingredient or "")
    if amount is None:
        return None
    rule_text = f"{_who(limit)} allows {limit.per_kg_cap:g} mg/kg, at most {limit.cap:g} mg"
    if amount.value is None or amount.unit is not MG:
        return _unknown_amount(product, limit)
    weight_kg = facts.plan.weight_kg
    if weight_kg is None:
        message = f"the patient's weight is needed to check {amount.ingredient.name}; {rule_text}"
        return _finding(product, limit, message, None, Q_(limit.cap, MG))
    by_weight_mg = limit.per_kg_cap * weight_kg
    allowed_mg = min(by_weight_mg, limit.cap)
    if not exceeds(amount.value, allowed_mg):
        return None
    message = (
        f"{amount.value:g} mg of {amount.ingredient.name} "
        f"({amount.value / weight_kg:.3g} mg/kg at {weight_kg:g} kg); {rule_text}: "
        f"{limit.per_kg_cap:g} mg/kg × {weight_kg:g} kg = {by_weight_mg:g} mg, "
        f"so at most {allowed_mg:g} mg"
    )
    return _finding(product, limit, message, Q_(amount.value, MG), Q_(allowed_mg, MG))


def _concentration_range(facts: Facts, product: "Product | None", limit: Limit) -> Finding | None:
    amount = facts.totals.get(limit.ingredient or "")
    if amount is None:
        return None
    if amount.value is None or amount.unit is not (MG if limit.unit is MG_PER_ML else IU):
        return _unknown_amount(product, limit)
    concentration = amount.value / facts.plan.total_volume_ml
    unit = format_unit(limit.bound_unit)
    for bound, broken, word in (
        (limit.min_value, falls_short, "at least"),
        (limit.max_value, exceeds, "at most"),
    ):
        if bound is not None and broken(concentration, bound):
            message = (
                f"{amount.ingredient.name} is {concentration:.4g} {unit} in the mix; "
                f"{_who(limit)} requires {word} {bound:g} {unit}"
            )
            return _finding(
                product, limit, message, Q_(concentration, limit.unit), Q_(bound, limit.unit)
            )
    return None


def _min_interval_days(facts: Facts, product: "Product | None", limit: Limit) -> Finding | None:
    return _interval(facts, _scoped(product), limit, f"{limit.day_count} days", limit.day_count)


def _min_interval_months(facts: Facts, product: "Product | None", limit: Limit) -> Finding | None:
    months = "1 month" if limit.month_count == 1 else f"{limit.month_count} months"
    return _interval(facts, _scoped(product), limit, months, None)


def _interval(
    facts: Facts, product: "Product", limit: Limit, wording: str, days: int | None
) -> Finding | None:
    """Days since the last session with the product against the required gap.

    For calendar months the required gap is counted from that last session's date, so the
    finding can state both the days and the first allowed date.
    """
    earlier = facts.sessions_with(product.slug)
    if not earlier:
        return None
    last = max(earlier)
    first_allowed: date | None = None
    if days is None:
        first_allowed = add_months(last, limit.month_count)
        days = (first_allowed - last).days
    required_days = days
    elapsed_days = (facts.plan.date - last).days
    if elapsed_days >= required_days:
        return None
    message = (
        f"{elapsed_days} days since the last session with this product on {last.isoformat()}; "
        f"{_who(limit)} requires at least {wording} between sessions"
    )
    if first_allowed is not None:
        message += f", so not before {first_allowed.isoformat()}"
    return _finding(product, limit, message, Q_(elapsed_days, DAY), Q_(required_days, DAY))


def _max_sessions_per_course(
    facts: Facts, product: "Product | None", limit: Limit
) -> Finding | None:
    product = _scoped(product)
    number = len(facts.sessions_with(product.slug)) + 1
    if number <= limit.number:
        return None
    message = (
        f"this would be session {number} with this product; {_who(limit)} allows at most "
        f"{limit.number} sessions per course"
    )
    return _finding(
        product, limit, message, Q_(number, DIMENSIONLESS), Q_(limit.number, DIMENSIONLESS)
    )


def _allowed_areas(facts: Facts, product: "Product | None", limit: Limit) -> Finding | None:
    if facts.plan.area in limit.names:
        return None
    message = (
        f"area '{facts.plan.area}' is not one {_who(limit)} allows "
        f"({', '.join(sorted(limit.names))})"
    )
    return _finding(product, limit, message)


def _admixture_forbidden(facts: Facts, product: "Product | None", limit: Limit) -> Finding | None:
    product = _scoped(product)
    others = sorted(c.product.slug for c in facts.plan.components if c.product is not product)
    if not others:
        return None
    message = (
        f"mixed in the same syringe with {', '.join(others)}; {_who(limit)} forbids "
        "dilution and admixture"
    )
    return _finding(product, limit, message)


def _forbidden_vehicles(facts: Facts, product: "Product | None", limit: Limit) -> Finding | None:
    product = _scoped(product)
    if product.vehicle not in limit.names:
        return None
    message = (
        f"{product.vehicle}-based vehicle; {_who(limit)} forbids "
        f"{' and '.join(sorted(limit.names))}-based vehicles"
    )
    return _finding(product, limit, message)


def _max_depth_mm(facts: Facts, product: "Product | None", limit: Limit) -> Finding | None:
    depth_mm = facts.plan.points.depth_mm
    rule_text = f"{_who(limit)} allows at most {limit.cap:g} mm"
    if depth_mm is None:
        message = f"the injection depth is needed to check it; {rule_text}"
        return _finding(product, limit, message, None, Q_(limit.cap, MM))
    if not exceeds(depth_mm, limit.cap):
        return None
    message = f"injection depth {depth_mm:g} mm; {rule_text}"
    return _finding(product, limit, message, Q_(depth_mm, MM), Q_(limit.cap, MM))


def _spacing(facts: Facts, product: "Product | None", limit: Limit) -> Finding | None:
    if facts.plan.points.count == 1:
        return None  # a single injection has no neighbour to be spaced from
    spacing_cm = facts.plan.points.spacing_cm
    rule_text = f"{_who(limit)} requires at least {limit.floor:g} cm between injections"
    if spacing_cm is None:
        message = f"the spacing between injections is needed to check it; {rule_text}"
        return _finding(product, limit, message, None, Q_(limit.floor, CM))
    if not falls_short(spacing_cm, limit.floor):
        return None
    message = f"injections {spacing_cm:g} cm apart; {rule_text}"
    return _finding(product, limit, message, Q_(spacing_cm, CM), Q_(limit.floor, CM))


def _unknown_amount(product: "Product | None", limit: Limit) -> Finding:
    message = (
        f"the amount of {limit.ingredient} cannot be worked out (a product in the cocktail "
        "does not state its strength, or states it in units that do not convert), so "
        f"'{limit.describe()}' cannot be checked"
    )
    return _finding(product, limit, message)


RULES: dict[LimitKind, Rule] = {
    LimitKind.VOLUME_PER_INJECTION: _volume_per_injection,
    LimitKind.VOLUME_PER_SESSION: _volume_per_session,
    LimitKind.INJECTIONS_PER_SESSION: _injections_per_session,
    LimitKind.DOSE_PER_SESSION: _dose_per_session,
    LimitKind.DOSE_PER_KG: _dose_per_kg,
    LimitKind.CONCENTRATION_RANGE: _concentration_range,
    LimitKind.MIN_INTERVAL_DAYS: _min_interval_days,
    LimitKind.MIN_INTERVAL_MONTHS: _min_interval_months,
    LimitKind.MAX_SESSIONS_PER_COURSE: _max_sessions_per_course,
    LimitKind.ALLOWED_AREAS: _allowed_areas,
    LimitKind.ADMIXTURE_FORBIDDEN: _admixture_forbidden,
    LimitKind.FORBIDDEN_VEHICLES: _forbidden_vehicles,
    LimitKind.MAX_DEPTH_MM: _max_depth_mm,
    LimitKind.SPACING: _spacing,
}
