"""Limits on a treatment plan, where they come from, and how a clinic may tighten them.

reference.md (Limits): "A limit from a product label blocks by default; one from a paper or
practice report warns by default. A clinic may make any limit stricter, never looser than a
label." This module encodes exactly that: `Limit` carries its origin and source, its severity
defaults from the origin, `check_override` refuses a clinic limit looser than a label limit, and
`combine_limits` builds the set the engine applies.

Every value on a `Limit` is a pint Quantity (or a plain count, days or months); the canonical
float magnitudes the engine compares are computed once here, at construction, not per check.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

import pint

from mesochart.core.units import (
    CM,
    IU,
    IU_PER_ML,
    MG,
    MG_PER_KG,
    MG_PER_ML,
    ML,
    MM,
    Q_,
    format_unit,
    ureg,
)

# Relative tolerance for "at the limit". Volumes are entered as decimals (0.1 mL) that binary
# floats cannot hold exactly, so 3 × 0.1 mL is 0.30000000000000004 mL. One part in a billion
# absorbs that rounding (sums of hundreds of terms err by ~1e-14) while being clinically nil:
# 10 pL on 10 mL. ABSOLUTE_TOLERANCE covers limits at or near zero.
RELATIVE_TOLERANCE = 1e-9
ABSOLUTE_TOLERANCE = 1e-12


def exceeds(actual: float, maximum: float) -> bool:
    """True when ``actual`` is beyond ``maximum``; exactly at it (within tolerance) passes."""
    return actual > maximum * (1 + RELATIVE_TOLERANCE) + ABSOLUTE_TOLERANCE


def falls_short(actual: float, minimum: float) -> bool:
    """True when ``actual`` is below ``minimum``; exactly at it (within tolerance) passes."""
    return actual < minimum * (1 - RELATIVE_TOLERANCE) - ABSOLUTE_TOLERANCE


class Severity(StrEnum):
    BLOCK = "block"
    WARN = "warn"


class Origin(StrEnum):
    LABEL = "label"
    PAPER = "paper"
    CLINIC = "clinic"


# A clinic's own limit blocks by default: a clinic writes one to enforce it on its own staff,
# and it may still choose "warn" explicitly.
DEFAULT_SEVERITY = {
    Origin.LABEL: Severity.BLOCK,
    Origin.PAPER: Severity.WARN,
    Origin.CLINIC: Severity.BLOCK,
}


class LimitKind(StrEnum):
    VOLUME_PER_INJECTION = "volume_per_injection"
    VOLUME_PER_SESSION = "volume_per_session"
    INJECTIONS_PER_SESSION = "injections_per_session"
    DOSE_PER_SESSION = "dose_per_session"
    DOSE_PER_KG = "dose_per_kg"
    CONCENTRATION_RANGE = "concentration_range"
    MIN_INTERVAL_DAYS = "min_interval_days"
    MIN_INTERVAL_MONTHS = "min_interval_months"
    MAX_SESSIONS_PER_COURSE = "max_sessions_per_course"
    ALLOWED_AREAS = "allowed_areas"
    ADMIXTURE_FORBIDDEN = "admixture_forbidden"
    FORBIDDEN_VEHICLES = "forbidden_vehicles"
    MAX_DEPTH_MM = "max_depth_mm"
    SPACING = "spacing"


# Kinds about one product in the plan (its own volume, vehicle, history, companions). The other
# kinds are about the whole injection: every point receives the mixed cocktail, so depth,
# spacing, volume per injection and the dose of an ingredient are properties of the plan.
PRODUCT_SCOPED = frozenset(
    {
        LimitKind.VOLUME_PER_SESSION,
        LimitKind.MIN_INTERVAL_DAYS,
        LimitKind.MIN_INTERVAL_MONTHS,
        LimitKind.MAX_SESSIONS_PER_COURSE,
        LimitKind.ADMIXTURE_FORBIDDEN,
        LimitKind.FORBIDDEN_VEHICLES,
    }
)

_K = LimitKind
# kind -> the fields it requires ("minimum|maximum" = at least one of the two).
_REQUIRED: dict[LimitKind, tuple[str, ...]] = {
    _K.VOLUME_PER_INJECTION: ("maximum",),
    _K.VOLUME_PER_SESSION: ("maximum",),
    _K.INJECTIONS_PER_SESSION: ("count",),
    _K.DOSE_PER_SESSION: ("ingredient", "maximum"),
    _K.DOSE_PER_KG: ("ingredient", "per_kg", "maximum"),
    _K.CONCENTRATION_RANGE: ("ingredient", "minimum|maximum"),
    _K.MIN_INTERVAL_DAYS: ("days",),
    _K.MIN_INTERVAL_MONTHS: ("months",),
    _K.MAX_SESSIONS_PER_COURSE: ("count",),
    _K.ALLOWED_AREAS: ("names",),
    _K.ADMIXTURE_FORBIDDEN: (),
    _K.FORBIDDEN_VEHICLES: ("names",),
    _K.MAX_DEPTH_MM: ("maximum",),
    _K.SPACING: ("minimum",),
}
# kind -> the canonical units its minimum/maximum may be in (the first of matching dimension).
_BOUND_UNITS: dict[LimitKind, tuple[pint.Unit, ...]] = {
    _K.VOLUME_PER_INJECTION: (ML,),
    _K.VOLUME_PER_SESSION: (ML,),
    _K.DOSE_PER_SESSION: (MG, IU),
    _K.DOSE_PER_KG: (MG,),
    _K.CONCENTRATION_RANGE: (MG_PER_ML, IU_PER_ML),
    _K.MAX_DEPTH_MM: (MM,),
    _K.SPACING: (CM,),
}
_VALUE_FIELDS = ("ingredient", "maximum", "minimum", "per_kg", "count", "days", "months", "names")
_MASS = ureg.get_dimensionality("[mass]")


T = TypeVar("T")


@dataclass(frozen=True)
class Limit:
    """One limit with its provenance.

    Fields used per kind (others must stay empty): ``maximum``/``minimum`` are Quantities in the
    kind's dimension (mL, mg or IU, mg/mL or IU/mL, mm, cm); ``per_kg`` is mg/kg and
    ``maximum`` its absolute cap in mg for dose_per_kg; ``count`` for injections and sessions;
    ``days`` and ``months`` for intervals; ``names`` the allowed areas or forbidden vehicles.
    ``ingredient`` is the slug the dose and concentration kinds are about.

    ``min_interval_months`` counts calendar months: one month after 1 October is 1 November,
    after 31 January the last day of February. That is what a label's "1 month" means; any
    fixed number of days would be looser than the label in some months or stricter in others.
    """

    kind: LimitKind
    source: str
    origin: Origin
    severity: Severity | None = None
    ingredient: str | None = None
    maximum: pint.Quantity | None = None
    minimum: pint.Quantity | None = None
    per_kg: pint.Quantity | None = None
    count: int | None = None
    days: int | None = None
    months: int | None = None
    names: frozenset[str] = frozenset()
    note: str = ""
    # Canonical magnitudes for the engine, filled in __post_init__.
    max_value: float | None = field(init=False, repr=False, compare=False, default=None)
    min_value: float | None = field(init=False, repr=False, compare=False, default=None)
    per_kg_value: float | None = field(init=False, repr=False, compare=False, default=None)
    unit: pint.Unit | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "kind", LimitKind(self.kind))
        set_(self, "origin", Origin(self.origin))
        set_(self, "severity", Severity(self.severity or DEFAULT_SEVERITY[self.origin]))
        set_(self, "names", frozenset(self.names))
        if not self.source.strip():
            raise ValueError(f"{self.kind}: a limit needs its source")
        self._check_fields()
        for bound, value_field in (("maximum", "max_value"), ("minimum", "min_value")):
            quantity = getattr(self, bound)
            if quantity is not None:
                unit = self._canonical_unit(quantity)
                set_(self, value_field, quantity.m_as(unit))
                set_(self, "unit", unit)
        if self.per_kg is not None:
            if not _is_mass_per_mass(self.per_kg):
                raise ValueError(f"{self.kind}: per_kg must be a mass per kg, got {self.per_kg}")
            set_(self, "per_kg_value", self.per_kg.m_as(MG_PER_KG))
        self._check_values()

    # The fields a kind requires, typed as present: `_check_fields` refused the limit at
    # construction if its kind needs one that is missing, so these never raise for a rule
    # that reads only what its kind requires.
    @property
    def cap(self) -> float:
        return _present(self.max_value, self.kind, "maximum")

    @property
    def floor(self) -> float:
        return _present(self.min_value, self.kind, "minimum")

    @property
    def per_kg_cap(self) -> float:
        return _present(self.per_kg_value, self.kind, "per_kg")

    @property
    def number(self) -> int:
        return _present(self.count, self.kind, "count")

    @property
    def day_count(self) -> int:
        return _present(self.days, self.kind, "days")

    @property
    def month_count(self) -> int:
        return _present(self.months, self.kind, "months")

    @property
    def judged(self) -> Severity:
        """The severity in force: the given one, or the origin's default (`__post_init__`)."""
        return _present(self.severity, self.kind, "severity")

    @property
    def bound_unit(self) -> pint.Unit:
        return _present(self.unit, self.kind, "a unit")

    @property
    def key(self) -> tuple[LimitKind, str | None]:
        """What a limit is about; a clinic limit with the same key overrides a shipped one."""
        return (self.kind, self.ingredient)

    def describe(self) -> str:
        """The limit in a clinician's words, e.g. "volume_per_session at most 10 mL"."""
        parts = [self.kind.value]
        if self.ingredient:
            parts.append(f"of {self.ingredient}")
        if self.per_kg is not None:
            parts.append(f"at most {self.per_kg_value:g} mg/kg")
        if self.minimum is not None:
            parts.append(f"at least {self.min_value:g} {_text(self.unit)}")
        if self.maximum is not None:
            word = "capped at" if self.per_kg is not None else "at most"
            parts.append(f"{word} {self.max_value:g} {_text(self.unit)}")
        for name in ("count", "days", "months"):
            if getattr(self, name) is not None:
                parts.append(f"{name} {getattr(self, name)}")
        if self.names:
            parts.append(", ".join(sorted(self.names)))
        return " ".join(parts)

    def _check_fields(self) -> None:
        required = _REQUIRED[self.kind]
        allowed = {name for spec in required for name in spec.split("|")}
        for name in _VALUE_FIELDS:
            if self._given(name) and name not in allowed:
                raise ValueError(f"{self.kind} does not take {name!r}")
        for spec in required:
            if not any(self._given(name) for name in spec.split("|")):
                raise ValueError(f"{self.kind} needs {spec.replace('|', ' or ')}")

    def _given(self, name: str) -> bool:
        return bool(self.names) if name == "names" else getattr(self, name) is not None

    def _canonical_unit(self, quantity: pint.Quantity) -> pint.Unit:
        for unit in _BOUND_UNITS[self.kind]:
            if quantity.dimensionality == unit.dimensionality:
                if self.unit is not None and self.unit != unit:
                    raise ValueError(f"{self.kind}: minimum and maximum differ in kind")
                return unit
        raise ValueError(f"{self.kind}: {quantity} is not in a unit this limit understands")

    def _check_values(self) -> None:
        for name in ("max_value", "min_value", "per_kg_value"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError(f"{self.kind}: {name.removesuffix('_value')} must be >= 0")
        for name in ("count", "days", "months"):
            value = getattr(self, name)
            if value is not None and (type(value) is not int or value < 1):
                raise ValueError(f"{self.kind}: {name} must be a whole number >= 1")
        if (
            self.min_value is not None
            and self.max_value is not None
            and self.min_value > self.max_value
        ):
            raise ValueError(f"{self.kind}: minimum is above maximum")


def _present(value: T | None, kind: LimitKind, name: str) -> T:
    if value is None:
        raise ValueError(f"{kind} has no {name}")
    return value


def _is_mass_per_mass(quantity: pint.Quantity) -> bool:
    items = list(quantity.unit_items())
    return sorted(float(str(exponent)) for _, exponent in items) == [-1, 1] and all(
        ureg.get_dimensionality(name) == _MASS for name, _ in items
    )


def _text(unit: pint.Unit | None) -> str:
    return format_unit(unit) if unit is not None else ""


class LimitOverrideError(ValueError):
    """A clinic limit that may not replace the shipped one (e.g. looser than the label)."""


def check_override(shipped: Limit, clinic: Limit) -> None:
    """Raise LimitOverrideError unless ``clinic`` may replace ``shipped``.

    A clinic may tighten any limit. Against a label limit it may not loosen anything: not a
    bound, not a count, not the list of areas or vehicles, and not the severity (block -> warn).
    Paper limits are defaults the clinic may edit either way (reference.md, Limits).
    """
    if clinic.origin is not Origin.CLINIC:
        raise LimitOverrideError(f"{clinic.describe()}: an override must have origin 'clinic'")
    if clinic.key != shipped.key:
        raise LimitOverrideError(
            f"{clinic.describe()} cannot override {shipped.describe()}: they are about "
            "different things"
        )
    if shipped.origin is not Origin.LABEL:
        return
    reason = _looser(shipped, clinic)
    if reason:
        raise LimitOverrideError(
            f"clinic limit '{clinic.describe()}' is looser than the label limit "
            f"'{shipped.describe()}' ({shipped.source}): {reason}. A clinic may make a label "
            "limit stricter, never looser."
        )


def combine_limits(shipped: tuple[Limit, ...], clinic: tuple[Limit, ...]) -> tuple[Limit, ...]:
    """The limits to apply: shipped ones, each replaced by the clinic limit with its key.

    Clinic limits with no shipped counterpart are added. Raises LimitOverrideError if a clinic
    limit loosens a label limit, is not of origin clinic, or two clinic limits share a key.
    """
    overrides: dict[tuple[LimitKind, str | None], Limit] = {}
    for limit in clinic:
        if limit.origin is not Origin.CLINIC:
            raise LimitOverrideError(f"{limit.describe()}: must have origin 'clinic'")
        if limit.key in overrides:
            raise LimitOverrideError(f"two clinic limits for {limit.describe()}")
        overrides[limit.key] = limit
    for limit in shipped:
        if limit.key in overrides:
            check_override(limit, overrides[limit.key])
    return tuple(limit for limit in shipped if limit.key not in overrides) + tuple(clinic)


def _looser(label: Limit, clinic: Limit) -> str | None:
    if label.severity is Severity.BLOCK and clinic.severity is Severity.WARN:
        return "it only warns where the label blocks"
    if label.unit != clinic.unit:
        return "it is in a different kind of unit"
    bounds = (
        ("maximum", label.max_value, clinic.max_value, exceeds),
        ("amount per kg", label.per_kg_value, clinic.per_kg_value, exceeds),
        ("count", label.count, clinic.count, exceeds),
        ("minimum", label.min_value, clinic.min_value, falls_short),
        ("days", label.days, clinic.days, falls_short),
        ("months", label.months, clinic.months, falls_short),
    )
    for name, bound, value, is_looser in bounds:
        if bound is not None and (value is None or is_looser(value, bound)):
            return f"its {name} is looser"
    added_areas = ", ".join(sorted(clinic.names - label.names))
    if label.kind is LimitKind.ALLOWED_AREAS and added_areas:
        return f"it allows areas the label does not: {added_areas}"
    dropped_vehicles = ", ".join(sorted(label.names - clinic.names))
    if label.kind is LimitKind.FORBIDDEN_VEHICLES and dropped_vehicles:
        return f"it no longer forbids {dropped_vehicles}"
    return None


KONDA_THAPPA = '[PEER] Konda & Thappa, "Mesotherapy: What is new?", IJDVL'

GENERAL_LIMITS: tuple[Limit, ...] = (
    # Warns rather than blocks (the default for a paper): reference.md also records deep
    # point-by-point variants to 13 mm for fat [SEC], and lipolysis products are injected into
    # fat, so a hard stop at 4 mm would block sourced practice. The clinician must see it.
    Limit(
        LimitKind.MAX_DEPTH_MM,
        source=KONDA_THAPPA,
        origin=Origin.PAPER,
        severity=Severity.WARN,
        maximum=Q_(4, MM),
        note="depth should not exceed 4 mm",
    ),
    # Blocks although a paper's limit warns by default: the named harm is necrosis, nothing in
    # the reference sanctions an exception, and no shipped product uses such a vehicle.
    Limit(
        LimitKind.FORBIDDEN_VEHICLES,
        source=KONDA_THAPPA,
        origin=Origin.PAPER,
        severity=Severity.BLOCK,
        names=frozenset({"alcohol", "oil"}),
        note="no alcohol- or oil-based vehicles (necrosis)",
    ),
)
