"""How a volume is written, everywhere mesochart prints one: "11.2 mL".

The ledger keeps millilitres to three decimal places; whatever the database hands back
(SQLite returns a sum as ``Decimal("11.2000000000000")``), a volume is printed rounded to
0.001 mL with no trailing zero and always a leading zero: "11.2 mL", "2 mL", "0.125 mL".
Trailing zeros ("2.0 mL", misread as 20 mL) and naked decimal points (".5 mL") are on The
Joint Commission's "Do Not Use" list of abbreviations (Official "Do Not Use" List,
The Joint Commission, 2004, reaffirmed since).
"""

from decimal import Decimal, InvalidOperation

MILLILITRE_STEP = Decimal("0.001")
MISSING = "—"


def ml_number(volume) -> str:
    """The number of a volume in mL as text: Decimal("11.2000000000000") -> "11.2";
    None or "" -> "—". A float is read through its shortest repr (11.2, not 11.19999…)."""
    if volume is None or volume == "":
        return MISSING
    try:
        number = Decimal(repr(volume) if isinstance(volume, float) else volume)
    except (InvalidOperation, TypeError, ValueError):
        return str(volume)
    text = f"{number.quantize(MILLILITRE_STEP).normalize():f}"
    return "0" if text in {"-0", "0"} else text


def format_ml(volume) -> str:
    """A volume with its unit: 11.2 -> "11.2 mL"; None -> "—"."""
    number = ml_number(volume)
    return number if number == MISSING else f"{number} mL"
