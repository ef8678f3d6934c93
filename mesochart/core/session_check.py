"""One session's points and cocktail checked by the dose engine: the check a plan's series
and a session's pre-flight both run, so the two can never disagree.

One syringe of the cocktail serves every point (`core.dose`), so a session's check sees: the
number of points, their total volume (shared among the cocktail's products in the version's
proportions), the largest volume at any point, the deepest point, the smallest gap between
two points of a region, each region as an area, the patient's weight, and the earlier
sessions as history.

The gap is measured, rounded to 0.1 mm (0.01 cm): stored points carry rounding noise far
below that, and a grid laid 1 cm apart must read as 1 cm, not 0.9999 cm.

Plain data in, typed findings out (`core.rules.Finding`): the words around them are chosen
where they are shown.
"""

import math
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np

from mesochart.core.dose import Component, PastSession, Plan, Points, Product, Result, check
from mesochart.core.limits import LimitKind, Severity
from mesochart.core.rules import Finding
from mesochart.core.units import ML, Q_


@dataclass(frozen=True)
class RegionPoints:
    """A region's points as the engine needs them: slug, (x, y) cm, and per-point values
    already resolved against the region's defaults (None where neither gives one)."""

    region: str
    spacing_cm: float
    xy: tuple[tuple[float, float], ...]
    depths_mm: tuple[float | None, ...]
    volumes_ml: tuple[float | None, ...]


@dataclass(frozen=True)
class Summary:
    points: int
    volume_ml: float
    without_volume: int
    deepest_mm: float | None
    smallest_gap_cm: float | None


class Unready(StrEnum):
    """Why points cannot be checked yet; nothing unknown may read as a pass."""

    NO_COCKTAIL = "no_cocktail"
    NO_POINTS = "no_points"
    NO_VOLUME = "no_volume"
    STACKED = "stacked"


@dataclass(frozen=True)
class SessionCheck:
    """The engine's ``result`` (totals per ingredient) and the session's ``findings``:
    those of the first area at the mean volume per point, the per-injection limit judged on
    the largest point, and each further area only for whether the products may go there."""

    result: Result
    findings: tuple[Finding, ...]

    @property
    def blocked(self) -> bool:
        return any(finding.severity is Severity.BLOCK for finding in self.findings)


def summarise(regions: list[RegionPoints]) -> Summary:
    volumes = [v for r in regions for v in r.volumes_ml]
    depths = [d for r in regions for d in r.depths_mm if d is not None]
    gaps = [g for r in regions if (g := smallest_gap_cm(r.xy)) is not None]
    if not gaps and any(r.xy for r in regions):
        gaps = [min(r.spacing_cm for r in regions if r.xy)]
    return Summary(
        points=len(volumes),
        volume_ml=round(sum(v for v in volumes if v is not None), 6),
        without_volume=sum(1 for v in volumes if v is None),
        deepest_mm=max(depths) if depths else None,
        smallest_gap_cm=min(gaps) if gaps else None,
    )


def smallest_gap_cm(xy) -> float | None:
    """The smallest distance between two of the points, rounded to 0.01 cm; None for < 2."""
    if len(xy) < 2:
        return None
    points = np.asarray(xy, dtype=float)
    smallest = math.inf
    for start in range(0, len(points), 512):
        block = points[start : start + 512]
        gaps = np.hypot(*(block[:, None, :] - points[None, :, :]).transpose(2, 0, 1))
        rows = np.arange(len(block))
        gaps[rows, start + rows] = math.inf
        smallest = min(smallest, float(gaps.min()))
    return round(smallest, 2)


def unready(summary: Summary, cocktail: list[tuple[str, float]]) -> tuple[Unready, ...]:
    """What keeps these points from being checked, in the order a person fixes them. Two
    points closer than the gap's rounding are one spot injected twice: the engine cannot
    judge spacing from a gap of 0."""
    reasons = []
    if not cocktail:
        reasons.append(Unready.NO_COCKTAIL)
    if summary.points == 0:
        reasons.append(Unready.NO_POINTS)
    if summary.without_volume:
        reasons.append(Unready.NO_VOLUME)
    if summary.smallest_gap_cm == 0:
        reasons.append(Unready.STACKED)
    return tuple(reasons)


def session_findings(
    summary: Summary,
    regions: list[RegionPoints],
    cocktail: list[tuple[str, float]],
    products: dict[str, Product],
    weight_kg: float | None,
    day: date,
    history: tuple[PastSession, ...],
    technique: str,
) -> SessionCheck:
    """The engine's verdict on one session of these points.

    One syringe serves every point, so the session is checked once at the mean volume per
    point in its first area; each further area only for whether the products may go there;
    and, when points differ in volume, the largest point alone for the per-injection limit
    (instead of the mean). ``cocktail``: (product slug, mL in the version) in order;
    ``products``: core Products by slug. Refuses (ValueError) points that `unready` names.
    """
    if reasons := unready(summary, cocktail):
        raise ValueError(f"cannot check these points: {', '.join(reasons)}")
    mix_ml = sum(volume for _, volume in cocktail)
    mean_ml = summary.volume_ml / summary.points
    largest = max(v for r in regions for v in r.volumes_ml if v is not None)
    uneven = largest > mean_ml * (1 + 1e-9)
    areas = list(dict.fromkeys(r.region for r in regions if r.xy))

    def run(area: str, each_ml: float) -> Result:
        total = summary.points * each_ml
        components = tuple(
            Component(products[slug], Q_(total * volume / mix_ml, ML)) for slug, volume in cocktail
        )
        points = Points(
            summary.points, Q_(each_ml, ML), summary.deepest_mm, summary.smallest_gap_cm
        )
        return check(Plan(day, area, technique, components, points, weight_kg, history))

    result = run(areas[0], mean_ml)
    findings = list(result.findings)
    if uneven:
        findings = [f for f in findings if f.rule is not LimitKind.VOLUME_PER_INJECTION]
        largest_check = run(areas[0], largest)
        findings += [f for f in largest_check.findings if f.rule is LimitKind.VOLUME_PER_INJECTION]
    for area in areas[1:]:
        findings += [f for f in run(area, mean_ml).findings if f.rule is LimitKind.ALLOWED_AREAS]
    return SessionCheck(result, tuple(findings))
