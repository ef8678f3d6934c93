"""Form widgets shared by several apps."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. It only understands ISO dates, whatever the locale, so
    the value is always rendered as YYYY-MM-DD (en-GB would give 12/04/1985 and an empty
    field)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
