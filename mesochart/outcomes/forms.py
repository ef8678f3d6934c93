"""The one validation of an outcome value, shared by the pages and the API.

Messages are the rule only; every interface prints ``field: rule`` (`lib.errors`). The
measure's definition (`core.measures`) says what the value must be; composite totals are
computed by `core.scores`, so a total is never accepted from the caller.
"""

from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from mesochart.core import clinic_items, measures
from mesochart.core.measures import Kind
from mesochart.core.scores import score
from mesochart.outcomes.models import ClinicItem, Context, RaterRole
from mesochart.treatments.models import SessionStatus

MEASURE_CHOICES = [
    (m.code, gettext_lazy(m.name)) for m in measures.MEASURES if m.kind != Kind.COMPUTED
]


class OutcomeValueForm(forms.Form):
    """The values page's form; its labels are the page's (``outcomes/plan.html``), so a
    refusal names a field as the page does."""

    measure = forms.CharField(label=_("Measure"), max_length=40)
    context = forms.ChoiceField(label=_("When"), choices=Context.choices)
    session = forms.IntegerField(label=_("Session"), required=False)
    measured_on = forms.DateField(label=_("Measured on"))
    area = forms.CharField(label=_("Area"), max_length=100, required=False)
    site = forms.CharField(label=_("Site (marked landmark)"), max_length=200, required=False)
    value = forms.DecimalField(
        label=_("Value (measure's unit)"), max_digits=9, decimal_places=2, required=False
    )
    level = forms.CharField(label=_("Level"), max_length=40, required=False)
    coding = forms.CharField(label=_("GAIS coding"), max_length=10, required=False)
    items = forms.JSONField(label=_("Items"), required=False)
    not_measured_reason = forms.CharField(label=_("Not measured, because"), required=False)
    rater_role = forms.ChoiceField(label=_("Rated by"), choices=RaterRole.choices)
    blinded = forms.BooleanField(label=_("Rater blinded to the date"), required=False)

    def __init__(self, data, *, plan, patient, sessions):
        super().__init__(data)
        self.plan = plan
        self.patient = patient
        self.sessions = {s.pk: s for s in sessions}
        self.score = None
        self.item_findings = []  # ``items.<code>: rule``, reported by the action per item
        self.clinic_item = None  # the version of a clinic's own item the value answers

    def clean_measure(self):
        code = self.cleaned_data["measure"]
        if code.startswith(clinic_items.PREFIX):
            return self._clinic_measure(code)
        measure = measures.get(code)
        if measure is None:
            raise forms.ValidationError(_("is not a known measure"))
        if measure.kind == Kind.COMPUTED:
            raise forms.ValidationError(_("is computed from other values, not entered"))
        return measure

    def _clinic_measure(self, code):
        """The offered version of this clinic's own item; another clinic's is unknown."""
        slug = code.removeprefix(clinic_items.PREFIX)
        item = ClinicItem.objects.in_clinic(self.plan.clinic_id).offered().filter(slug=slug)
        self.clinic_item = item.first()
        if self.clinic_item is None:
            raise forms.ValidationError(_("is not a known measure"))
        return self.clinic_item.measure()

    def clean_measured_on(self):
        day = self.cleaned_data["measured_on"]
        if day > self.plan.clinic.today():
            raise forms.ValidationError(_("must not be in the future"))
        if self.patient.date_of_birth and day < self.patient.date_of_birth:
            raise forms.ValidationError(_("must not be before the patient's birth"))
        return day

    def clean_session(self):
        pk = self.cleaned_data.get("session")
        if pk is None:
            return None
        session = self.sessions.get(pk)
        if session is None:
            raise forms.ValidationError(_("is not a session of this plan"))
        return session

    def clean(self):
        data = super().clean()
        measure = data.get("measure")
        if measure is None or self.errors:
            return data
        self._check_context(data)
        if data.get("not_measured_reason", "").strip():
            self._nothing_else(data)
        elif measure.kind == Kind.QUANTITY:
            self._check_quantity(measure, data)
        elif measure.kind == Kind.ORDINAL:
            self._check_level(measure, data)
        else:
            self._check_items(measure, data)
        if measure.site_required and not data.get("site", "").strip():
            self.add_error("site", _("is required for this measure (the marked landmark)"))
        if data.get("rater_role") == RaterRole.PATIENT and not measure.patient_reported:
            self.add_error("rater_role", _("a patient rates only patient-reported measures"))
        return data

    def _check_context(self, data):
        session, context = data.get("session"), data.get("context")
        if context == Context.SESSION and session is None:
            self.add_error("session", _("is required for a value taken at a session"))
        if context != Context.SESSION and session is not None:
            self.add_error("session", _("is only given for a value taken at a session"))
        if context == Context.BASELINE:
            first = min(
                (s.started_at for s in self.sessions.values() if s.status == SessionStatus.SIGNED),
                default=None,
            )
            day = data.get("measured_on")
            zone = ZoneInfo(self.plan.clinic.time_zone)
            if first is not None and day and day > timezone.localdate(first, zone):
                self.add_error("measured_on", _("a baseline must be before the first session"))

    def _nothing_else(self, data):
        if data.get("value") is not None or data.get("level") or data.get("items"):
            self.add_error("not_measured_reason", _("a value not measured has no value"))

    def _check_quantity(self, measure, data):
        value = data.get("value")
        if value is None:
            self.add_error("value", _("is required (or give the reason it was not measured)"))
        elif measure.minimum is not None and value < measure.minimum:
            self.add_error("value", _("must be at least %s") % measure.minimum)
        elif measure.maximum is not None and value > measure.maximum:
            self.add_error("value", _("must be at most %s") % measure.maximum)
        self._refuse_other(data, "level", "items")

    def _check_level(self, measure, data):
        level = data.get("level", "")
        if not level:
            self.add_error("level", _("is required (or give the reason it was not measured)"))
        elif measure.level(level) is None:
            self.add_error("level", _("is not a level of %s") % gettext(measure.name))
        coding = data.get("coding", "")
        if measure.codings and measure.coding(coding) is None:
            self.add_error(
                "coding",
                _("must name the coding variant (%s)") % ", ".join(c.code for c in measure.codings),
            )
        elif not measure.codings and coding:
            self.add_error("coding", _("this measure has no coding variants"))
        self._refuse_other(data, "value", "items")

    def _check_items(self, measure, data):
        items = data.get("items") or {}
        if not isinstance(items, dict):
            self.add_error("items", _("must be an object of item codes and scores"))
            return
        result = score(measure, items)
        # A missing item is not an error: the value is kept and its total stays missing.
        self.item_findings = [f for f in result.findings if f.field.removeprefix("items.") in items]
        self.score = result
        self._refuse_other(data, "value", "level")

    def _refuse_other(self, data, *names):
        for name in names:
            if data.get(name) not in (None, "", {}):
                self.add_error(name, _("is not given for this measure"))
