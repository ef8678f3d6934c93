"""Area figures as SVG for pages: the drawing (cached per view) and a plan's points on it.

Points are stored in the patient's frame; on the figure they are drawn in the template's
frame (the measured region shrunk or stretched back onto the drawing), so a grid laid on a
30 × 20 cm abdomen shows on the drawn abdomen, as dense as it really is.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from mesochart.core.grid import GridError
from mesochart.planning import area_names
from mesochart.planning.areas import RegionTemplate, get_view, rendered, views


def figure_svg(slug: str, interactive: bool = True) -> str:
    """The view's inline SVG without points or state (the same for every plan), its names
    in the active language."""
    return _figure_svg(slug, interactive, get_language())


@cache
def _figure_svg(slug: str, interactive: bool, language: str) -> str:
    drawing = area_names.rendered(rendered(slug))
    context = {"view": drawing, "id": f"pl-{slug}", "interactive": interactive}
    return render_to_string("planning/_figure.html", context)


def editor_geometry() -> dict:
    """What the chart editor needs to map points: per view the transform, per region its
    template bounds and scaling rule."""
    return {
        slug: {
            "name": area_names.name(view.name),
            "frame_cm": list(view.frame_cm),
            "px_per_cm": view.px_per_cm,
            "regions": {
                r.slug: {
                    "name": area_names.name(r.name),
                    "scaling": r.scaling,
                    "bounds_cm": [round(b, 3) for b in r.bounds_cm],
                    "reference_circumference_cm": r.reference_circumference_cm,
                }
                for r in view.regions
            },
        }
        for slug, view in views().items()
    }


def _f(value):
    return None if value is None else float(value)


@dataclass(frozen=True)
class Drawing:
    """How a region's points are drawn: the template's scale to the patient, or (1, 1) with
    the reason while the measurements cannot scale it (one missing, or not positive)."""

    factors: tuple[float, float]
    problem: GridError | None = None


def drawing(template: RegionTemplate, region: Mapping[str, object]) -> Drawing:
    """The scale every figure of ``region`` is drawn with: printed, on the page and in the
    editor, which asks for it (``POST /api/v1/areas/{view}/{region}/drawing``) rather than
    keeping its own copy of the rule."""
    measured = {
        name: _f(region.get(name)) for name in ("width_cm", "height_cm", "circumference_cm")
    }
    try:
        return Drawing(template.factors(**measured))
    except GridError as error:
        return Drawing((1.0, 1.0), error)


def points_svg(view_slug: str, regions: list[dict]) -> str:
    """``<circle>`` elements for the points of ``regions`` that belong to ``view_slug``."""
    view = get_view(view_slug)
    circles = []
    for region in regions:
        if region["view"] != view_slug:
            continue
        try:
            template = view.region(region["region"])
        except GridError:
            continue  # a region the chart does not have is not drawn; preflight blocks it
        fx, fy = drawing(template, region).factors
        minx, miny = template.bounds_cm[:2]
        radius = 1.6 if view.px_per_cm < 8 else 2.2
        for point in region.get("points") or []:
            x = minx + (point[0] - minx) / fx
            y = miny + (point[1] - miny) / fy
            dx, dy = view.to_drawing(x, y)
            circles.append((f"{dx:.1f}", f"{dy:.1f}", radius))
    return format_html_join("", '<circle class="pl-point" cx="{}" cy="{}" r="{}"/>', circles)


def print_figure(view_slug: str, regions: list[dict]) -> str:
    """The view with the plan's regions shaded and its points drawn, for the print page."""
    chosen = {r["region"] for r in regions if r["view"] == view_slug}
    context = {
        "view": area_names.rendered(rendered(view_slug)),
        "id": f"print-{view_slug}",
        "chosen": chosen,
        "interactive": False,
        "points_svg": mark_safe(points_svg(view_slug, regions)),  # noqa: S308 - built by format_html_join
    }
    return render_to_string("planning/_figure.html", context)
