"""The booking, moving and cancelling forms: the pages and the API validate with these, so
both refuse bad input in the same words (``field: rule``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mesochart.accounts.models import User
from mesochart.scheduling.access import practitioners_of, rooms_of, types_of
from mesochart.scheduling.models import LONGEST

NOT_HERE = _("is not a practitioner of this clinic")


class _ClinicForm(forms.Form):
    def __init__(self, data, *, clinic, **kwargs):
        super().__init__(data, **kwargs)
        self.clinic = clinic
        if "practitioner" in self.fields:
            self.fields["practitioner"].queryset = practitioners_of(clinic)
        if "room" in self.fields:
            self.fields["room"].queryset = rooms_of(clinic)
        for name in ("type", "follow_up_type"):
            if name in self.fields:
                self.fields[name].queryset = types_of(clinic)


def _choice(label, required=True):
    return forms.ModelChoiceField(
        queryset=None,
        label=label,
        required=required,
        error_messages={"invalid_choice": _("is not one of this clinic's")},
    )


class BookForm(_ClinicForm):
    practitioner = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label=_("Practitioner"),
        error_messages={"invalid_choice": NOT_HERE},
    )
    room = _choice(_("Room"), required=False)
    type = _choice(_("Appointment type"))
    starts_at = forms.DateTimeField(label=_("Starts"))
    ends_at = forms.DateTimeField(label=_("Ends"), required=False)
    override_reason = forms.CharField(label=_("Reason to book despite a warning"), required=False)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("must be after the start"))
        elif starts and ends and ends - starts > LONGEST:
            self.add_error("ends_at", _("must be at most a day after the start"))
        return data


class SeriesForm(_ClinicForm):
    practitioner = BookForm.base_fields["practitioner"]
    room = _choice(_("Room"), required=False)
    type = _choice(_("Session type"))
    time = forms.TimeField(label=_("Preferred time"))
    follow_up_type = _choice(_("Follow-up type"), required=False)
    follow_up_weeks = forms.IntegerField(
        label=_("Follow-up, weeks after the last session"), min_value=1, initial=4, required=False
    )


class MoveForm(_ClinicForm):
    """A new start, and optionally another practitioner or room (a drag across columns);
    left out, the appointment keeps its own."""

    starts_at = forms.DateTimeField(label=_("New start"))
    practitioner = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label=_("Practitioner"),
        required=False,
        error_messages={"invalid_choice": NOT_HERE},
    )
    room = _choice(_("Room"), required=False)
    override_reason = forms.CharField(label=_("Reason to move despite a warning"), required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=500)
    by_patient = forms.BooleanField(label=_("The patient cancelled"), required=False)


# What a page calls each field a refusal names (`lib.errors.page_lines`): the forms' own
# labels, and the words for the fields the booking rules check beyond the forms.
LABELS = {
    "patient": _("Patient"),
    "practitioner": _("Practitioner"),
    "room": _("Room"),
    "type": _("Appointment type"),
    "plan": _("Treatment plan"),
    "starts_at": _("Start"),
    "ends_at": _("End"),
    "date": _("Date"),
    "time": _("Preferred time"),
    "override_reason": _("Reason to go ahead despite a warning"),
    "reason": _("Why"),
    "state": _("Status"),
    "follow_up_type": _("Follow-up"),
    "version": _("This appointment"),
}
