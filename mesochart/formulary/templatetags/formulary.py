"""Template filters of the formulary pages."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def ml(value) -> str:
    """A volume without trailing zeros: Decimal("7.500") -> "7.5 mL", 10 -> "10 mL"."""
    if value is None or value == "":
        return "—"
    number = Decimal(value).quantize(Decimal("0.001")).normalize()
    return f"{number:f} mL"


@register.filter
def plain(value) -> str:
    """A ledger number without trailing zeros: Decimal("-2.500") -> "-2.5"."""
    return f"{Decimal(value).quantize(Decimal('0.001')).normalize():f}"
