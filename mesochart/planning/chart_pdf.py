"""A region's chart for the printed documents: its outline as measured on the patient, its
exclusions, its points, and a scale bar in cm, at real proportions (one scale for x and y).

Points and measured regions are in cm in the patient's frame (`PlanRegion`); the region is
scaled to the patient as the grid planner and the placement check scale it
(`RegionTemplate.region`), then mapped through the view's one transform
(`View.to_drawing`, cm to drawing units, y down) and fitted into the box given, flipped back
for reportlab (y up). The printed scale bar is the real length of a centimetre on the page.
"""

import shapely
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, String

from mesochart.core.grid import GridError
from mesochart.lib import l10n, pdf
from mesochart.planning import area_names
from mesochart.planning.areas import get_view

_EXCLUSION = pdf.colors.Color(0.71, 0.14, 0.09, alpha=0.18)
_BAR_CM = (0.5, 1, 2, 5, 10, 20)


def _f(value) -> float | None:
    return None if value is None else float(value)


def region_name(region: dict) -> str:
    """``Face (front): Forehead``."""
    return area_names.region(region["view"], region["region"])


def measured(region: dict):
    """The core region of ``region`` (a dict in the plan's shape) scaled to the patient; the
    template's size when its measurements are missing or not usable."""
    template = get_view(region["view"]).region(region["region"])
    try:
        return template.region(
            _f(region.get("width_cm")),
            _f(region.get("height_cm")),
            _f(region.get("circumference_cm")),
        )
    except GridError:
        return template.region()


def region_drawing(region: dict, max_width: float, max_height: float) -> Drawing:
    """``region`` drawn in a box of at most ``max_width`` × ``max_height`` points."""
    view = get_view(region["view"])
    shape = measured(region)
    outline = shape.polygon()
    points = [(float(p[0]), float(p[1])) for p in region.get("points") or []]
    minx, miny, maxx, maxy = shapely.MultiPoint([*outline.exterior.coords, *points]).bounds
    bar_space = 22.0
    label_space = 4.0
    width_cm, height_cm = max(maxx - minx, 0.1), max(maxy - miny, 0.1)
    # Points per cm on the page, the same along both axes.
    per_cm = min(max_width / width_cm, (max_height - bar_space - label_space) / height_cm)
    per_unit = per_cm / view.px_per_cm
    left, top = view.to_drawing(minx, maxy)
    height = height_cm * per_cm + bar_space + label_space

    def at(x_cm: float, y_cm: float) -> tuple[float, float]:
        dx, dy = view.to_drawing(x_cm, y_cm)
        return ((dx - left) * per_unit, height - label_space - (dy - top) * per_unit)

    def flat(ring) -> list[float]:
        return [value for x, y in ring for value in at(x, y)]

    drawing = Drawing(max(width_cm * per_cm, 120), height)
    drawing.add(
        Polygon(
            flat(outline.exterior.coords), fillColor=pdf.SKIN, strokeColor=pdf.INK, strokeWidth=0.8
        )
    )
    for hole in outline.interiors:
        drawing.add(
            Polygon(
                flat(hole.coords), fillColor=pdf.colors.white, strokeColor=pdf.INK, strokeWidth=0.6
            )
        )
    for ring in shape.exclusions_cm:
        shown = shapely.intersection(shapely.Polygon(ring), outline)
        for part in getattr(shown, "geoms", [shown]):
            if isinstance(part, shapely.Polygon) and not part.is_empty:
                drawing.add(
                    Polygon(
                        flat(part.exterior.coords),
                        fillColor=_EXCLUSION,
                        strokeColor=pdf.DANGER,
                        strokeWidth=0.5,
                        strokeDashArray=[2, 2],
                    )
                )
    radius = max(min(0.12 * per_cm, 2.4), 0.9)
    for x, y in points:
        cx, cy = at(x, y)
        drawing.add(Circle(cx, cy, radius, fillColor=pdf.ACCENT, strokeColor=None))
    _scale_bar(drawing, per_cm, width_cm)
    return drawing


def _scale_bar(drawing: Drawing, per_cm: float, width_cm: float) -> None:
    """A bar of a round length (at most half the region's width), with its length in cm."""
    regular, _bold = pdf.fonts()
    length_cm = max([c for c in _BAR_CM if c <= max(width_cm / 2, _BAR_CM[0])])
    length = length_cm * per_cm
    y = 8.0
    drawing.add(Line(0, y, length, y, strokeColor=pdf.INK, strokeWidth=1.2))
    ticks = int(length_cm) if 1 <= length_cm <= 5 else 1
    for index in range(ticks + 1):
        x = length * index / ticks
        drawing.add(Line(x, y - 2.5, x, y + 2.5, strokeColor=pdf.INK, strokeWidth=0.8))
    label = _("%(length)s cm") % {"length": l10n.number(length_cm)}
    drawing.add(String(length + 5, y - 3, label, fontName=regular, fontSize=7, fillColor=pdf.MUTED))


def chart_flowables(regions: list[dict], styles: dict, max_height: float = 190.0) -> list:
    """For each region with points or an outline worth seeing: its name and measurements,
    its point count, and its drawing; ``regions`` are dicts in the plan's shape with the
    measurements (for a session: `planning.review.measured_as_planned`)."""
    from reportlab.platypus import KeepTogether

    story = []
    for region in regions:
        size = _size(region)
        count = len(region.get("points") or [])
        caption = _("%(region)s · %(size)s · %(count)s point(s)") % {
            "region": region_name(region),
            "size": size,
            "count": count,
        }
        drawing = region_drawing(region, pdf.FRAME_WIDTH, max_height)
        story.append(KeepTogether([pdf.text(caption, styles["value"]), drawing]))
    return story


def _size(region: dict) -> str:
    if region.get("circumference_cm") is not None:
        return _("circumference %(cm)s cm") % {"cm": l10n.number(float(region["circumference_cm"]))}
    if region.get("width_cm") is not None and region.get("height_cm") is not None:
        return _("%(w)s × %(h)s cm as measured") % {
            "w": l10n.number(float(region["width_cm"])),
            "h": l10n.number(float(region["height_cm"])),
        }
    return _("template size (not measured)")
