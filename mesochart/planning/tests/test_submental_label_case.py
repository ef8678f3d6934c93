"""The deoxycholic acid label on a real chart: the submental region scaled to the patient,
a 1 cm grid with the mandible band kept free, and the engine blocking more than 50 points
([LABEL] NDA 206333, reference.md)."""

import math

import shapely
from shapely import Point

from mesochart.planning import actions, grids
from mesochart.planning.areas import get_view
from mesochart.planning.review import review_plan
from mesochart.testing.plans import new_plan, region

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

MEASURED = {"width_cm": 12.0, "height_cm": 9.0}


def test_the_grid_keeps_the_mandible_band_free_and_holds_only_what_fits():
    grid = grids.generate("neck-submental", "submental", 1.0, **MEASURED)
    points = grid.result.points
    template = get_view("neck-submental").region("submental")
    border = template.region(**MEASURED)
    band = shapely.Polygon(border.exclusions_cm[0])
    outline = border.polygon()
    assert points, "a measured submental area holds points"
    assert len(points) == grid.result.capacity
    assert all(outline.contains(Point(p)) and not band.intersects(Point(p)) for p in points)
    # 1.5 cm from the (scaled) lower border of the mandible, whatever the scaling.
    fx, fy = grid.factors
    line = shapely.LineString(
        [template.scale_point(x, y, fx, fy) for x, y in template.exclusions[0].line_cm]
    )
    assert min(line.distance(Point(p)) for p in points) >= 1.5 - 1e-9
    # Points 1 cm apart own disjoint 0.5 cm disks inside the usable area grown by 0.5 cm.
    usable = outline.difference(band)
    assert len(points) <= usable.buffer(0.5).area / (math.pi * 0.5**2)


def test_the_band_does_not_shrink_on_a_small_patient():
    small = get_view("neck-submental").region("submental")
    region_ = small.region(width_cm=6.0, height_cm=4.0)
    template = small.region()
    # The band's width is 1.5 cm each side of the border line in both: its area scales
    # with the line's length only, not with the height factor.
    assert shapely.Polygon(region_.exclusions_cm[0]).area > 1.5 * 2 * 6.0 * 0.9
    assert shapely.Polygon(template.exclusions_cm[0]).area > 1.5 * 2 * 9.4 * 0.9


def test_the_engine_blocks_the_plan_when_more_than_50_points_are_placed(
    practice, dca_version, weighed
):
    plan = new_plan(practice, "submental-deoxycholic-acid", dca_version)
    large = {"width_cm": 16.0, "height_cm": 12.0}
    grid = grids.generate("neck-submental", "submental", 1.0, **large)
    assert grid.result.capacity > 50
    points = grid.result.points[:51]
    regions = [region("neck-submental", "submental", points, volume_ml=0.2, depth_mm=4, **large)]
    actions.save_regions(practice.actor(practice.practitioner), plan, regions)

    result = review_plan(plan, plan.created_at.date())
    blocking = [f for f in result["findings"] if f["severity"] == "block"]
    assert {f["rule"] for f in blocking} >= {"injections_per_session", "volume_per_session"}
    assert all("NDA 206333" in f["source"] for f in blocking)

    fifty = [region("neck-submental", "submental", points[:50], volume_ml=0.2, depth_mm=4, **large)]
    assert not review_plan(plan, plan.created_at.date(), fifty)["blocked"]


def test_a_point_dragged_into_the_band_blocks(practice, dca_version, weighed):
    plan = new_plan(practice, "submental-deoxycholic-acid", dca_version)
    inside_band = (0.0, -0.5)  # half a centimetre under the chin
    regions = [
        region("neck-submental", "submental", [inside_band, (0.0, -3.0)], volume_ml=0.2, depth_mm=4)
    ]
    result = review_plan(plan, plan.created_at.date(), regions)
    (finding,) = [f for f in result["findings"] if f["rule"] == "exclusion_zone"]
    assert finding["severity"] == "block"
    assert "NDA 206333" in finding["source"]


def test_deoxycholic_acid_outside_the_submental_area_blocks(practice, dca_version, weighed):
    plan = new_plan(practice, "submental-deoxycholic-acid", dca_version)
    regions = [region("body-front", "abdomen", [(0, 95), (0, 97)], volume_ml=0.2, depth_mm=4)]
    result = review_plan(plan, plan.created_at.date(), regions)
    assert "allowed_areas" in {f["rule"] for f in result["findings"] if f["severity"] == "block"}
