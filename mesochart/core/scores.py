"""Scoring of outcome measures: composite totals and bands, BMI, change from baseline.

Composite scores are computed here and never typed. A missing item makes the total missing
(``total is None``) and is named in ``missing`` and ``findings``: it is never counted as 0.
An item that is not an integer, out of its range, or not an item of the scale is a finding
``items.<code>: <rule>`` and also leaves the total missing. Sources are cited per function
(../shared/domain/reference.md, "Outcome measures").
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from mesochart.core.measures import CSS_BANDS, MASI_REGIONS, Kind, Measure


@dataclass(frozen=True)
class Finding:
    field: str
    rule: str


@dataclass(frozen=True)
class Score:
    """A composite total with its band (``""`` when the scale has none or the total is not
    in one), the items it was computed from, and what kept it from being computed."""

    code: str
    total: Decimal | None
    band: str
    missing: tuple[str, ...]
    findings: tuple[Finding, ...]
    items: dict[str, int]

    @property
    def complete(self) -> bool:
        return self.total is not None


def score(measure: Measure, given: Mapping[str, object]) -> Score:
    """The total of a composite ``measure`` from its ``given`` items (code → integer)."""
    if measure.kind != Kind.COMPOSITE:
        raise ValueError(f"{measure.code} is not a composite scale")
    items, findings = _checked_items(measure, given)
    missing = tuple(item.code for item in measure.items if item.code not in given)
    rule = "is missing; the total is not computed"
    findings += [Finding(f"items.{code}", rule) for code in missing]
    total = None
    if not findings:
        total = TOTALS[measure.code](items)
    band = css_band(total) if measure.code == "css" and total is not None else ""
    return Score(measure.code, total, band, missing, tuple(findings), items)


def _checked_items(measure: Measure, given: Mapping[str, object]) -> tuple[dict, list]:
    items: dict[str, int] = {}
    findings: list[Finding] = []
    for code, raw in given.items():
        item = measure.item(code)
        name = f"items.{code}"
        if item is None:
            findings.append(Finding(name, f"is not an item of {measure.name}"))
            continue
        number = _integer(raw)
        if number is None:
            findings.append(Finding(name, "must be a whole number"))
        elif not item.minimum <= number <= item.maximum:
            findings.append(Finding(name, f"must be between {item.minimum} and {item.maximum}"))
        else:
            items[code] = number
    return items, findings


def _integer(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    try:
        number = Decimal(str(raw).strip())
    except InvalidOperation:
        return None
    return int(number) if number.is_finite() and number == number.to_integral_value() else None


def css_total(items: dict[str, int]) -> Decimal:
    """Cellulite Severity Scale: the sum of items A–E, each 0–3, so 0–15.

    Source: Hexsel 2009, JEADV [PEER] (reference.md, Outcome measures)."""
    return Decimal(sum(items[code] for code in "ABCDE"))


def css_band(total: Decimal) -> str:
    """CSS band: 1–5 mild, 6–10 moderate, 11–15 severe (Hexsel 2009). A total of 0 is in no
    band: the source names none for it, so none is invented."""
    for low, high, band in CSS_BANDS:
        if low <= total <= high:
            return band
    return ""


def masi_total(items: dict[str, int], with_homogeneity: bool = True) -> Decimal:
    """MASI = Σ weight × A × (D + H) over forehead (0.3), right malar (0.3), left malar (0.3)
    and chin (0.1); A 0–6, D and H 0–4; range 0–48. mMASI drops H: Σ weight × A × D, 0–24.

    Source: Pandya 2011, JAAD 64:78 [PEER]; the area score A (0 none … 6 90–100 %):
    Kimbrough-Green 1994, Arch Dermatol 130:727 (reference.md, Outcome measures)."""
    total = Decimal(0)
    for region, _label, weight in MASI_REGIONS:
        darkness = items[f"{region}_darkness"]
        homogeneity = items[f"{region}_homogeneity"] if with_homogeneity else 0
        total += weight * items[f"{region}_area"] * (darkness + homogeneity)
    return total.quantize(Decimal("0.1"))


TOTALS = {
    "css": css_total,
    "masi": masi_total,
    "mmasi": lambda items: masi_total(items, with_homogeneity=False),
}


def bmi(weight_kg: Decimal, height_cm: Decimal) -> Decimal | None:
    """Body mass index, weight (kg) / height (m)², to one decimal; None without a positive
    height or weight (definition; the inputs are measured, the result never typed)."""
    if weight_kg is None or height_cm is None or weight_kg <= 0 or height_cm <= 0:
        return None
    height_m = Decimal(height_cm) / 100
    return (Decimal(weight_kg) / (height_m * height_m)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class Change:
    """A value against its baseline: ``difference`` in the measure's own unit, ``percent``
    of the baseline (None when the baseline is 0: no percentage of nothing), and whether it
    went the measure's better way (None when the measure has no better direction or did not
    move)."""

    difference: Decimal
    percent: Decimal | None
    improved: bool | None


def change(baseline: Decimal, current: Decimal, better: str = "none") -> Change:
    """Change from baseline: current − baseline, and 100 × (current − baseline) / baseline
    rounded to one decimal (the phototrichogram's "% change", Hoffmann 2005)."""
    difference = Decimal(current) - Decimal(baseline)
    percent = None
    if baseline != 0:
        percent = (100 * difference / Decimal(baseline)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    improved = None
    if difference != 0 and better in ("lower", "higher"):
        improved = (difference < 0) == (better == "lower")
    return Change(difference, percent, improved)
