"""The chart's areas for a screening or consent with no plan: every region of every view, in
the chart's words ("Neck and submental · Submental area"), its value the region's slug, so
the area stored is the one a plan of those regions would name (`plans.area_of`)."""

from functools import cache

from mesochart.planning.areas import views


@cache
def chart_area_choices() -> list[tuple[str, str]]:
    choices: dict[str, str] = {}
    for view in views().values():
        for region in view.regions:
            choices.setdefault(region.slug, f"{view.name} · {region.name}")
    return sorted(choices.items(), key=lambda choice: choice[1])
