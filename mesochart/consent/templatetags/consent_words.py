"""Areas as people read them: a plan's regions in the chart's words, never their slugs."""

from django import template

from mesochart.consent.finding_words import screening_words as _screening_words
from mesochart.consent.plans import area_words as _area_words
from mesochart.consent.plans import region_words

register = template.Library()


@register.filter
def area_words(area: str) -> str:
    return _area_words(area or "")


@register.filter
def regions_words(slugs: str) -> str:
    """Regions listed by their slugs ("thigh-posterior-left, thigh-posterior-right", as the
    recall stores them) in the chart's words, one after another."""
    return "; ".join(region_words(slug.strip()) for slug in (slugs or "").split(",") if slug)


@register.filter
def screening_words(finding) -> str:
    """A screening finding in the page's language (`consent.finding_words`)."""
    return _screening_words(finding)
