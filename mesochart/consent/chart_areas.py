"""The chart's areas for a screening or consent with no plan: every region of every view, in
the chart's words ("Neck and submental · Submental area"), its value the region's slug, so
the area stored is the one a plan of those regions would name (`plans.area_of`)."""

from functools import cache

from django.utils.translation import get_language

from mesochart.planning.area_names import name
from mesochart.planning.areas import views


def chart_area_choices() -> list[tuple[str, str]]:
    """The choices in the active language (the names translated where shown)."""
    return _choices(get_language())


@cache
def _choices(language: str) -> list[tuple[str, str]]:
    choices: dict[str, str] = {}
    for view in views().values():
        for region in view.regions:
            choices.setdefault(region.slug, f"{name(view.name)} · {name(region.name)}")
    return sorted(choices.items(), key=lambda choice: choice[1])
