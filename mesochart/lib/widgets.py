"""Form widgets shared by several apps."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. It only understands ISO dates, whatever the locale, so
    the value is always rendered as YYYY-MM-DD (en-GB would give 12/04/1985 and an empty
    field)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DecimalInput(forms.TextInput):
    """A decimal typed the way the page's language writes it ("0,2" in French, "0.2" in
    English). ``<input type=number>`` follows the browser's locale, not the page's, and
    sends "0.2" whatever is shown, so a localized field is a text box with the decimal
    keypad instead."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", **(attrs or {})})


def localize_numbers(form: forms.BaseForm) -> None:
    """Every decimal field of ``form`` shown and read in the active language's format
    (French ``62,5`` and ``0,2`` as well as ``62.5``: Django's ``sanitize_separators``)."""
    for field in form.fields.values():
        if isinstance(field, forms.DecimalField | forms.FloatField):
            field.localize = True
            attrs = {k: v for k, v in field.widget.attrs.items() if k not in {"step"}}
            field.widget = DecimalInput(attrs)
            field.widget.is_localized = True
