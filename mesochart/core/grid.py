"""Injection grid planner: where the needle goes inside a treatment region.

All lengths are centimetres and all areas square centimetres, in the frame of the region's
template (x to the right, y up). The planner lays one regular lattice over the region —
square, or staggered (offset rows, i.e. hexagonal) — so two points are never closer than
the spacing, tries several lattice phases and keeps the one that fits the most points.
A label grid such as deoxycholic acid's "injections 1 cm apart on a grid" [LABEL] NDA 206333
is a square lattice at ``spacing_cm=1``.

Pure geometry (shapely 2 and numpy), no Django: the clinical app translates its models into
these dataclasses and back.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import shapely
from shapely import Polygon

PointCm = tuple[float, float]
RingCm = tuple[PointCm, ...]
Pattern = Literal["square", "staggered"]

PATTERNS: tuple[str, ...] = ("square", "staggered")

# Phases tried per lattice axis: 8 × 8 = 64 candidate lattices. Only nodes near the edges
# are tested per phase, in one vectorised call.
_PHASES_PER_AXIS = 8
# Beyond this many lattice nodes per phase the request is almost certainly a unit mistake
# (millimetres typed as centimetres) and the candidate arrays would take hundreds of MB.
_MAX_NODES = 200_000
# The most points one region of a chart holds: a grid, a plan and a session store no more.
MAX_POINTS_PER_REGION = 5000
# Segments per quarter circle where the margin rounds a concave corner. The chord error is
# margin × (1 − cos(π / 64)) ≈ 0.12 % of the margin: 0.012 mm for a 1 cm margin.
_MARGIN_QUAD_SEGS = 16


class GridError(ValueError):
    """Invalid grid input; names the field and the rule it breaks, as forms and the API do."""

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule


def _ring(value: Iterable[tuple[float, float]], field: str) -> RingCm:
    """Normalise a vertex list to a tuple of float pairs without the closing duplicate."""
    try:
        ring = tuple((float(x), float(y)) for x, y in value)
    except (TypeError, ValueError) as exc:
        raise GridError(field, "must be a sequence of (x, y) numbers") from exc
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring = ring[:-1]
    if not all(math.isfinite(c) for point in ring for c in point):
        raise GridError(field, "coordinates must be finite numbers")
    if len(ring) < 3:
        raise GridError(field, "needs at least 3 vertices")
    return ring


def _check_polygon(polygon: Polygon, field: str) -> None:
    # Collinear vertices report as a self-intersection in GEOS; say what is really wrong.
    if polygon.convex_hull.area <= 0:
        raise GridError(field, "must enclose an area")
    reason = shapely.is_valid_reason(polygon)
    if reason == "Valid Geometry":
        return
    if "Self-intersection" in reason:
        raise GridError(field, "must not intersect itself")
    raise GridError(field, f"must be a valid polygon ({reason})")


@dataclass(frozen=True)
class Region:
    """A treatment region in cm: an outline, optional holes, and areas not to inject.

    Holes are outside the region (the margin also keeps away from their edges); exclusions
    are danger zones such as a nerve band, and a point must lie strictly outside each one.
    Lists are accepted and stored as tuples; an invalid region cannot be constructed.
    """

    outline_cm: RingCm
    holes_cm: tuple[RingCm, ...] = ()
    exclusions_cm: tuple[RingCm, ...] = ()

    def __post_init__(self) -> None:
        outline = _ring(self.outline_cm, "outline_cm")
        holes = tuple(_ring(h, f"holes_cm[{i}]") for i, h in enumerate(self.holes_cm))
        exclusions = tuple(
            _ring(e, f"exclusions_cm[{i}]") for i, e in enumerate(self.exclusions_cm)
        )
        _check_polygon(Polygon(outline), "outline_cm")
        for i, hole in enumerate(holes):
            _check_polygon(Polygon(hole), f"holes_cm[{i}]")
        if holes:
            _check_polygon(Polygon(outline, holes), "holes_cm")
        for i, exclusion in enumerate(exclusions):
            _check_polygon(Polygon(exclusion), f"exclusions_cm[{i}]")
        object.__setattr__(self, "outline_cm", outline)
        object.__setattr__(self, "holes_cm", holes)
        object.__setattr__(self, "exclusions_cm", exclusions)

    def polygon(self) -> Polygon:
        """The region (outline minus holes) as a shapely polygon, exclusions not removed."""
        return Polygon(self.outline_cm, self.holes_cm)

    def exclusion_union(self) -> shapely.Geometry:
        """All exclusions merged into one geometry (empty when there are none)."""
        return shapely.union_all([Polygon(e) for e in self.exclusions_cm])


@dataclass(frozen=True)
class GridRequest:
    """What to plan: a region, the needle spacing, the lattice and an optional point target.

    ``margin_cm`` keeps every point at least that far inside the region's edges (outline and
    holes). ``target_count`` is how many points the practitioner wants, e.g. a label maximum
    per session; ``None`` means as many as fit.
    """

    region: Region
    spacing_cm: float
    pattern: Pattern = "square"
    margin_cm: float = 0.0
    target_count: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.region, Region):
            raise GridError("region", "must be a Region")
        if not (math.isfinite(self.spacing_cm) and self.spacing_cm > 0):
            raise GridError("spacing_cm", "must be greater than 0")
        if not (math.isfinite(self.margin_cm) and self.margin_cm >= 0):
            raise GridError("margin_cm", "must be 0 or more")
        if self.pattern not in PATTERNS:
            raise GridError("pattern", "must be 'square' or 'staggered'")
        target = self.target_count
        if target is not None and (isinstance(target, bool) or not isinstance(target, int)):
            raise GridError("target_count", "must be a whole number")
        if target is not None and target < 1:
            raise GridError("target_count", "must be at least 1")


@dataclass(frozen=True)
class GridResult:
    """The planned points and what the region could hold.

    ``points`` are (x_cm, y_cm), ordered in rows from the lowest y up, left to right.
    ``area_cm2`` is the usable area: the region after the margin, minus exclusions.
    ``capacity`` is how many points the region holds at this spacing; ``shortfall`` is how
    many of the target did not fit (0 without a target or when the target fits).
    """

    points: tuple[PointCm, ...]
    area_cm2: float
    capacity: int
    shortfall: int


def region_area_cm2(region: Region) -> float:
    """Area of the region in cm², holes and exclusions removed (no margin applied)."""
    return float(shapely.difference(region.polygon(), region.exclusion_union()).area)


def plan_grid(request: GridRequest) -> GridResult:
    """Plan injection points; a region too small for the target is reported, not raised."""
    region = request.region
    inner = region.polygon()
    if request.margin_cm > 0:
        inner = shapely.buffer(inner, -request.margin_cm, quad_segs=_MARGIN_QUAD_SEGS)
    exclusions = region.exclusion_union()
    usable = shapely.difference(inner, exclusions)
    target = request.target_count
    if usable.is_empty:
        return GridResult((), 0.0, 0, target or 0)

    points = _best_lattice(inner, exclusions, usable, request.spacing_cm, request.pattern)
    capacity = len(points)
    if target is not None and capacity > target:
        points = _spread_subset(points, target)
    shortfall = max(0, target - capacity) if target is not None else 0
    return GridResult(
        points=tuple(map(tuple, points.tolist())),
        area_cm2=float(usable.area),
        capacity=capacity,
        shortfall=shortfall,
    )


def _best_lattice(
    inner: shapely.Geometry,
    exclusions: shapely.Geometry,
    usable: shapely.Geometry,
    spacing_cm: float,
    pattern: str,
) -> np.ndarray:
    """Points of the lattice phase that holds the most points, as an (n, 2) array.

    Phases shift the lattice by less than ``reach`` (half a cell diagonal) either way, so
    nodes deeper than that inside the usable area are in for every phase and nodes farther
    than that outside are out for every phase: only the band between is tested per phase. The
    tests run on ``inner`` and ``exclusions`` themselves, not their overlay, so they are
    exact for the given input. Ties go to the phase centred best on the usable area, then
    to the first phase tried, so the plan is deterministic.
    """
    row_cm = spacing_cm if pattern == "square" else spacing_cm * math.sqrt(3) / 2
    minx, miny, maxx, maxy = usable.bounds
    # One node beyond each side of the bounds, so every phase still covers them.
    n_cols = math.floor((maxx - minx) / spacing_cm) + 3
    n_rows = math.floor((maxy - miny) / row_cm) + 3
    if n_cols * n_rows > _MAX_NODES:
        raise GridError("spacing_cm", f"too small for this region (over {_MAX_NODES} points)")
    rows, cols = np.divmod(np.arange(n_rows * n_cols), n_cols)
    node_x = minx + (cols - 1) * spacing_cm
    if pattern == "staggered":
        node_x = node_x + (rows % 2) * (spacing_cm / 2)
    node_y = miny + (rows - 1) * row_cm

    shapely.prepare(inner)
    if not exclusions.is_empty:
        shapely.prepare(exclusions)

    def inside(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        hits = shapely.contains_xy(inner, x, y)
        if not exclusions.is_empty:
            hits &= ~shapely.intersects_xy(exclusions, x, y)
        return hits

    # 2 % over half a cell diagonal covers the buffer's chord error at corners (0.5 %).
    reach = math.hypot(spacing_cm, row_cm) / 2 * 1.02
    core = shapely.buffer(usable, -reach)
    hull = shapely.buffer(usable, reach)
    always = shapely.contains_xy(core, node_x, node_y)
    band = ~always & shapely.intersects_xy(hull, node_x, node_y)
    band_x, band_y = node_x[band], node_y[band]

    # A staggered lattice repeats under (spacing, 0) and (spacing / 2, row), so phases over
    # one spacing × one row, centred on zero, cover every translation for both patterns.
    fractions = np.arange(_PHASES_PER_AXIS) / _PHASES_PER_AXIS - 0.5
    grid_x, grid_y = np.meshgrid(fractions * spacing_cm, fractions * row_cm, indexing="ij")
    phase_x, phase_y = grid_x.ravel(), grid_y.ravel()
    xs = band_x[None, :] + phase_x[:, None]
    ys = band_y[None, :] + phase_y[:, None]
    hits = inside(xs.ravel(), ys.ravel()).reshape(xs.shape)

    n_always = int(always.sum())
    counts = n_always + hits.sum(axis=1)
    if counts.max() == 0:
        return np.empty((0, 2))
    best = np.flatnonzero(counts == counts.max())
    if len(best) > 1:
        centre = usable.centroid
        sum_x = node_x[always].sum() + n_always * phase_x[best] + (xs[best] * hits[best]).sum(1)
        sum_y = node_y[always].sum() + n_always * phase_y[best] + (ys[best] * hits[best]).sum(1)
        offset = np.hypot(sum_x / counts[best] - centre.x, sum_y / counts[best] - centre.y)
        best = best[np.isclose(offset, offset.min(), rtol=0, atol=1e-9)]
    chosen = best[0]
    keep = always.copy()
    keep[band] = hits[chosen]
    return np.column_stack((node_x[keep] + phase_x[chosen], node_y[keep] + phase_y[chosen]))


def _spread_subset(points: np.ndarray, count: int) -> np.ndarray:
    """``count`` of ``points`` spread evenly over the region, in the original row order.

    Farthest-point sampling: start at the point nearest the centre of the set, then keep
    adding the point farthest from those already chosen. Deterministic (ties go to the
    lower row-ordered index), and the points stay lattice points, so the spacing holds.
    """
    centre = points.mean(axis=0)
    first = int(np.argmin(np.hypot(*(points - centre).T)))
    chosen = [first]
    nearest = np.hypot(*(points - points[first]).T)
    for _ in range(count - 1):
        nxt = int(np.argmax(nearest))
        chosen.append(nxt)
        nearest = np.minimum(nearest, np.hypot(*(points - points[nxt]).T))
    return points[np.sort(chosen)]


def scale_to_size(region: Region, width_cm: float, height_cm: float) -> Region:
    """Stretch a template region to a patient's measured width and height, in cm.

    x and y scale independently so the outline's bounding box becomes width × height; holes
    and exclusions move with it. The bounding box's lower-left corner stays where it was.
    """
    for field, value in (("width_cm", width_cm), ("height_cm", height_cm)):
        if not (math.isfinite(value) and value > 0):
            raise GridError(field, "must be greater than 0")
    minx, miny, maxx, maxy = Polygon(region.outline_cm).bounds
    return _scale(region, width_cm / (maxx - minx), height_cm / (maxy - miny))


def scale_by_circumference(
    region: Region, reference_circumference_cm: float, measured_circumference_cm: float
) -> Region:
    """Scale a template uniformly by the patient's circumference over the template's.

    For limbs and the trunk, where a tape measure round the site is what the clinic records:
    a thigh measured at 60 cm on a template drawn for 50 cm scales every length by 1.2.
    """
    for field, value in (
        ("reference_circumference_cm", reference_circumference_cm),
        ("measured_circumference_cm", measured_circumference_cm),
    ):
        if not (math.isfinite(value) and value > 0):
            raise GridError(field, "must be greater than 0")
    factor = measured_circumference_cm / reference_circumference_cm
    return _scale(region, factor, factor)


def _scale(region: Region, x_factor: float, y_factor: float) -> Region:
    minx, miny, _, _ = Polygon(region.outline_cm).bounds

    def scaled(ring: RingCm) -> RingCm:
        return tuple((minx + (x - minx) * x_factor, miny + (y - miny) * y_factor) for x, y in ring)

    return Region(
        outline_cm=scaled(region.outline_cm),
        holes_cm=tuple(scaled(h) for h in region.holes_cm),
        exclusions_cm=tuple(scaled(e) for e in region.exclusions_cm),
    )
