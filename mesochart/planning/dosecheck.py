"""A plan's points and cocktail, checked by the dose engine through `formulary.engine`.

One syringe of the plan's cocktail serves every point (``core.dose``), so one session's
check sees: the number of points, their total volume (shared among the cocktail's products
in the version's proportions), the largest volume at any point, the deepest point, the
smallest gap between two points of a region, each region as an area, the patient's weight,
and the earlier sessions of the series as history. Each session of the series is checked
(so a course cap or a minimum interval the dates break is found); without dates, one
session on ``today``.

The gap is measured, rounded to 0.1 mm (0.01 cm): stored points carry rounding noise far
below that, and a grid laid 1 cm apart must read as 1 cm, not 0.9999 cm.
"""

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np

from mesochart.core.dose import Component, PastSession, Plan, Points, Product, Result, check
from mesochart.core.limits import LimitKind
from mesochart.core.plan_file import result_to_dict
from mesochart.core.units import ML, Q_
from mesochart.formulary.engine import core_products

# Two points closer than the gap's rounding are one spot injected twice: the engine cannot
# judge spacing from a gap of 0, and the chart cannot show them apart.
STACKED = "points: two points are at the same place (under 0.1 mm apart): move or remove one"


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


def check_plan(
    regions: list[RegionPoints],
    cocktail: list[tuple[str, Decimal]],
    clinic,
    weight_kg: float | None,
    dates: list[date],
    today: date,
) -> dict:
    """The engine's verdict as JSON-able data: summary, totals, findings, and ``problems``
    (``field: rule`` lines) when the plan cannot be checked yet. A plan that cannot be
    checked is ``blocked``: nothing unknown reads as a pass."""
    summary = summarise(regions)
    out = {
        "points": summary.points,
        "volume_ml": summary.volume_ml,
        "deepest_mm": summary.deepest_mm,
        "smallest_gap_cm": summary.smallest_gap_cm,
        "sessions_checked": 0,
        "blocked": True,
        "totals": [],
        "findings": [],
        "problems": [],
    }
    problems = out["problems"]
    if not cocktail:
        problems.append("cocktail_version: choose a cocktail to check the doses")
    if summary.points == 0:
        problems.append("points: place at least one point")
    if summary.without_volume:
        problems.append(f"volume_ml: {summary.without_volume} point(s) have no volume")
    if summary.smallest_gap_cm == 0:
        problems.append(STACKED)
    if problems:
        return out

    products = core_products([slug for slug, _ in cocktail], clinic)
    unknown = [slug for slug, _ in cocktail if slug not in products]
    if unknown:
        problems.append(f"cocktail_version: unknown product(s) {', '.join(unknown)}")
        return out
    days = sorted(dates) or [today]
    seen, findings, result = set(), [], None
    for index, day in enumerate(days):
        history = tuple(PastSession(d, frozenset(products)) for d in days[:index])
        result, found = session_findings(
            summary, regions, cocktail, products, weight_kg, day, history, "plan"
        )
        for finding in found:
            key = (finding["rule"], finding["product"], finding["ingredient"], finding["message"])
            if key not in seen:
                seen.add(key)
                findings.append({**finding, "session": index + 1 if len(days) > 1 else None})
    out.update(
        sessions_checked=len(days),
        totals=result_to_dict(result)["totals"],
        findings=sorted(findings, key=lambda f: (f["severity"] != "block", f["session"] or 0)),
        blocked=any(f["severity"] == "block" for f in findings),
    )
    return out


def session_findings(
    summary: Summary,
    regions: list[RegionPoints],
    cocktail: list[tuple[str, Decimal]],
    products: dict[str, Product],
    weight_kg: float | None,
    day: date,
    history: tuple[PastSession, ...],
    technique: str,
) -> tuple[Result, list[dict]]:
    """The engine's result and findings (as dicts) for one session of these points.

    One syringe serves every point, so the session is checked once at the mean volume per
    point in its first area; each further area only for whether the products may go there;
    and, when points differ in volume, the largest point alone for the per-injection limit
    (instead of the mean). ``products`` are core Products by slug (`core_products`); the
    summary must have points, volumes and no stacked points (callers say why otherwise).
    """
    mix_ml = sum(float(volume) for _, volume in cocktail)
    mean_ml = summary.volume_ml / summary.points
    largest = max(v for r in regions for v in r.volumes_ml)
    uneven = largest > mean_ml * (1 + 1e-9)
    areas = list(dict.fromkeys(r.region for r in regions if r.xy))

    def run(area, each_ml):
        total = summary.points * each_ml
        components = tuple(
            Component(products[slug], Q_(total * float(volume) / mix_ml, ML))
            for slug, volume in cocktail
        )
        points = Points(
            summary.points, Q_(each_ml, ML), summary.deepest_mm, summary.smallest_gap_cm
        )
        return check(Plan(day, area, technique, components, points, weight_kg, history))

    def found(result, rules=None):
        return [
            f for f in result_to_dict(result)["findings"] if rules is None or f["rule"] in rules
        ]

    result = run(areas[0], mean_ml)
    findings = found(result)
    if uneven:
        findings = [f for f in findings if f["rule"] != LimitKind.VOLUME_PER_INJECTION]
        findings += found(run(areas[0], largest), {LimitKind.VOLUME_PER_INJECTION})
    for area in areas[1:]:
        findings += found(run(area, mean_ml), {LimitKind.ALLOWED_AREAS})
    return result, findings
