"""Forms with rows (a product's composition, a cocktail's components) on the pages.

The rows are a Django formset for rendering; the actions take plain dicts. Empty rows are
left out (clearing a row removes it), and the action's errors, which name rows by their
place among the non-empty ones (``components[1].volume_ml``), go back to the right row.
"""

import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import BaseForm

from mesochart.lib.errors import label_of

_ROW_KEY = re.compile(r"^(?P<name>\w+)\[(?P<index>\d+)\](?:\.(?P<field>\w+))?$")


def filled_rows(formset) -> tuple[list[dict], list[int]]:
    """The rows with anything typed in, as dicts, and their positions in the formset."""
    rows, positions = [], []
    for position, form in enumerate(formset.forms):
        data = {name: form.data.get(form.add_prefix(name), "") for name in form.fields}
        if any(str(value).strip() for value in data.values()):
            rows.append(data)
            positions.append(position)
    return rows, positions


def bind_errors(form: BaseForm, formset, positions: list[int], error: ValidationError) -> None:
    """Show an action's refusal: row errors on their row, the rest on ``form``."""
    for key, problems in error.message_dict.items():
        match = _ROW_KEY.match(key)
        if match and formset is not None and match["name"] == formset.prefix:
            target = formset.forms[positions[int(match["index"])]]
            field = match["field"] if match["field"] in target.fields else None
        else:
            target = form
            field = key if key in form.fields else None
        for problem in problems:
            named = field or key == NON_FIELD_ERRORS
            message = problem if named else f"{label_of(key)}: {problem}"
            if message not in target.errors.get(field or NON_FIELD_ERRORS, []):
                target.add_error(field, message)
