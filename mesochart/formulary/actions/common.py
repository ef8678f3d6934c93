"""What the formulary actions share: form errors as ``{field: [rule]}``, the clinic's day."""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from mesochart.core.volumes import format_ml


def errors_of(form, prefix: str = "") -> dict[str, list[str]]:
    """A bound form's errors as ``{field: [rule]}``; ``prefix`` names a row ("composition[1]")."""
    if form.is_valid():
        return {}
    errors: dict[str, list[str]] = {}
    for field, problems in form.errors.get_json_data().items():
        name = field if field != NON_FIELD_ERRORS else ""
        key = ".".join(part for part in (prefix, name) if part) or NON_FIELD_ERRORS
        errors.setdefault(key, []).extend(problem["message"] for problem in problems)
    return errors


def refuse_unless_valid(*errors: dict[str, list[str]]) -> None:
    merged: dict[str, list[str]] = {}
    for error in errors:
        for field, problems in error.items():
            merged.setdefault(field, []).extend(problems)
    if merged:
        raise ValidationError(merged)


def repeated(values: Iterable, field: str, what: str) -> dict[str, list[str]]:
    """``{"<field>[i].<what>": ["'x' is listed twice"]}`` for each repeat after the first."""
    seen: set = set()
    errors = {}
    for index, value in enumerate(values):
        if value is not None and value in seen:
            errors[f"{field}[{index}].{what}"] = [f"'{value}' is listed twice"]
        seen.add(value)
    return errors


def ml(volume) -> Decimal:
    """A volume as the ledger stores it (3 decimal places), whatever the database returned."""
    return Decimal(volume).quantize(Decimal("0.001"))


def ml_text(volume: Decimal) -> str:
    """A volume as a clinician writes it (``core.volumes``): 2.000 -> "2 mL"."""
    return format_ml(volume)
