"""What an analysis asks for, checked once for the page, the CSV and the API."""

from django import forms
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from mesochart.analytics.analysis import BETWEEN_TESTS, WITHIN_TESTS
from mesochart.analytics.rows import GROUPINGS, Query
from mesochart.core import measures
from mesochart.core.change import Missing, TimePoint

NUMERIC = [
    (m.code, gettext_lazy(m.name)) for m in measures.MEASURES if m.kind in ("quantity", "composite")
]


class AnalysisForm(forms.Form):
    measure = forms.ChoiceField(label=_("Measure"), choices=NUMERIC)
    grouping = forms.ChoiceField(
        label=_("Group by"), choices=list(GROUPINGS.items()), initial="cocktail"
    )
    days = forms.IntegerField(
        label=_("Days after the last session"), min_value=0, max_value=730, initial=28
    )
    window_days = forms.IntegerField(
        label=_("Window (± days)"), min_value=0, max_value=120, initial=14
    )
    missing = forms.ChoiceField(
        label=_("Missing follow-ups"),
        choices=[(Missing.COMPLETERS, _("Completers only")), (Missing.LOCF, _("Carry last value"))],
        initial=Missing.COMPLETERS,
    )
    test = forms.ChoiceField(
        label=_("Test between groups"),
        choices=[("", _("Default (Welch; ANOVA for 3+ groups)"))]
        + [(code, gettext_lazy(name)) for code, name in BETWEEN_TESTS.items()],
        required=False,
    )
    within = forms.ChoiceField(
        label=_("Test within a group"),
        choices=[(code, gettext_lazy(name)) for code, name in WITHIN_TESTS.items()],
        initial="paired-t",
        required=False,
    )
    protocol = forms.IntegerField(label=_("Protocol"), required=False)
    date_from = forms.DateField(label=_("Baseline from"), required=False)
    date_to = forms.DateField(label=_("Baseline to"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("must not be before the start date"))
        return data

    def query(self) -> Query:
        d = self.cleaned_data
        return Query(d["measure"], d["grouping"], d.get("date_from"), d.get("date_to"),
                     d.get("protocol"))  # fmt: skip

    def time_point(self) -> TimePoint:
        return TimePoint(self.cleaned_data["days"], self.cleaned_data["window_days"])


def with_defaults(params) -> dict:
    """The GET parameters over the form's initial values (a first visit analyses at once)."""
    initial = {name: field.initial for name, field in AnalysisForm.base_fields.items()}
    initial["measure"] = "css"
    return {k: v for k, v in initial.items() if v is not None} | {
        k: v for k, v in params.items() if v != ""
    }
