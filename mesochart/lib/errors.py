"""How a refusal is worded, one line per rule: ``field: rule`` for the console and the API
(`error_lines`), and the field by its label for a page (`page_lines`), never its name."""

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import pretty_name
from django.utils.translation import gettext

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise  # a label may be gettext_lazy's


def error_lines(error: ValidationError, prefix: str = "") -> list[str]:
    """``field: rule`` lines of a ValidationError, as the console says them; errors not tied
    to a field read alone. A page says them with `page_lines`.

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


def page_lines(
    error: ValidationError,
    labels: Mapping[str, "_StrOrPromise"] | None = None,
    form: Any = None,
) -> list[str]:
    """The same refusal in a page's own words: each field by the label the page shows it
    under, never its name (the API and the console keep ``field: rule``). The label is the
    one ``labels`` gives, else the ``form``'s (a form or its class: an action often builds
    the form itself), else the one Django derives from the name for a form that gives none
    ("Onset on" for ``onset_on``), in the page's language; a path into a list
    (``regions[0].points``) is named by its last part when ``labels`` does not name it
    whole."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    return [
        message if field == NON_FIELD_ERRORS else f"{label_of(field, labels, form)}: {message}"
        for field, problems in error.message_dict.items()
        for message in problems
    ]


_NAME = re.compile(r"[a-z][a-z0-9_]*")


def label_of(
    field: str, labels: Mapping[str, "_StrOrPromise"] | None = None, form: Any = None
) -> str:
    """What a page calls ``field``: as `page_lines` names it."""
    names = _NAME.findall(field)
    name = names[-1] if names else field
    for key in (field, name):
        if labels and key in labels:
            return str(labels[key])
    # A bound or unbound form has ``fields``; its class only ``base_fields``.
    fields = getattr(form, "fields", None) or getattr(form, "base_fields", {})
    if name in fields and fields[name].label:
        return gettext(str(fields[name].label))  # a model's verbose name is not lazy
    return gettext(pretty_name(name)) if names else field
