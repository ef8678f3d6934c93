"""What a plan (saved, or as the editor holds it) says to the dose engine and to its chart.

`region_points` resolves each point's depth and volume against its region's defaults;
`placement_findings` reports points inside an exclusion (blocking, with the exclusion's
source) or outside the measured region (a warning); `review` puts both together with the
engine's verdict from `dosecheck.check_plan`.
"""

from datetime import date

import numpy as np
import shapely

from mesochart.core.grid import GridError
from mesochart.core.session_check import RegionPoints
from mesochart.planning.areas import get_view
from mesochart.planning.dosecheck import check_plan


def _f(value) -> float | None:
    return None if value is None else float(value)


def region_points(region: dict) -> RegionPoints:
    """``region``: a dict with view, region, spacing_cm, depth_mm, volume_ml and points."""
    depth, volume = _f(region.get("depth_mm")), _f(region.get("volume_ml"))
    xy, depths, volumes = [], [], []
    for point in region.get("points") or []:
        xy.append((float(point[0]), float(point[1])))
        own_depth = point[2] if len(point) > 2 else None
        own_volume = point[3] if len(point) > 3 else None
        depths.append(_f(own_depth) if own_depth is not None else depth)
        volumes.append(_f(own_volume) if own_volume is not None else volume)
    return RegionPoints(
        region=region["region"],
        spacing_cm=float(region.get("spacing_cm") or 1),
        xy=tuple(xy),
        depths_mm=tuple(depths),
        volumes_ml=tuple(volumes),
    )


# What a session borrows from its plan's region to place its points: it stores none of them.
FROM_THE_PLAN = ("width_cm", "height_cm", "circumference_cm", "pattern")


def measured_as_planned(regions: list[dict], planned: list[dict]) -> list[dict]:
    """A session's ``regions`` with the measurements of the ``planned`` regions (the plan's,
    `saved_regions`) they match.

    Points are in cm on the patient; where they fall (on the figure, in an exclusion) needs
    the region's measurements, and those are the plan's (an approved plan is locked, so they
    do not move under a session). A region the plan does not have keeps the template's size.
    """
    by_name = {(r["view"], r["region"]): r for r in planned}
    return [
        {**{k: by_name.get((r["view"], r["region"]), {}).get(k) for k in FROM_THE_PLAN}, **r}
        for r in regions
    ]


def placement_findings(regions: list[dict]) -> list[dict]:
    findings = []
    for region in regions:
        if not region.get("points"):
            continue
        try:
            template = get_view(region["view"]).region(region["region"])
        except GridError as error:
            # Saved before regions were checked on the way in: the draft still opens, and
            # the region blocks signing until it is corrected.
            findings.append(_finding("block", "unknown_region", str(error), "mesochart"))
            continue
        try:
            scaled = template.region(
                _f(region.get("width_cm")),
                _f(region.get("height_cm")),
                _f(region.get("circumference_cm")),
            )
        except GridError:
            continue
        xy = np.asarray([p[:2] for p in region["points"]], dtype=float)
        outside = ~shapely.contains_xy(scaled.polygon(), xy[:, 0], xy[:, 1])
        for exclusion, ring in zip(template.exclusions, scaled.exclusions_cm, strict=True):
            inside = shapely.intersects_xy(shapely.Polygon(ring), xy[:, 0], xy[:, 1])
            if inside.any():
                findings.append(
                    _finding(
                        "block",
                        "exclusion_zone",
                        f"{int(inside.sum())} point(s) of {template.name} lie in the "
                        f"{exclusion.name.lower()} ({exclusion.note})",
                        exclusion.source,
                    )
                )
        if outside.any():
            findings.append(
                _finding(
                    "warn",
                    "outside_region",
                    f"{int(outside.sum())} point(s) lie outside the measured {template.name}",
                    "mesochart: the region as measured on the patient",
                )
            )
    return findings


def _finding(severity, rule, message, source) -> dict:
    origin = "label" if source.startswith("[LABEL]") else "clinic"
    return {
        "severity": severity,
        "rule": rule,
        "product": None,
        "ingredient": None,
        "message": message,
        "actual": None,
        "limit": None,
        "source": source,
        "origin": origin,
        "session": None,
    }


def review(regions: list[dict], cocktail, clinic, weight_kg, dates, today: date) -> dict:
    """The engine's verdict on ``regions`` plus the placement findings, as JSON-able data."""
    out = check_plan([region_points(r) for r in regions], cocktail, clinic, weight_kg, dates, today)
    placement = placement_findings(regions)
    if placement:
        out["findings"] = sorted(
            [*placement, *out["findings"]], key=lambda f: f["severity"] != "block"
        )
        out["blocked"] = out["blocked"] or any(f["severity"] == "block" for f in placement)
    return out


REGION_FIELDS = (
    "view",
    "region",
    "width_cm",
    "height_cm",
    "circumference_cm",
    "spacing_cm",
    "pattern",
    "depth_mm",
    "volume_ml",
    "points",
)


def saved_regions(plan) -> list[dict]:
    """The plan's regions as dicts (one query), in the shape the editor and API use."""
    return list(plan.regions.order_by("position", "pk").values(*REGION_FIELDS))


def cocktail_of(plan) -> list[tuple[str, object]]:
    if plan.cocktail_version_id is None:
        return []
    return list(
        plan.cocktail_version.components.order_by("position", "pk").values_list(
            "product__slug", "volume_ml"
        )
    )


def review_plan(plan, today: date, regions: list[dict] | None = None) -> dict:
    """`review` of the plan as saved, or of ``regions`` as the editor holds them."""
    dates = list(plan.sessions.values_list("date", flat=True))
    weight = plan.patient.weight_kg
    return review(
        saved_regions(plan) if regions is None else regions,
        cocktail_of(plan),
        plan.clinic,
        None if weight is None else float(weight),
        dates,
        today,
    )
