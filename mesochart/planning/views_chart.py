"""The chart editor's context, shared by the plan page and the session page.

Both pages include ``planning/_chart_editor.html`` and load ``chart-editor.js``. What the
pages share is built here: the regions as JSON-able dicts (each drawable one with the
``factors`` the server draws it with, ``figures.drawing``), the editor state, the geometry
and the figures. What differs is ``chart``, written onto the editor's root as data
attributes: where it saves (``save``, a path under ``/api/v1``, and ``method``), where it
runs the live dose check (``check``; none when empty), whether a region's measurements may
change there (``fixed_measurements``: a session draws on the plan's) and whether it is
shown at all with editing controls (``readonly``: no controls rendered, not merely
disabled).
"""

from decimal import Decimal

from mesochart.planning import area_names, figures
from mesochart.planning.areas import views as area_views


def protocol_defaults(protocol) -> dict:
    """Spacing, volume and depth a new region starts with, from ``protocol`` (or none)."""
    if protocol is None:
        return {}
    values = {
        "spacing_cm": protocol.spacing_cm,
        "volume_ml": protocol.volume_per_point_ml,
        "depth_mm": protocol.depth_max_mm,
    }
    return {k: float(v) for k, v in values.items() if v is not None}


def chart_context(
    regions: list[dict],
    editor: dict,
    *,
    locked: bool,
    defaults: dict,
    save: str,
    method: str = "PUT",
    check: str = "",
    fixed_measurements: bool = False,
    readonly: bool = False,
) -> dict:
    """The template context of the editor for ``regions`` (dicts in the plan's shape).

    ``editor`` carries the page's own keys of the editor state (``plan`` or ``session``, and
    ``version``, which the editor sends back with every save).
    """
    regions = [
        {k: (float(v) if isinstance(v, Decimal) else v) for k, v in region.items()}
        for region in regions
    ]
    known = area_views()
    drawable = [r for r in regions if r["view"] in known]
    for region in drawable:
        templates = {t.slug: t for t in known[region["view"]].regions}
        if region["region"] in templates:
            region["factors"] = list(figures.drawing(templates[region["region"]], region).factors)
    first_view = drawable[0]["view"] if drawable else "face-front"
    return {
        "regions": regions,
        "editor": {**editor, "locked": locked, "view": first_view, "defaults": defaults},
        "geometry": figures.editor_geometry(),
        "figures": [
            (slug, area_names.name(view.name), figures.figure_svg(slug))
            for slug, view in known.items()
        ],
        "first_view": first_view,
        "chart": {
            "save": save,
            "method": method,
            "check": check,
            "fixed_measurements": fixed_measurements,
            "readonly": readonly,
        },
    }
