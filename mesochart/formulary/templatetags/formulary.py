"""Template filters for volumes: every page prints them through ``core.volumes``."""

from django import template

from mesochart.core.sources import cite as cite_source
from mesochart.core.volumes import format_ml, ml_number

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
