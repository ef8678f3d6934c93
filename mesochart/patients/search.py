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


def name_key(text: str) -> str:
    """Lower-case ASCII letters, digits and single spaces: 'Ó Súilleabháin' → 'o suilleabhain'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def parse_date(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def _prefix(field: str, prefix: str) -> Q:
    """``field`` starts with ``prefix``, as an index-friendly range plus the exact test."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": upper, f"{field}__startswith": prefix})


def search_filter(query: str) -> Q | None:
    """The condition for a search box entry, or None when the entry holds nothing to match."""
    text = query.strip()
    if not text:
        return None
    day = parse_date(text)
    if day is not None:
        return Q(date_of_birth=day)
    if RECORD_NUMBER.match(text):
        return Q(record_number=text.upper())
    terms = name_key(text).split()
    if not terms:
        return None
    if len(terms) == 1:
        return _prefix("family_key", terms[0]) | _prefix("given_key", terms[0])
    first, rest = terms[0], " ".join(terms[1:])
    return (_prefix("given_key", first) & _prefix("family_key", rest)) | (
        _prefix("family_key", first) & _prefix("given_key", rest)
    )
