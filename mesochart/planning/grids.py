"""Grid generation for a template region scaled to the patient (the ``POST /grid`` path).

No database: a view slug, a region slug, the measurements and the grid settings in; the
points in the patient's frame (cm) and what the region could hold out. Errors are
``core.grid.GridError`` (field, rule), shown as ``field: rule`` everywhere.
"""

from dataclasses import dataclass

import numpy as np

from mesochart.core.grid import (
    MAX_POINTS_PER_REGION,
    GridError,
    GridRequest,
    GridResult,
    Pattern,
    Region,
    plan_grid,
)
from mesochart.planning.areas import RegionTemplate, get_view


@dataclass(frozen=True)
class Grid:
    template: RegionTemplate
    region: Region
    factors: tuple[float, float]
    result: GridResult


def generate(
    view: str,
    region: str,
    spacing_cm: float,
    pattern: Pattern = "square",
    width_cm: float | None = None,
    height_cm: float | None = None,
    circumference_cm: float | None = None,
    margin_cm: float = 0.0,
    target_count: int | None = None,
) -> Grid:
    template = get_view(view).region(region)
    factors = template.factors(width_cm, height_cm, circumference_cm)
    scaled = template.region(width_cm, height_cm, circumference_cm)
    if target_count is not None and target_count > MAX_POINTS_PER_REGION:
        raise GridError("target_count", f"must be at most {MAX_POINTS_PER_REGION}")
    request = GridRequest(scaled, spacing_cm, pattern, margin_cm, target_count)
    result = plan_grid(request)
    if len(result.points) > MAX_POINTS_PER_REGION:
        # The plan could not store them either (`clean_points`): refuse the grid rather
        # than send a chart no one can save.
        raise GridError(
            "spacing_cm", f"too small for this region (over {MAX_POINTS_PER_REGION} points)"
        )
    return Grid(template, scaled, factors, result)


def as_json(grid: Grid) -> dict:
    """Points rounded to 0.001 cm (0.01 mm), as the plan stores them."""
    result = grid.result
    points = np.round(np.asarray(result.points, dtype=float).reshape(-1, 2), 3)
    return {
        "points": points.tolist(),
        "count": len(result.points),
        "capacity": result.capacity,
        "shortfall": result.shortfall,
        "area_cm2": round(result.area_cm2, 2),
        "factors": [round(f, 6) for f in grid.factors],
        "origin_cm": list(grid.template.bounds_cm[:2]),
        "outline_cm": [list(p) for p in grid.region.outline_cm],
        "exclusions_cm": [[list(p) for p in ring] for ring in grid.region.exclusions_cm],
    }
