"""Each region's printed chart: every region of every view draws with its grid, at one scale
for both axes (a 16 × 12 cm submental area prints 4:3, not squeezed into its box), and the
scale bar is as long on the page as that many centimetres of the drawing."""

import pytest
from reportlab.graphics.shapes import Circle, Line, Polygon

from mesochart.planning import grids
from mesochart.planning.areas import views
from mesochart.planning.chart_pdf import region_drawing

ALL = [(view.slug, region.slug) for view in views().values() for region in view.regions]


def _bounds(drawing):
    outline = next(shape for shape in drawing.contents if isinstance(shape, Polygon))
    xs, ys = outline.points[0::2], outline.points[1::2]
    return max(xs) - min(xs), max(ys) - min(ys)


@pytest.mark.parametrize(("view", "region"), ALL, ids=[f"{v}/{r}" for v, r in ALL])
def test_every_region_draws_with_its_grid_inside_its_box(view, region):
    points = grids.generate(view, region, 1.5).result.points
    drawing = region_drawing({"view": view, "region": region, "points": points}, 480, 190)
    assert drawing.width <= 480.01 and drawing.height <= 190.01
    assert sum(isinstance(s, Circle) for s in drawing.contents) == len(points)


def test_a_measured_region_prints_at_real_proportions_with_a_true_scale_bar():
    size = {"width_cm": 16.0, "height_cm": 12.0}
    region = {"view": "neck-submental", "region": "submental", "points": [], **size}
    drawing = region_drawing(region, 480, 400)
    width, height = _bounds(drawing)
    assert width / height == pytest.approx(16 / 12, rel=0.01)
    bar = next(shape for shape in drawing.contents if isinstance(shape, Line))
    # The bar is 5 cm (a round length under half the width): 5/16 of the outline's width.
    assert (bar.x2 - bar.x1) / width == pytest.approx(5 / 16, rel=0.01)
