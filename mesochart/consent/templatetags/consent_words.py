"""Areas as people read them: a plan's regions in the chart's words, never their slugs."""

from django import template

from mesochart.consent.finding_words import screening_words as _screening_words
from mesochart.consent.plans import area_words as _area_words

register = template.Library()


@register.filter
def area_words(area: str) -> str:
    return _area_words(area or "")


@register.filter
def screening_words(finding) -> str:
    """A screening finding in the page's language (`consent.finding_words`)."""
    return _screening_words(finding)
