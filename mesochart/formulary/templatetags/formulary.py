"""Template filters for volumes: every page prints them through ``core.volumes``."""

from django import template

from mesochart.core.sources import cite as cite_source
from mesochart.core.volumes import format_ml, ml_number
from mesochart.formulary.finding_words import SEVERITY_WORDS, finding_words
from mesochart.lib.errors import rule_of

register = template.Library()


@register.filter
def ml(value) -> str:
    """A volume with its unit, as entered: Decimal("11.2000000000000") -> "11.2 mL"."""
    return format_ml(value)


@register.filter
def plain(value) -> str:
    """A volume's number without trailing zeros: Decimal("-2.500") -> "-2.5"."""
    return ml_number(value)


@register.filter
def cite(source) -> str:
    """A source by its title (``core.sources``): "Lidocaine (Xylocaine MPF) label"."""
    return cite_source(source or "")


@register.filter
def finding_text(finding) -> str:
    """A dose-engine finding in the page's language. The core words its finding in English
    (``message``) and gives the codes and numbers beside it (rule, product, ingredient, the
    actual value and the limit); in another language the sentence is made here from those."""
    return finding_words(finding)


@register.filter
def problem(line) -> str:
    """Why a chart cannot be checked yet, as the page says it: the rule of its ``field: rule``
    line, without the field's name (`lib.errors.rule_of`)."""
    return rule_of(str(line))


@register.filter
def severity_word(severity) -> str:
    """ "block" / "warn" (a Severity or its value) as the page's language says it."""
    return str(SEVERITY_WORDS.get(getattr(severity, "value", severity), severity))
