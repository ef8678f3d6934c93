"""Validation of patient data, shared by the pages, the API and the CLI.

Messages state the rule only ("must not be in the future"); whoever shows them prefixes
the field name, so every interface says ``date_of_birth: must not be in the future``.
"""

import unicodedata
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesochart.lib.widgets import DateInput, localize_numbers
from mesochart.patients.models import (
    Allergy,
    Condition,
    Medication,
    Patient,
    Severity,
    YesNoUnknown,
)

# Plausibility bounds that catch typing errors (grams for kilograms, metres for centimetres);
# they are data-entry checks, not clinical limits.
WEIGHT_KG_RANGE = (1, 400)
HEIGHT_CM_RANGE = (30, 250)
EARLIEST_BIRTH_DATE = date(1900, 1, 1)

# Every interface shows "field: rule", so each rule reads after its field's name.
RULES = {
    "required": "is required",
    "max_length": "must be at most %(limit_value)d characters",
    "invalid": "is not valid",
    "invalid_choice": "must be one of the listed choices",
    "max_digits": "has too many digits (at most %(max)s)",
    "max_decimal_places": "has too many decimal places (at most %(max)s)",
    "max_whole_digits": "has too many digits before the decimal point (at most %(max)s)",
    "null_characters_not_allowed": "must not contain null characters",
}
# Answers that default to "not asked" when a caller leaves them out.
DEFAULTS_TO_NOT_ASKED = ("pregnancy_status", "breastfeeding_status")


def _today(clinic) -> date:
    """Today where the patient is treated (the clinic's zone), not where the server runs."""
    return clinic.today() if clinic is not None else timezone.localdate()


class PatientForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = [
            "record_number",
            "given_name",
            "family_name",
            "date_of_birth",
            "sex_at_birth",
            "language",
            "email",
            "phone",
            "address",
            "weight_kg",
            "weight_measured_on",
            "height_cm",
            "fitzpatrick_type",
            "pregnancy_status",
            "pregnancy_asked_on",
            "breastfeeding_status",
            "breastfeeding_asked_on",
            "no_known_allergies",
            "allergies_reviewed_on",
        ]
        widgets = {
            "date_of_birth": DateInput(),
            "weight_measured_on": DateInput(),
            "pregnancy_asked_on": DateInput(),
            "breastfeeding_asked_on": DateInput(),
            "allergies_reviewed_on": DateInput(),
            "address": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = dict.fromkeys(fields, RULES)

    def __init__(self, *args, organisation=None, clinic=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        # The clinic whose calendar "today" is read on: a record's own, else the caller's.
        self.clinic = self.instance.clinic if self.instance.clinic_id else clinic
        self.fields["record_number"].required = False
        self.fields["record_number"].help_text = _(
            "Leave empty to number the record automatically."
        )
        for field in DEFAULTS_TO_NOT_ASKED:
            self.fields[field].required = False
        self.fields["language"].required = False
        self.fields["weight_kg"].label = _("Weight (kg)")
        self.fields["height_cm"].label = _("Height (cm)")
        for field in ("sex_at_birth", "fitzpatrick_type"):
            self.fields[field].choices = [("", "Select…"), *self.fields[field].choices[1:]]
        localize_numbers(self)

    def clean_pregnancy_status(self):
        return self.cleaned_data["pregnancy_status"] or YesNoUnknown.UNKNOWN

    def clean_language(self):
        """Left empty: the record keeps its language (a new record: the default)."""
        return self.cleaned_data["language"] or self.instance.language

    def clean_breastfeeding_status(self):
        return self.cleaned_data["breastfeeding_status"] or YesNoUnknown.UNKNOWN

    def clean_given_name(self):
        return self._not_blank("given_name")

    def clean_family_name(self):
        return self._not_blank("family_name")

    def _not_blank(self, field: str) -> str:
        value = self.cleaned_data[field]
        # Zero-width spaces and direction marks survive strip() but show nothing.
        if all(unicodedata.category(char)[0] in "CZ" for char in value):
            raise forms.ValidationError(_("must not be blank"))
        return value

    def clean_record_number(self):
        value = self.cleaned_data["record_number"].strip().upper()
        if value and self.organisation is not None:
            clash = Patient.objects.filter(organisation=self.organisation, record_number=value)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError(_("is already used in this organisation"))
        return value

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        if value > _today(self.clinic):
            raise forms.ValidationError(_("must not be in the future"))
        if value < EARLIEST_BIRTH_DATE:
            raise forms.ValidationError(_("must be on or after 1900-01-01"))
        return value

    def clean_weight_kg(self):
        return self._in_range("weight_kg", WEIGHT_KG_RANGE, "kg")

    def clean_height_cm(self):
        return self._in_range("height_cm", HEIGHT_CM_RANGE, "cm")

    def _in_range(self, field: str, bounds: tuple[int, int], unit: str):
        value = self.cleaned_data[field]
        low, high = bounds
        if value is not None and not low <= value <= high:
            raise forms.ValidationError(
                _("must be between %(low)s and %(high)s %(unit)s")
                % {"low": low, "high": high, "unit": unit}
            )
        return value

    def clean(self):
        data = super().clean()
        today = _today(self.clinic)
        for field in (
            "weight_measured_on",
            "pregnancy_asked_on",
            "breastfeeding_asked_on",
            "allergies_reviewed_on",
        ):
            if data.get(field) and data[field] > today:
                self.add_error(field, _("must not be in the future"))
        # A date already refused (invalid, in the future) is not also reported as missing.
        missing = [f for f in self.fields if not data.get(f) and f not in self.errors]
        if data.get("weight_kg") is not None and "weight_measured_on" in missing:
            self.add_error("weight_measured_on", _("is required when a weight is given"))
        for status, asked in (
            ("pregnancy_status", "pregnancy_asked_on"),
            ("breastfeeding_status", "breastfeeding_asked_on"),
        ):
            answered = data.get(status) in {YesNoUnknown.YES, YesNoUnknown.NO}
            if answered and asked in missing:
                self.add_error(asked, _("is required when the status is recorded"))
        if data.get("no_known_allergies"):
            if "allergies_reviewed_on" in missing:
                self.add_error(
                    "allergies_reviewed_on", _("is required when no allergies are known")
                )
            if self.instance.pk and self.instance.allergies.filter(voided_at=None).exists():
                self.add_error(
                    "no_known_allergies", _("cannot be set while allergies are recorded; void them")
                )
        return data


class AllergyForm(forms.ModelForm):
    class Meta:
        model = Allergy
        fields = ["substance", "reaction", "severity"]
        labels = {"substance": _("Substance"), "reaction": _("Reaction"), "severity": _("Severity")}
        error_messages = dict.fromkeys(fields, RULES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["severity"].required = False

    def clean_severity(self):
        return self.cleaned_data["severity"] or Severity.UNKNOWN


class MedicationForm(forms.ModelForm):
    class Meta:
        model = Medication
        fields = ["name", "dose", "anticoagulant", "antiplatelet"]
        labels = {
            "name": _("Name"),
            "dose": _("Dose"),
            "anticoagulant": _("Anticoagulant"),
            "antiplatelet": _("Antiplatelet"),
        }
        error_messages = dict.fromkeys(fields, RULES)


class ConditionForm(forms.ModelForm):
    class Meta:
        model = Condition
        fields = ["name", "notes"]
        labels = {"name": _("Condition"), "notes": _("Notes")}
        error_messages = dict.fromkeys(fields, RULES)


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={**RULES, "required": "is required: say why the record is voided"},
    )

    def clean_reason(self):
        value = self.cleaned_data["reason"]
        if not value.strip():
            raise forms.ValidationError(_("must not be blank"))
        return value
