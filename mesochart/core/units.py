"""The project's single pint registry and the parsers for the unit strings clinicians write.

One registry for all of mesochart because pint refuses to combine quantities from two
registries, and the failure surfaces far from its cause. It is also made pint's application
registry so that pickled quantities (cache, sessions) come back attached to it.

Two definitions are added to pint's defaults:

* ``IU`` (international unit) gets a base dimension of its own, ``[international_activity]``.
  An IU is defined per substance against a reference preparation, so no conversion to mass holds
  across substances. pint's built-in ``[activity]`` is catalytic activity (mol/s), which would
  wrongly make IU convertible to katal; a separate dimension makes ``Q_(1, "IU").to("mg")`` fail.
* ``pct_wv`` (percent weight per volume): 1 % w/v = 1 g per 100 mL = 10 mg/mL, the convention
  the Xylocaine MPF label states as "1% = 10 mg/mL" (reference.md, Limits).

The parsers accept a deliberately small grammar, ``<number> <unit>`` with the unit either a
single symbol or ``symbol/symbol``, plus ``% w/v``. pint's own expression parser is lenient
("mg//mL" and "% w/w" both parse); for doses a typo must be an error, never a reinterpretation.
"""

import math
import re

import pint
from pint.facets.plain import PlainUnit

ureg: pint.UnitRegistry = pint.UnitRegistry()
ureg.define("international_unit = [international_activity] = IU")
ureg.define("percent_weight_per_volume = 10 * milligram / milliliter = pct_wv")
pint.set_application_registry(ureg)

Q_ = ureg.Quantity

# Canonical units. The engine keeps magnitudes in these so its hot path is float arithmetic.
# Measured with pint 0.25: Q_(x, "mg") costs ~70 µs (it parses the string), Q_(x, MG) ~4 µs.
MG = ureg.Unit("mg")
IU = ureg.Unit("IU")
ML = ureg.Unit("mL")
MM = ureg.Unit("mm")
CM = ureg.Unit("cm")
DAY = ureg.Unit("day")
MG_PER_ML = ureg.Unit("mg/mL")
IU_PER_ML = ureg.Unit("IU/mL")
MG_PER_KG = ureg.Unit("mg/kg")
IU_PER_KG = ureg.Unit("IU/kg")
DIMENSIONLESS = ureg.Unit("")

_NUMBER_AND_UNIT = re.compile(
    r"^\s*(?P<number>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(?P<unit>.*?)\s*$"
)
_UNIT = re.compile(r"^(?P<numerator>[A-Za-zµμ]+)(?:\s*/\s*(?P<denominator>[A-Za-zµμ]+))?$")
_PERCENT_WV = re.compile(r"^%\s*w\s*/\s*v$", re.IGNORECASE)
_PCT_WV = ureg.Unit("pct_wv")

# pint's short symbol for the litre is "l"; clinical writing uses "L" ("mL", never "ml").
_LITRE_SYMBOL = re.compile(r"(?<![A-Za-zµ])([µmdc]?)l(?![A-Za-z])")


def parse_quantity(text: str, to: pint.Unit | None = None) -> pint.Quantity:
    """Parse ``"<number> <unit>"``, converted to ``to`` if given (else in the unit written).

    Raises ValueError naming the problem: an unreadable number, an unknown unit (named), or a
    unit of the wrong dimension (e.g. "10 mg" where a volume is expected).
    """
    quantity = _parse(text)
    if to is None:
        return quantity
    if quantity.dimensionality != to.dimensionality:
        raise ValueError(f"{text!r} is not in a unit of the same kind as {format_unit(to)}")
    return quantity.to(to)


def parse_strength(text: str) -> pint.Quantity:
    """Parse a strength such as "10 mg/mL", "500 µg/mL", "1500 IU/mL" or "0.05 % w/v".

    Returns an amount per mL: mass strengths in mg/mL, activity strengths in IU/mL, so two
    strengths of the same ingredient compare directly. ValueError for anything else.
    """
    quantity = _parse(text)
    for canonical in (MG_PER_ML, IU_PER_ML):
        if quantity.dimensionality == canonical.dimensionality:
            return quantity.to(canonical)
    raise ValueError(f"{text!r} is not an amount per volume (e.g. '10 mg/mL' or '1500 IU/mL')")


def parse_volume(text: str) -> pint.Quantity:
    """Parse a volume such as "0.2 mL", "50 µL" or "0.01 L", returned in mL."""
    return parse_quantity(text, ML)


def format_unit(unit: pint.Unit | PlainUnit) -> str:
    """Short clinical symbol for a unit: "mg/mL", "IU", "mg/kg", "mL" (capital L)."""
    return _LITRE_SYMBOL.sub(r"\1L", format(unit, "~P"))


def format_quantity(quantity: pint.Quantity) -> str:
    """A quantity as a clinician writes it, with at most six significant digits ("10.2 mL")."""
    text = format_unit(quantity.units)
    return f"{quantity.magnitude:g} {text}".rstrip()


def _parse(text: str) -> pint.Quantity:
    if not isinstance(text, str):
        raise ValueError(f"expected text such as '10 mL', got {text!r}")
    match = _NUMBER_AND_UNIT.match(text)
    if match is None:
        raise ValueError(f"cannot read a number followed by a unit in {text!r}")
    number = float(match["number"])
    if not math.isfinite(number):
        raise ValueError(f"{text!r} is not a finite number")
    return Q_(number, _parse_unit(match["unit"], text))


def _parse_unit(unit_text: str, text: str) -> pint.Unit:
    if not unit_text:
        raise ValueError(f"{text!r} has no unit")
    if _PERCENT_WV.match(unit_text):
        return _PCT_WV
    if unit_text.startswith("%"):
        raise ValueError(f"unknown unit {unit_text!r} in {text!r}: only '% w/v' is supported")
    match = _UNIT.match(unit_text)
    if match is None:
        raise ValueError(f"cannot read the unit {unit_text!r} in {text!r}")
    unit = _symbol(match["numerator"], text)
    if match["denominator"]:
        unit = unit / _symbol(match["denominator"], text)
    return unit


def _symbol(symbol: str, text: str) -> pint.Unit:
    try:
        return ureg.parse_units(symbol)
    except pint.UndefinedUnitError:
        raise ValueError(f"unknown unit {symbol!r} in {text!r}") from None
