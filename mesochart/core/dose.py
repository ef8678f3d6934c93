"""The dose engine: what a planned session delivers, and which limits it breaks.

Pure Python and pint, no Django: frozen dataclasses in (`Plan`), frozen dataclasses out
(`Result`). The Django side translates its models into these and back.

Units: every public value with a unit is a pint Quantity, except the few numbers whose name
carries the unit (``depth_mm``, ``spacing_cm``, ``weight_kg``). Quantities are reduced to float
magnitudes in canonical units (mL, mg, IU) once, when the dataclasses are built, so `check`
runs on floats: building a pint quantity costs microseconds and a check must stay well under a
millisecond. Quantities are built again only for what a `Result` reports.

How a plan is read: the cocktail is mixed in one syringe and every point receives the mix, so
per-injection volume, depth, spacing and the dose of an ingredient belong to the whole plan; a
product's own volume, vehicle, history and companions belong to that product (see
`limits.PRODUCT_SCOPED`). The total of an ingredient sums every product that contains it, so a
lidocaine limit counts lidocaine from all products in the syringe.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

import pint

from mesochart.core.limits import (
    GENERAL_LIMITS,
    PRODUCT_SCOPED,
    Limit,
    Severity,
    combine_limits,
    exceeds,
    falls_short,
)
from mesochart.core.rules import RULES, Facts, Finding
from mesochart.core.units import IU, IU_PER_KG, IU_PER_ML, MG, MG_PER_KG, MG_PER_ML, ML, Q_


class Category(StrEnum):
    VITAMIN = "vitamin"
    ENZYME = "enzyme"
    HORMONE = "hormone"
    PLANT_EXTRACT = "plant_extract"
    MINERAL = "mineral"
    AMINO_ACID = "amino_acid"
    MEDICATION = "medication"
    ANAESTHETIC = "anaesthetic"
    EXCIPIENT = "excipient"
    OTHER = "other"


class Vehicle(StrEnum):
    AQUEOUS = "aqueous"
    ALCOHOL = "alcohol"
    OIL = "oil"


@dataclass(frozen=True)
class Ingredient:
    """A substance; ``allergen_classes`` (e.g. "amide local anaesthetic", "soy") serve screening."""

    slug: str
    name: str
    category: Category
    synonyms: tuple[str, ...] = ()
    allergen_classes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "category", Category(self.category))


@dataclass(frozen=True)
class Strength:
    """How much of an ingredient one mL of a product holds.

    ``per_ml`` is a mass or activity per volume, or None when the ingredient is present at a
    strength no source gives (reference.md: "Where nothing is known, ship nothing"). A total
    that depends on an unknown strength is itself unknown, and a limit on it is a finding.
    """

    ingredient: Ingredient
    per_ml: pint.Quantity | None
    amount_per_ml: float | None = field(init=False, repr=False, compare=False, default=None)
    amount_unit: pint.Unit | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        if self.per_ml is None:
            return
        for per_ml, amount in ((MG_PER_ML, MG), (IU_PER_ML, IU)):
            if self.per_ml.dimensionality == per_ml.dimensionality:
                value = self.per_ml.m_as(per_ml)
                if not value > 0 or not math.isfinite(value):
                    raise ValueError(f"{self.ingredient.slug}: strength must be greater than 0")
                object.__setattr__(self, "amount_per_ml", value)
                object.__setattr__(self, "amount_unit", amount)
                return
        raise ValueError(f"{self.ingredient.slug}: {self.per_ml} is not a mass or IU per volume")


@dataclass(frozen=True)
class Product:
    slug: str
    name: str
    strengths: tuple[Strength, ...] = ()
    vehicle: Vehicle = Vehicle.AQUEOUS
    limits: tuple[Limit, ...] = ()
    excipients: tuple[Ingredient, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "vehicle", Vehicle(self.vehicle))
        slugs = [strength.ingredient.slug for strength in self.strengths]
        if len(set(slugs)) != len(slugs):
            raise ValueError(f"{self.slug}: an ingredient is listed twice")

    def with_clinic_limits(self, clinic: tuple[Limit, ...]) -> "Product":
        """This product under a clinic's limits (LimitOverrideError if one loosens a label)."""
        return replace(self, limits=combine_limits(self.limits, clinic))


@dataclass(frozen=True)
class Component:
    """A product drawn into the syringe, and how much of it."""

    product: Product
    volume: pint.Quantity
    volume_ml: float = field(init=False, repr=False, compare=False, default=0.0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "volume_ml", _positive_ml(self.volume, self.product.slug))


@dataclass(frozen=True)
class Points:
    """The injection points: how many, how much each, how deep and how far apart."""

    count: int
    volume_each: pint.Quantity
    depth_mm: float | None = None
    spacing_cm: float | None = None
    volume_each_ml: float = field(init=False, repr=False, compare=False, default=0.0)

    def __post_init__(self) -> None:
        if type(self.count) is not int or self.count < 1:
            raise ValueError("points: count must be a whole number of at least 1")
        object.__setattr__(self, "volume_each_ml", _positive_ml(self.volume_each, "points"))
        for name in ("depth_mm", "spacing_cm"):
            value = getattr(self, name)
            if value is not None and not (math.isfinite(value) and value > 0):
                raise ValueError(f"points: {name} must be greater than 0")


@dataclass(frozen=True)
class PastSession:
    date: date
    product_slugs: frozenset[str]


@dataclass(frozen=True)
class Plan:
    """One planned session. ``history`` holds the earlier sessions of the current course.

    Invariants (ValueError otherwise): at least one component, each product once, the cocktail
    volume equal to count × volume per point, a positive weight if given, no history after
    ``date``.
    """

    date: date
    area: str
    technique: str
    components: tuple[Component, ...]
    points: Points
    weight_kg: float | None = None
    history: tuple[PastSession, ...] = ()
    total_volume_ml: float = field(init=False, repr=False, compare=False, default=0.0)

    def __post_init__(self) -> None:
        if not self.components:
            raise ValueError("plan: the cocktail needs at least one product")
        slugs = [component.product.slug for component in self.components]
        if len(set(slugs)) != len(slugs):
            raise ValueError("plan: each product may appear once in the cocktail")
        total_ml = sum(component.volume_ml for component in self.components)
        points_ml = self.points.count * self.points.volume_each_ml
        if exceeds(total_ml, points_ml) or falls_short(total_ml, points_ml):
            raise ValueError(
                f"plan: the cocktail holds {total_ml:g} mL but the points take "
                f"{self.points.count} × {self.points.volume_each_ml:g} mL = {points_ml:g} mL"
            )
        if self.weight_kg is not None and not (
            math.isfinite(self.weight_kg) and self.weight_kg > 0
        ):
            raise ValueError("plan: weight_kg must be greater than 0")
        if any(session.date > self.date for session in self.history):
            raise ValueError("plan: history may not contain sessions after the plan date")
        object.__setattr__(self, "total_volume_ml", total_ml)


@dataclass(frozen=True)
class Total:
    """How much of an ingredient the session delivers: mg, or IU for activity-dosed ones.

    ``value`` is the amount as a float in ``unit`` (MG or IU), for the rules. ``amount`` is
    None when a product in the plan does not state the ingredient's strength, or two products
    state it in units that do not convert (mg and IU); ``per_kg`` also needs the weight. Both
    are built on access: a check builds no Quantity nobody reads, which halves its time.
    """

    ingredient: Ingredient
    value: float | None
    unit: pint.Unit | None
    weight_kg: float | None

    @property
    def amount(self) -> pint.Quantity | None:
        return None if self.value is None else Q_(self.value, self.unit)

    @property
    def per_kg(self) -> pint.Quantity | None:
        if self.value is None or self.weight_kg is None:
            return None
        return Q_(self.value / self.weight_kg, MG_PER_KG if self.unit is MG else IU_PER_KG)


@dataclass(frozen=True)
class Result:
    totals: Mapping[str, Total]
    findings: tuple[Finding, ...]

    @property
    def blocked(self) -> bool:
        """True when any finding blocks: the plan must not be carried out as it stands."""
        return any(finding.severity is Severity.BLOCK for finding in self.findings)


def totals(components: tuple[Component, ...], weight_kg: float | None = None) -> dict[str, Total]:
    """Per ingredient slug (sorted), the amount the components deliver together."""
    sums: dict[str, Total] = {}
    for component in components:
        for strength in component.product.strengths:
            slug = strength.ingredient.slug
            so_far = sums.get(slug) or Total(strength.ingredient, 0.0, strength.amount_unit, None)
            if (
                so_far.value is None
                or strength.amount_per_ml is None
                or strength.amount_unit is not so_far.unit
            ):
                sums[slug] = Total(strength.ingredient, None, None, weight_kg)
            else:
                value = so_far.value + component.volume_ml * strength.amount_per_ml
                sums[slug] = Total(strength.ingredient, value, so_far.unit, weight_kg)
    return {slug: sums[slug] for slug in sorted(sums)}


def mix_concentrations(components: tuple[Component, ...]) -> dict[str, pint.Quantity | None]:
    """Per ingredient slug, its concentration in the mixed syringe (mg/mL or IU/mL).

    None for an ingredient whose amount is unknown (see `Total`); the cocktail builder shows
    that rather than dropping the ingredient.
    """
    total_ml = sum(component.volume_ml for component in components)
    return {
        slug: None
        if amount.value is None
        else Q_(amount.value / total_ml, MG_PER_ML if amount.unit is MG else IU_PER_ML)
        for slug, amount in totals(components).items()
    }


def check(plan: Plan, general_limits: tuple[Limit, ...] = GENERAL_LIMITS) -> Result:
    """Check ``plan`` against its products' limits and the limits that apply to every plan.

    Products carry their effective limits (shipped, or combined with a clinic's through
    `Product.with_clinic_limits`); ``general_limits`` default to `limits.GENERAL_LIMITS`.
    Findings come sorted (blocking first, then by product, rule and ingredient), so the result
    does not depend on the order of the cocktail.
    """
    sums = totals(plan.components, plan.weight_kg)
    facts = Facts(plan, sums)
    findings = []
    for component in plan.components:
        for limit in component.product.limits:
            findings.append(RULES[limit.kind](facts, component.product, limit))
    for limit in general_limits:
        if limit.kind in PRODUCT_SCOPED:
            for component in plan.components:
                findings.append(RULES[limit.kind](facts, component.product, limit))
        else:
            findings.append(RULES[limit.kind](facts, None, limit))
    found = sorted((finding for finding in findings if finding is not None), key=_finding_order)
    return Result(totals=sums, findings=tuple(found))


def _finding_order(finding: Finding) -> tuple[bool, str, str, str, str]:
    blocks_first = finding.severity is not Severity.BLOCK
    product, ingredient = finding.product or "", finding.ingredient or ""
    return (blocks_first, product, finding.rule, ingredient, finding.message)


def _positive_ml(volume: pint.Quantity, owner: str) -> float:
    if volume.dimensionality != ML.dimensionality:
        raise ValueError(f"{owner}: {volume} is not a volume")
    volume_ml = volume.m_as(ML)
    if not (math.isfinite(volume_ml) and volume_ml > 0):
        raise ValueError(f"{owner}: volume must be greater than 0")
    return volume_ml
