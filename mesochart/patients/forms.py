"""Validation of patient data, shared by the pages, the API and the CLI.

Messages state the rule only ("must not be in the future"); whoever shows them prefixes
the field name, so every interface says ``date_of_birth: must not be in the future``.
"""

from datetime import date

from django import forms
from django.utils import timezone

from mesochart.patients.models import Allergy, Condition, Medication, Patient, YesNoUnknown

# Plausibility bounds that catch typing errors (grams for kilograms, metres for centimetres);
# they are data-entry checks, not clinical limits.
WEIGHT_KG_RANGE = (1, 400)
HEIGHT_CM_RANGE = (30, 250)
EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def _today() -> date:
    return timezone.localdate()


class PatientForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = [
            "record_number",
            "given_name",
            "family_name",
            "date_of_birth",
            "sex_at_birth",
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
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}),
            "weight_measured_on": forms.DateInput(attrs={"type": "date"}),
            "pregnancy_asked_on": forms.DateInput(attrs={"type": "date"}),
            "breastfeeding_asked_on": forms.DateInput(attrs={"type": "date"}),
            "address": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            field: {
                "required": "is required",
                "max_length": "must be at most %(limit_value)d characters",
                "invalid": "is not valid",
                "invalid_choice": "must be one of the listed choices",
            }
            for field in [
                "given_name",
                "family_name",
                "date_of_birth",
                "sex_at_birth",
                "email",
                "phone",
                "record_number",
                "weight_kg",
                "height_cm",
                "pregnancy_status",
                "breastfeeding_status",
                "fitzpatrick_type",
                "weight_measured_on",
            ]
        }

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["record_number"].required = False
        self.fields["record_number"].help_text = "Leave empty to number the record automatically."

    def clean_given_name(self):
        return self._not_blank("given_name")

    def clean_family_name(self):
        return self._not_blank("family_name")

    def _not_blank(self, field: str) -> str:
        value = self.cleaned_data[field]
        if not value.strip():
            raise forms.ValidationError("must not be blank")
        return value

    def clean_record_number(self):
        value = self.cleaned_data["record_number"].strip().upper()
        if value and self.organisation is not None:
            clash = Patient.objects.filter(organisation=self.organisation, record_number=value)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError("is already used in this organisation")
        return value

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        if value > _today():
            raise forms.ValidationError("must not be in the future")
        if value < EARLIEST_BIRTH_DATE:
            raise forms.ValidationError("must be on or after 1900-01-01")
        return value

    def clean_weight_kg(self):
        return self._in_range("weight_kg", WEIGHT_KG_RANGE, "kg")

    def clean_height_cm(self):
        return self._in_range("height_cm", HEIGHT_CM_RANGE, "cm")

    def _in_range(self, field: str, bounds: tuple[int, int], unit: str):
        value = self.cleaned_data[field]
        low, high = bounds
        if value is not None and not low <= value <= high:
            raise forms.ValidationError(f"must be between {low} and {high} {unit}")
        return value

    def clean(self):
        data = super().clean()
        today = _today()
        for field in ("weight_measured_on", "pregnancy_asked_on", "breastfeeding_asked_on"):
            if data.get(field) and data[field] > today:
                self.add_error(field, "must not be in the future")
        if data.get("weight_kg") is not None and not data.get("weight_measured_on"):
            self.add_error("weight_measured_on", "is required when a weight is given")
        for status, asked in (
            ("pregnancy_status", "pregnancy_asked_on"),
            ("breastfeeding_status", "breastfeeding_asked_on"),
        ):
            answered = data.get(status) in {YesNoUnknown.YES, YesNoUnknown.NO}
            if answered and not data.get(asked):
                self.add_error(asked, "is required when the status is recorded")
        return data


class AllergyForm(forms.ModelForm):
    class Meta:
        model = Allergy
        fields = ["substance", "reaction", "severity"]


class MedicationForm(forms.ModelForm):
    class Meta:
        model = Medication
        fields = ["name", "dose", "anticoagulant", "antiplatelet"]


class ConditionForm(forms.ModelForm):
    class Meta:
        model = Condition
        fields = ["name", "notes"]


class VoidForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": "is required: say why the record is voided"},
    )

    def clean_reason(self):
        value = self.cleaned_data["reason"]
        if not value.strip():
            raise forms.ValidationError("must not be blank")
        return value


def error_lines(form_or_error) -> list[str]:
    """``field: rule`` lines from a bound form or a ValidationError with a dict."""
    errors = (
        form_or_error.errors if hasattr(form_or_error, "errors") else form_or_error.message_dict
    )
    return [f"{field}: {message}" for field, messages in errors.items() for message in messages]
