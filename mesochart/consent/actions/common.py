"""What the consent actions share: form errors as ``{field: [rule]}``."""

from typing import NoReturn

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def errors_of(form) -> dict[str, list[str]]:
    if form.is_valid():
        return {}
    errors: dict[str, list[str]] = {}
    for field, problems in form.errors.get_json_data().items():
        key = field if field != NON_FIELD_ERRORS else NON_FIELD_ERRORS
        errors.setdefault(key, []).extend(problem["message"] for problem in problems)
    return errors


def valid(form) -> dict:
    """The form's cleaned data, or a ValidationError naming each field and rule."""
    if errors := errors_of(form):
        raise ValidationError(errors)
    return form.cleaned_data


def refuse(field: str, rule: str) -> NoReturn:
    raise ValidationError({field: [rule]})
