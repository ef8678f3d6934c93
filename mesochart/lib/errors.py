"""The one way a refusal is worded for people: ``field: rule``, one line per rule."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


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
