"""Patient search: one box that takes a name, a record number or a date of birth.

Names are matched by prefix on normalised keys (lower case, accents removed) through range
conditions a plain B-tree index serves on SQLite and PostgreSQL alike, so search stays fast
at 100,000 patients without full-text machinery.
"""

import re
import unicodedata
from datetime import date, datetime

from django.db.models import Q

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y")
RECORD_NUMBER = re.compile(r"^[A-Za-z]{0,4}-?\d{3,}$")
MAX_NAME_TERMS = 5


# Letters that Unicode does not decompose into an ASCII base letter, spelt as a clinic
# would type them on an English keyboard (Søren → soren, Weiß → weiss).
TRANSLITERATION = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "Th",
        "ı": "i",
    }
)


def name_key(text: str) -> str:
    """Lower-case ASCII letters, digits and single spaces: 'Ó Súilleabháin' → 'o suilleabhain'."""
    latin = text.translate(TRANSLITERATION)
    folded = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def parse_date(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def upper_bound(prefix: str) -> str:
    """The least key above every key that starts with ``prefix``; "" when there is none.

    It stays in the keys' alphabet (a-z, 0-9, space): a bound such as 'lope{' for 'lopez'
    is wrong under collations that skip punctuation (en_US, ICU), which would sort it
    before 'lopez' and make the range miss every match.
    """
    stem = prefix.rstrip("z ")
    if not stem:
        return ""
    last = stem[-1]
    return stem[:-1] + ("a" if last == "9" else chr(ord(last) + 1))


def _prefix(field: str, prefix: str) -> Q:
    """``field`` starts with ``prefix``, as an index-friendly range plus the exact test."""
    condition = Q(**{f"{field}__gte": prefix, f"{field}__startswith": prefix})
    upper = upper_bound(prefix)
    return condition & Q(**{f"{field}__lt": upper}) if upper else condition


def search_filter(query: str) -> Q | None:
    """The condition for a search box entry, or None when the entry is empty."""
    text = query.strip()
    if not text:
        return None
    day = parse_date(text)
    if day is not None:
        return Q(date_of_birth=day)
    if RECORD_NUMBER.match(text):
        typed = text.upper()
        # "MC000123" is how people type MC-000123.
        dashed = re.sub(r"^([A-Z]+)(\d)", r"\1-\2", typed)
        return Q(record_number__in=sorted({typed, dashed}))
    terms = name_key(text).split()[:MAX_NAME_TERMS]
    if not terms:
        # Nothing that folds to ASCII (李, مريم): match the names as written.
        return Q(family_name__startswith=text) | Q(given_name__startswith=text)
    # The words may be all one name ("o suil" for Ó Súilleabháin), or given then family
    # names, or family then given, split anywhere.
    whole = " ".join(terms)
    condition = _prefix("family_key", whole) | _prefix("given_key", whole)
    for split in range(1, len(terms)):
        first, rest = " ".join(terms[:split]), " ".join(terms[split:])
        condition |= _prefix("given_key", first) & _prefix("family_key", rest)
        condition |= _prefix("family_key", first) & _prefix("given_key", rest)
    return condition
