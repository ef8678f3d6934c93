"""The clinic admin's forms for the calendar's resources: rooms, appointment types, a
practitioner's weekly hours, a date's exception, leave, and the feed's names switch.

The pages and the API validate with these, so both refuse bad input in the same words;
the rules that need the database (a name used twice, overlapping hours) are checked by
`scheduling.resources` inside its transaction.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mesochart.scheduling.models import Kind

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
REQUIRED = {"required": _("is required")}
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
END_BEFORE_START = _("must be after the start")


def _minutes(label, *, least: int, rule, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=least,
        max_value=24 * 60,
        required=required,
        error_messages={
            **REQUIRED,
            "min_value": rule,
            "max_value": _("must be at most a day (1440 minutes)"),
            "invalid": _("must be a whole number of minutes"),
        },
    )


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Room name"), max_length=100, error_messages=REQUIRED)

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())


class TypeForm(forms.Form):
    name = forms.CharField(label=_("Type name"), max_length=100, error_messages=REQUIRED)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Kind.choices,
        error_messages={**REQUIRED, "invalid_choice": _("is not one of the kinds")},
    )
    duration_minutes = _minutes(
        _("Duration (minutes)"), least=1, rule=_("must be more than 0 minutes")
    )
    buffer_before_minutes = _minutes(
        _("Preparation before (minutes)"),
        least=0,
        rule=_("must not be negative"),
        required=False,
    )
    buffer_after_minutes = _minutes(
        _("Cleaning after (minutes)"), least=0, rule=_("must not be negative"), required=False
    )

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("buffer_before_minutes", "buffer_after_minutes"):
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        return data


class _Span(forms.Form):
    """A start and an end time, the end after the start."""

    starts = forms.TimeField(
        label=_("From"),
        widget=TIME,
        error_messages={**REQUIRED, "invalid": _("must be a time (HH:MM)")},
    )
    ends = forms.TimeField(
        label=_("Until"),
        widget=TIME,
        error_messages={**REQUIRED, "invalid": _("must be a time (HH:MM)")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts"), data.get("ends")
        if starts is not None and ends is not None and ends <= starts:
            self.add_error("ends", END_BEFORE_START)
        return data


class HoursForm(_Span):
    weekday = forms.TypedChoiceField(
        label=_("Weekday"),
        choices=WEEKDAYS,
        coerce=int,
        error_messages={**REQUIRED, "invalid_choice": _("must be a day of the week")},
    )
    field_order = ["weekday", "starts", "ends"]


class ExceptionForm(_Span):
    """One date's hours replaced; ``day_off`` ticked, the practitioner does not work that day."""

    date = forms.DateField(
        label=_("Date"), widget=DATE, error_messages={**REQUIRED, "invalid": _("must be a date")}
    )
    day_off = forms.BooleanField(label=_("Not working that day"), required=False)
    field_order = ["date", "day_off", "starts", "ends"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.data.get("day_off") in ("on", "true", "True", True, "1"):
            for name in ("starts", "ends"):
                self.fields[name].required = False


class LeaveForm(forms.Form):
    first_day = forms.DateField(
        label=_("First day"),
        widget=DATE,
        error_messages={**REQUIRED, "invalid": _("must be a date")},
    )
    last_day = forms.DateField(
        label=_("Last day"),
        widget=DATE,
        error_messages={**REQUIRED, "invalid": _("must be a date")},
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if first is not None and last is not None and last < first:
            self.add_error("last_day", _("must not be before the first day"))
        return data


class OptionsForm(forms.Form):
    feed_shows_patient_names = forms.BooleanField(
        label=_("Show patients' names in practitioners' calendar feeds"), required=False
    )


# What the set-up pages call each field a refusal names (`lib.errors.page_lines`).
LABELS = {
    "name": _("Name"),
    "kind": _("Kind"),
    "duration_minutes": _("Duration (minutes)"),
    "buffer_before_minutes": _("Preparation before (minutes)"),
    "buffer_after_minutes": _("Cleaning after (minutes)"),
    "weekday": _("Weekday"),
    "starts": _("From"),
    "ends": _("Until"),
    "date": _("Date"),
    "day_off": _("Not working that day"),
    "first_day": _("First day"),
    "last_day": _("Last day"),
    "note": _("Note"),
    "practitioner": _("Practitioner"),
    "room": _("Room"),
    "type": _("Appointment type"),
}
ROOM_LABELS = {**LABELS, "name": _("Room name")}
