"""Quantity text as stored in the formulary tables ("10 mg/mL", "0.2 mL", "4.5 mg/kg").

The tables keep what the clinician or the reference wrote, as text with its unit; these
validators make sure that text reads through the core's parsers (``core.units``), so a
strength or a bound is never a bare number in an unstated unit. Messages are the rule only.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mesochart.core.units import parse_quantity, parse_strength


def validate_strength(text: str) -> None:
    """An amount per volume: "10 mg/mL", "1 % w/v", "1500 IU/mL"."""
    try:
        quantity = parse_strength(text)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    if not quantity.magnitude > 0:
        raise ValidationError(_("must be greater than 0"))


def validate_quantity(text: str) -> None:
    """A number with its unit: "0.2 mL", "300 mg", "4.5 mg/kg"."""
    try:
        parse_quantity(text)
    except ValueError as error:
        raise ValidationError(str(error)) from None
