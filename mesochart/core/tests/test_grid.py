"""Injection grid planner: placement guarantees, label geometry, targets, scaling, errors."""

import math
from dataclasses import replace

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely import Point, Polygon

from mesochart.core.grid import (
    GridError,
    GridRequest,
    Region,
    plan_grid,
    region_area_cm2,
    scale_by_circumference,
    scale_to_size,
)

STAGGERED_GAIN = 2 / math.sqrt(3)  # points per area of a hexagonal lattice over a square one


def rectangle(x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float]]:
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def min_distance_cm(points: tuple[tuple[float, float], ...]) -> float:
    """Smallest pairwise distance, in chunks so large grids stay small in memory."""
    xy = np.asarray(points)
    smallest = math.inf
    for start in range(0, len(xy) - 1, 500):
        block = xy[start : start + 500]
        gaps = np.hypot(*(block[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
        rows = np.arange(len(block))
        gaps[rows, start + rows] = math.inf
        smallest = min(smallest, float(gaps.min()))
    return smallest


def assert_valid_placement(request: GridRequest, points: tuple[tuple[float, float], ...]) -> None:
    region = request.region
    polygon = region.polygon()
    exclusions = [Polygon(e) for e in region.exclusions_cm]
    # The margin's rounded corners are polygons within 0.12 % of the true arc.
    least_margin_cm = request.margin_cm * 0.998
    for x, y in points:
        point = Point(x, y)
        assert polygon.contains(point)
        assert polygon.boundary.distance(point) >= least_margin_cm - 1e-9
        assert not any(e.intersects(point) for e in exclusions)
    if len(points) > 1:
        assert min_distance_cm(points) >= request.spacing_cm - 1e-6


# --- fixed geometry -------------------------------------------------------------------------


def test_rectangle_holds_one_point_per_square_cm():
    result = plan_grid(GridRequest(Region(rectangle(0, 0, 30, 20)), spacing_cm=1.0))
    assert result.capacity == len(result.points) == 600
    assert result.area_cm2 == pytest.approx(600)
    assert result.shortfall == 0


def test_half_cm_spacing_holds_four_times_as_many():
    result = plan_grid(GridRequest(Region(rectangle(0, 0, 30, 20)), spacing_cm=0.5))
    assert len(result.points) == 2400


def test_staggered_rows_hold_more_than_square_rows():
    region = Region(rectangle(0, 0, 30, 20))
    square = plan_grid(GridRequest(region, 0.5, "square"))
    staggered = plan_grid(GridRequest(region, 0.5, "staggered"))
    assert staggered.capacity / square.capacity == pytest.approx(STAGGERED_GAIN, abs=0.03)
    assert_valid_placement(GridRequest(region, 0.5, "staggered"), staggered.points)


def test_points_come_in_rows_from_the_bottom_up():
    points = plan_grid(GridRequest(Region(rectangle(0, 0, 4, 3)), 1.0)).points
    assert list(points) == sorted(points, key=lambda p: (p[1], p[0]))


def test_margin_keeps_points_away_from_the_edge():
    request = GridRequest(Region(rectangle(0, 0, 10, 10)), 1.0, margin_cm=1.0)
    result = plan_grid(request)
    assert result.capacity == 64  # an open 8 × 8 cm square holds 8 × 8 points
    assert result.area_cm2 == pytest.approx(64)
    assert_valid_placement(request, result.points)


def test_no_points_in_a_hole():
    hole = rectangle(3, 3, 7, 7)
    request = GridRequest(Region(rectangle(0, 0, 10, 10), holes_cm=[hole]), 1.0, margin_cm=0.5)
    result = plan_grid(request)
    assert result.points
    assert not any(Polygon(hole).buffer(0.5 * 0.998).contains(Point(p)) for p in result.points)
    assert_valid_placement(request, result.points)


def test_margin_wider_than_the_region_places_nothing_and_reports_the_target():
    request = GridRequest(Region(rectangle(0, 0, 2, 2)), 1.0, margin_cm=1.5, target_count=10)
    result = plan_grid(request)
    assert result.points == ()
    assert result.area_cm2 == 0
    assert result.shortfall == 10


def test_same_request_gives_the_same_plan():
    request = GridRequest(Region([(0, 0), (9, 1), (7, 8), (3, 4), (-1, 6)]), 0.8, "staggered")
    assert plan_grid(request) == plan_grid(request)


# --- label case: deoxycholic acid, submental ------------------------------------------------


# Deoxycholic acid 10 mg/mL [LABEL] NDA 206333: injections 1 cm apart on a grid, at most 50
# per session, submental region only, and "keep 1–1.5 cm below the lower border of the
# mandible free (marginal mandibular nerve)". A simple submental outline: the mandible's
# lower border is the top edge (y = 0), the region narrows down the neck.
SUBMENTAL_CM = [(-5, 0), (5, 0), (4, -3), (2.5, -5.5), (-2.5, -5.5), (-4, -3)]
LABEL_SPACING_CM = 1.0
LABEL_MAX_INJECTIONS = 50


def nerve_band(width_cm: float) -> list[tuple[float, float]]:
    """The band below the mandible kept free, drawn wider than the region on purpose."""
    return rectangle(-6, -width_cm, 6, 1)


def most_points_that_fit(usable: shapely.Geometry, spacing_cm: float) -> int:
    """Brute force over a fine sweep of square-lattice phases: what the area can hold."""
    best = 0
    j, i = np.mgrid[-10:10, -10:10]
    for fx in np.linspace(0, 1, 24, endpoint=False):
        for fy in np.linspace(0, 1, 24, endpoint=False):
            x, y = ((i + fx) * spacing_cm).ravel(), ((j + fy) * spacing_cm).ravel()
            best = max(best, int(shapely.contains_xy(usable, x, y).sum()))
    return best


@pytest.mark.parametrize("band_cm", [1.0, 1.5])
def test_submental_grid_keeps_the_nerve_band_free(band_cm):
    region = Region(SUBMENTAL_CM, exclusions_cm=[nerve_band(band_cm)])
    request = GridRequest(region, LABEL_SPACING_CM, target_count=LABEL_MAX_INJECTIONS)
    result = plan_grid(request)

    assert all(y < -band_cm for _, y in result.points)
    assert_valid_placement(request, result.points)
    fits = most_points_that_fit(Polygon(SUBMENTAL_CM).difference(Polygon(nerve_band(band_cm))), 1)
    assert fits - 1 <= result.capacity <= fits
    assert result.shortfall == LABEL_MAX_INJECTIONS - result.capacity


def test_wider_nerve_band_leaves_fewer_points():
    def capacity(band_cm: float) -> int:
        region = Region(SUBMENTAL_CM, exclusions_cm=[nerve_band(band_cm)])
        return plan_grid(GridRequest(region, LABEL_SPACING_CM)).capacity

    assert capacity(1.5) < capacity(1.0)


# --- targets --------------------------------------------------------------------------------


def test_target_beyond_capacity_reports_the_shortfall():
    result = plan_grid(GridRequest(Region(rectangle(0, 0, 5, 4)), 1.0, target_count=30))
    assert (len(result.points), result.capacity, result.shortfall) == (20, 20, 10)


def test_smaller_target_is_spread_over_the_whole_region():
    request = GridRequest(Region(rectangle(0, 0, 30, 20)), 1.0, target_count=12)
    result = plan_grid(request)
    assert len(result.points) == 12
    assert (result.capacity, result.shortfall) == (600, 0)
    xs, ys = zip(*result.points, strict=True)
    assert max(xs) - min(xs) > 25 and max(ys) - min(ys) > 15  # not just the first rows
    for half in (lambda p: p[1] < 10, lambda p: p[1] > 10, lambda p: p[0] < 15):
        assert sum(map(half, result.points)) >= 4
    assert set(result.points) <= set(plan_grid(GridRequest(request.region, 1.0)).points)


# --- area and scaling -----------------------------------------------------------------------


def test_area_subtracts_holes_and_the_part_of_exclusions_inside():
    region = Region(
        rectangle(0, 0, 10, 10),
        holes_cm=[rectangle(1, 1, 3, 3)],
        exclusions_cm=[rectangle(8, 8, 12, 12)],
    )
    assert region_area_cm2(region) == pytest.approx(100 - 4 - 4)


def test_scale_to_measured_width_and_height():
    template = Region(
        [(2, 1), (12, 1), (12, 6), (7, 9), (2, 6)], exclusions_cm=[rectangle(4, 2, 5, 3)]
    )
    scaled = scale_to_size(template, width_cm=15, height_cm=4)
    minx, miny, maxx, maxy = Polygon(scaled.outline_cm).bounds
    assert (minx, miny, maxx - minx, maxy - miny) == pytest.approx((2, 1, 15, 4))
    assert region_area_cm2(scaled) == pytest.approx(region_area_cm2(template) * 1.5 * 0.5)
    assert Polygon(scaled.exclusions_cm[0]).bounds == pytest.approx((5, 1.5, 6.5, 2))


def test_scale_by_circumference_is_uniform():
    template = Region(rectangle(0, 0, 20, 30), holes_cm=[rectangle(5, 5, 6, 6)])
    scaled = scale_by_circumference(
        template, reference_circumference_cm=50, measured_circumference_cm=60
    )
    assert Polygon(scaled.outline_cm).bounds == pytest.approx((0, 0, 24, 36))
    assert region_area_cm2(scaled) == pytest.approx(region_area_cm2(template) * 1.2**2)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda r: scale_to_size(r, 0, 5), "width_cm: must be greater than 0"),
        (lambda r: scale_to_size(r, 5, -1), "height_cm: must be greater than 0"),
        (
            lambda r: scale_by_circumference(r, 0, 50),
            "reference_circumference_cm: must be greater than 0",
        ),
        (
            lambda r: scale_by_circumference(r, 50, math.nan),
            "measured_circumference_cm: must be greater than 0",
        ),
    ],
)
def test_scaling_rejects_non_positive_measurements(call, message):
    with pytest.raises(GridError, match=f"^{message}$"):
        call(Region(rectangle(0, 0, 1, 1)))


# --- invalid input --------------------------------------------------------------------------


SQUARE = rectangle(0, 0, 10, 10)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: GridRequest(Region(SQUARE), 0), "spacing_cm: must be greater than 0"),
        (lambda: GridRequest(Region(SQUARE), -1), "spacing_cm: must be greater than 0"),
        (lambda: GridRequest(Region(SQUARE), math.inf), "spacing_cm: must be greater than 0"),
        (lambda: GridRequest(Region(SQUARE), 1, margin_cm=-0.1), "margin_cm: must be 0 or more"),
        (
            lambda: GridRequest(Region(SQUARE), 1, pattern="hexagonal"),
            "pattern: must be 'square' or 'staggered'",
        ),
        (
            lambda: GridRequest(Region(SQUARE), 1, target_count=0),
            "target_count: must be at least 1",
        ),
        (
            lambda: GridRequest(Region(SQUARE), 1, target_count=2.5),
            "target_count: must be a whole number",
        ),
        (lambda: Region([(0, 0), (1, 0)]), "outline_cm: needs at least 3 vertices"),
        (lambda: Region([(0, 0), (1, 0), (0, 0)]), "outline_cm: needs at least 3 vertices"),
        (
            lambda: Region([(0, 0), (2, 2), (2, 0), (0, 2)]),
            "outline_cm: must not intersect itself",
        ),
        (lambda: Region([(0, 0), (1, 1), (2, 2)]), "outline_cm: must enclose an area"),
        (
            lambda: Region([(0, 0), (1, 0), (math.nan, 1)]),
            "outline_cm: coordinates must be finite numbers",
        ),
        (lambda: Region("abc"), "outline_cm: must be a sequence of \\(x, y\\) numbers"),
        (
            lambda: Region(SQUARE, exclusions_cm=[[(0, 0), (2, 2), (2, 0), (0, 2)]]),
            "exclusions_cm\\[0\\]: must not intersect itself",
        ),
        (
            lambda: Region(SQUARE, holes_cm=[rectangle(20, 20, 21, 21)]),
            "holes_cm: must be a valid polygon \\(Hole lies outside shell.*\\)",
        ),
        (
            lambda: plan_grid(GridRequest(Region(SQUARE), 1e-3)),
            "spacing_cm: too small for this region.*",
        ),
    ],
)
def test_invalid_input_names_the_field_and_the_rule(build, message):
    with pytest.raises(GridError, match=f"^{message}$"):
        build()


def test_grid_error_exposes_field_and_rule():
    with pytest.raises(GridError) as caught:
        GridRequest(Region(SQUARE), 0)
    assert (caught.value.field, caught.value.rule) == ("spacing_cm", "must be greater than 0")


def test_closing_vertex_is_optional():
    assert Region([*SQUARE, SQUARE[0]]) == Region(SQUARE)


# --- properties -----------------------------------------------------------------------------


@st.composite
def star_outlines(draw, centre=(0.0, 0.0), radius_cm=(2.0, 12.0)):
    """Star-shaped polygons from random radii at even angles: concave most of the time."""
    n = draw(st.integers(5, 14))
    low, high = radius_cm
    radii = draw(st.lists(st.floats(low, high), min_size=n, max_size=n))
    turn = draw(st.floats(0, 2 * math.pi))
    cx, cy = centre
    return [
        (
            cx + r * math.cos(turn + 2 * math.pi * k / n),
            cy + r * math.sin(turn + 2 * math.pi * k / n),
        )
        for k, r in enumerate(radii)
    ]


@st.composite
def convex_outlines(draw):
    """The convex hull of random points."""
    xy = draw(st.lists(st.tuples(st.floats(-10, 10), st.floats(-10, 10)), min_size=3, max_size=12))
    hull = shapely.convex_hull(shapely.multipoints(xy))
    if not isinstance(hull, Polygon) or hull.area < 1:
        return rectangle(0, 0, 8, 5)
    return list(hull.exterior.coords)[:-1]


@st.composite
def notched_rectangles(draw):
    """A rectangle with a rectangular notch cut into its top edge: a concave U shape."""
    w, h = draw(st.floats(6, 25)), draw(st.floats(6, 25))
    left = draw(st.floats(1, w / 2 - 1))
    right = draw(st.floats(w / 2 + 1, w - 1))
    depth = draw(st.floats(1, h - 1))
    return [
        (0, 0),
        (w, 0),
        (w, h),
        (right, h),
        (right, h - depth),
        (left, h - depth),
        (left, h),
        (0, h),
    ]


outlines = st.one_of(star_outlines(), convex_outlines(), notched_rectangles())
exclusion_lists = st.lists(
    st.tuples(st.floats(-8, 8), st.floats(-8, 8)).flatmap(
        lambda centre: star_outlines(centre=centre, radius_cm=(0.5, 3.0))
    ),
    max_size=3,
)
grid_requests = st.builds(
    lambda outline, exclusions, spacing_cm, pattern, margin_cm: GridRequest(
        Region(outline, exclusions_cm=exclusions), spacing_cm, pattern, margin_cm
    ),
    outlines,
    exclusion_lists,
    st.floats(0.5, 2.5),
    st.sampled_from(["square", "staggered"]),
    st.sampled_from([0.0, 0.3, 1.0]),
)

PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(grid_requests)
def test_every_point_is_inside_clear_of_exclusions_and_spaced(grid_request):
    result = plan_grid(grid_request)
    assert len(result.points) == result.capacity
    assert_valid_placement(grid_request, result.points)


@PROPERTY_SETTINGS
@given(
    st.one_of(star_outlines(radius_cm=(8.0, 14.0)), notched_rectangles()),
    st.floats(0.4, 1.0),
    st.sampled_from(["square", "staggered"]),
)
def test_count_follows_area_over_spacing_squared(outline, spacing_cm, pattern):
    polygon = Polygon(outline)
    density = (1 if pattern == "square" else STAGGERED_GAIN) / spacing_cm**2
    count = plan_grid(GridRequest(Region(outline), spacing_cm, pattern)).capacity
    expected = density * polygon.area
    # Only the boundary layer, about one spacing deep, can be lost or gained.
    assert abs(count - expected) <= density * polygon.length * spacing_cm


@settings(max_examples=60, deadline=None)
@given(st.floats(20, 40), st.floats(20, 40), st.floats(0.5, 1.0))
def test_rectangle_rows_and_columns_are_as_full_as_they_can_be(width_cm, height_cm, spacing_cm):
    # An open interval of length L holds fewer than L / spacing + 1 points of a row and the
    # best phase never leaves more than one out; rows stack the same way.
    region = Region(rectangle(0, 0, width_cm, height_cm))
    for pattern, row_cm in (("square", spacing_cm), ("staggered", spacing_cm * math.sqrt(3) / 2)):
        per_row, rows = width_cm / spacing_cm, height_cm / row_cm
        count = plan_grid(GridRequest(region, spacing_cm, pattern)).capacity
        assert (per_row - 1) * (rows - 1) <= count <= (per_row + 1) * (rows + 1)


@PROPERTY_SETTINGS
@given(grid_requests, st.integers(1, 400))
def test_target_count_is_met_or_the_shortfall_reported(grid_request, target):
    full = plan_grid(grid_request)
    result = plan_grid(replace(grid_request, target_count=target))
    assert len(result.points) == min(target, full.capacity)
    assert result.shortfall == max(0, target - full.capacity)
    assert result.capacity == full.capacity
    assert set(result.points) <= set(full.points)


@settings(max_examples=60, deadline=None)
@given(outlines, st.floats(2, 40), st.floats(2, 40))
def test_scaled_region_has_the_measured_size(outline, width_cm, height_cm):
    scaled = scale_to_size(Region(outline), width_cm, height_cm)
    minx, miny, maxx, maxy = Polygon(scaled.outline_cm).bounds
    assert (maxx - minx, maxy - miny) == pytest.approx((width_cm, height_cm))
