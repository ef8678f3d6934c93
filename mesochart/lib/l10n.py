"""Dates, times and numbers for people, in the active language's format (issue 18).

Printed documents, emails and the patient's pages call these inside
``translation.override(patient.language)``: "2 mars 2026", "14:30", "0,2" in French; "2 Mar
2026", "14:30", "0.2" in English. Times are on the 24-hour clock in every language (a clinical
record's convention). Machine outputs (CSV, the API, FHIR) keep ISO 8601 and never call these.
"""

import datetime as dt
from decimal import Decimal

from django.utils import formats, translation

# Languages that write a day of the week in lower case in running text ("le mardi 3 mars").
LOWER_CASE_WEEKDAYS = frozenset({"fr"})


def day(value: dt.date | None) -> str:
    """A date as the language writes it in full: "2 mars 2026"; "—" for none."""
    return "—" if value is None else formats.date_format(value, "DATE_FORMAT")


def long_day(value: dt.date) -> str:
    """A day in running text: "Tuesday 3 March 2026", "mardi 3 mars 2026". The catalogue
    names the weekdays as headings ("Mardi"); running text lowers them where the language
    does."""
    weekday = formats.date_format(value, "l")
    if translation.get_language() in LOWER_CASE_WEEKDAYS:
        weekday = weekday.lower()
    return f"{weekday} {formats.date_format(value, 'j F Y')}"


def moment(value: dt.datetime, zone: dt.tzinfo | None = None, with_zone: bool = False) -> str:
    """A moment on the 24-hour clock in ``zone`` (the clinic's): "2 mars 2026 14:30"."""
    local = value.astimezone(zone) if zone is not None else value
    text = f"{day(local.date())} {local:%H:%M}"
    return f"{text} {local:%Z}" if with_zone else text


def number(value: float | Decimal | int | None, spec: str = "g") -> str:
    """``value`` formatted by ``spec`` (Python's format mini-language, no grouping) with the
    language's decimal mark: "0,2" in French. "—" for none."""
    if value is None:
        return "—"
    return format(value, spec).replace(".", str(formats.get_format("DECIMAL_SEPARATOR")))
