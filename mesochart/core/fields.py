"""Strict readers for parsed JSON, shared by the plan file and the reference formulary.

Each reader takes a value and the dotted path it came from (``cocktail[1].volume_ml``) and
returns it typed, or raises `FieldError(field, rule)`. Strict on purpose: an unknown key, a
number given as text or a boolean given as a number is an error, never silently dropped or
coerced, because a misspelt key in a dose file must not read as "no limit".
"""

import math
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class FieldError(ValueError):
    """A value that breaks a rule; ``str()`` reads "cocktail[1].volume_ml: must be ..."."""

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule


def join(path: str, key: str | int) -> str:
    """The path of a key or index below ``path``: ``join("points", "count")``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def read_object(
    value: Any, path: str, required: Iterable[str], optional: Iterable[str] = ()
) -> dict[str, Any]:
    """A JSON object with exactly the ``required`` keys and any of the ``optional`` ones."""
    if not isinstance(value, dict):
        raise FieldError(path or "file", "must be an object")
    required = tuple(required)
    known = set(required) | set(optional)
    for key in value:
        if key not in known:
            raise FieldError(join(path, key), f"unknown key (expected one of {sorted(known)})")
    for key in required:
        if key not in value:
            raise FieldError(join(path, key), "is required")
    return value


def read_list(value: Any, path: str, non_empty: bool = False) -> list[Any]:
    if not isinstance(value, list):
        raise FieldError(path, "must be a list")
    if non_empty and not value:
        raise FieldError(path, "must not be empty")
    return value


def read_text(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise FieldError(path, "must be non-empty text")
    return value


def read_slug(value: Any, path: str) -> str:
    """Lower-case letters and digits joined by single hyphens or underscores ("submental")."""
    if not isinstance(value, str) or not _SLUG.match(value):
        raise FieldError(path, "must be a slug such as 'submental' (a-z, 0-9, '-' or '_')")
    return value


def read_positive(value: Any, path: str) -> float:
    """A JSON number (not a boolean, not text) that is finite and greater than 0."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldError(path, "must be a number")
    if not math.isfinite(value):
        raise FieldError(path, "must be a finite number")
    if value <= 0:
        raise FieldError(path, "must be greater than 0")
    return float(value)


def read_whole(value: Any, path: str) -> int:
    """A JSON integer of at least 1 (50, not 50.0 or "50")."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(path, "must be a whole number")
    if value < 1:
        raise FieldError(path, "must be at least 1")
    return value


def read_date(value: Any, path: str) -> date:
    """A calendar date written YYYY-MM-DD (ISO 8601 extended form only)."""
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise FieldError(path, "must be a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FieldError(path, f"{value!r} is not a calendar date") from None
