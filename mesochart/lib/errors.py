"""The one way a refusal is worded for people: ``field: rule``, one line per rule."""

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise  # a label may be gettext_lazy's


def error_lines(error: ValidationError, prefix: str = "") -> list[str]:
    """``field: rule`` lines of a ValidationError; errors not tied to a field read alone.

    ``prefix`` names the part of a page the fields belong to (``allergy.substance: …``).
    """
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    return [
        message if field == NON_FIELD_ERRORS else f"{prefix}{field}: {message}"
        for field, problems in error.message_dict.items()
        for message in problems
    ]


def rule_of(line: str) -> str:
    """The rule of a ``field: rule`` line, for a page that shows it where the field is plain
    (the chart's dose check: "cocktail_version: choose a cocktail…" reads "Choose a
    cocktail…"). French puts a space before the colon; a line with no field is kept."""
    field, colon, rule = line.partition(":")
    if not colon or " " in field.strip() or not field.strip():
        return line
    rule = rule.strip()
    return rule[:1].upper() + rule[1:]


def page_lines(error: ValidationError, labels: Mapping[str, "_StrOrPromise"]) -> list[str]:
    """The same refusal in a page's own words: each field by the label the page shows it
    under, never its name (the API and the console keep ``field: rule``). A field the page
    has no label for reads as its rule alone rather than as a developer's word."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    return [
        f"{labels[field]}: {message}" if field in labels else message
        for field, problems in error.message_dict.items()
        for message in problems
    ]
