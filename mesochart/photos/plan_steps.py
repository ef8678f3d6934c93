"""The photos a plan asks for: every standard view of each photo area its regions lie in.

A capture session for a plan walks these views in order and shows which are still missing
today; each photo is linked to the plan through the first of its regions in that area. Which
photo area a chart region lies in is our house convention (as the views in `poses.py`),
not a sourced standard; a region in no photo area (an arm) asks for none.
"""

from dataclasses import dataclass

from mesochart.photos.poses import AREAS, PhotoArea, PhotoView

# Body regions by the start of their slug (``thigh-anterior-left``, ``flank-right``, ...).
BODY_REGION_AREAS = (
    ("abdomen", "abdomen"),
    ("flank", "abdomen"),
    ("thigh", "thighs"),
    ("knee", "thighs"),
    ("buttock", "thighs"),
)


def photo_area_of(chart_view: str, region: str) -> str | None:
    if chart_view.startswith(("face", "neck")):
        return "face"
    if chart_view.startswith("scalp"):
        return "scalp"
    return next((area for start, area in BODY_REGION_AREAS if region.startswith(start)), None)


@dataclass(frozen=True)
class Step:
    area: PhotoArea
    view: PhotoView
    plan_region_id: int


def steps(plan_regions) -> list[Step]:
    """The views to take for a plan, from its regions (in the plan's order)."""
    first: dict[str, int] = {}
    for region in plan_regions:
        area = photo_area_of(region.view, region.region)
        if area is not None:
            first.setdefault(area, region.pk)
    return [Step(AREAS[area], view, pk) for area, pk in first.items() for view in AREAS[area].views]
