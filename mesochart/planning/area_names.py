"""The names of the charts' views and regions in the reader's language.

`planning.areas` keeps them English and Django-free (the FHIR export, the API and the signed
record keep them so); each name is marked there for the catalogue and translated here, where a
page or a document shows it. A region on one side is named by its parts ("Temple, left":
"Tempe, gauche"), so the catalogue holds each region once and each side once.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mesochart.core.grid import GridError
from mesochart.planning.areas import get_view

SIDES = {", left": _("%(region)s, left"), ", right": _("%(region)s, right")}


def name(english: str) -> str:
    """``english`` (a view's or a region's name as `planning.areas` writes it) translated."""
    translated = gettext(english)
    if translated != english:
        return translated
    for suffix, pattern in SIDES.items():
        if english.endswith(suffix):
            return str(pattern) % {"region": gettext(english.removesuffix(suffix))}
    return english


def region(view_slug: str, region_slug: str) -> str:
    """``Face, front: Forehead`` in the reader's language; the slug for one the chart lacks."""
    try:
        view = get_view(view_slug)
        return f"{name(view.name)}: {name(view.region(region_slug).name)}"
    except GridError:
        return region_slug


def rendered(drawing: dict) -> dict:
    """A copy of `planning.areas.rendered` (cached, English) with its names translated."""
    return {
        **drawing,
        "name": name(drawing["name"]),
        "regions": [{**r, "name": name(r["name"])} for r in drawing["regions"]],
    }
