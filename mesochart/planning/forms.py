"""Validation of planning data, shared by the pages, the API and the actions.

Messages state the rule only; whoever shows them prefixes the field, so every interface
says ``regions[0].spacing_cm: must be greater than 0``.
"""

import math
from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from mesochart.core import outcome_plan
from mesochart.core.grid import MAX_POINTS_PER_REGION, GridError
from mesochart.core.schedule import MAX_EVERY_DAYS, MAX_PHASES, MAX_SESSIONS
from mesochart.formulary.models import CocktailVersion
from mesochart.lib.widgets import DateInput, localize_numbers
from mesochart.planning.areas import get_view
from mesochart.planning.models import Indication, Plan, PlanRegion, Protocol, Technique

RULES = {
    "required": "is required",
    "max_length": "must be at most %(limit_value)d characters",
    "invalid": "is not valid",
    "invalid_choice": "must be one of the listed choices",
    "min_value": "must be at least %(limit_value)s",
    "max_value": "must be at most %(limit_value)s",
    "max_digits": "must have at most %(max)s digits",
    "max_decimal_places": "must have at most %(max)s decimal places",
    "max_whole_digits": "must have at most %(max)s digits before the decimal point",
}
POSITIVE = Decimal("0.001")


def _rules(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        field.error_messages.update(RULES)
    localize_numbers(form)


class PlanForm(forms.ModelForm):
    """The plan's heading: protocol and cocktail versions of the caller's clinic only."""

    class Meta:
        model = Plan
        fields = ["title", "indication", "protocol", "cocktail_version", "first_date", "notes"]
        widgets = {
            "first_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, clinic, protocols, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["protocol"].queryset = protocols.order_by("name")
        self.fields["cocktail_version"].queryset = (
            CocktailVersion.objects.filter(cocktail__clinic=clinic)
            .select_related("cocktail")
            .order_by("cocktail__name", "-number")
        )
        self.fields["title"].required = False
        self.fields["indication"].required = False
        self.fields["indication"].help_text = _("Taken from the protocol when left empty.")
        _rules(self)

    def clean(self):
        data = super().clean()
        if not data.get("indication") and "indication" not in self.errors:
            if data.get("protocol"):
                data["indication"] = data["protocol"].indication
                self.instance.indication = data["indication"]
            else:
                self.add_error("indication", _("is required without a protocol"))
        if not data.get("title") and "title" not in self.errors:
            protocol = data.get("protocol")
            indication = data.get("indication")
            data["title"] = (
                protocol.name
                if protocol
                else str(Indication(indication).label)
                if indication
                else ""
            )
        return data


class RegionForm(forms.ModelForm):
    """One region of a plan: the template it comes from, the patient's measurements, the
    grid settings and the defaults of its points. Points are checked by `clean_points`."""

    class Meta:
        model = PlanRegion
        fields = [
            "view",
            "region",
            "width_cm",
            "height_cm",
            "circumference_cm",
            "spacing_cm",
            "pattern",
            "depth_mm",
            "volume_ml",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("width_cm", "height_cm", "circumference_cm", "spacing_cm", "volume_ml"):
            self.fields[name].min_value = POSITIVE
            self.fields[name].validators.append(_positive)
        self.fields["depth_mm"].validators.append(_positive)
        _rules(self)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            template = get_view(data["view"]).region(data["region"])
            template.factors(
                _float(data.get("width_cm")),
                _float(data.get("height_cm")),
                _float(data.get("circumference_cm")),
            )
        except GridError as error:
            self.add_error(error.field if error.field in self.fields else None, error.rule)
        return data


def _positive(value) -> None:
    if value is not None and value <= 0:
        raise forms.ValidationError(_("must be greater than 0"))


def _float(value) -> float | None:
    return None if value is None else float(value)


def clean_points(value) -> tuple[list[list], list[str]]:
    """Points as stored: ``[x_cm, y_cm]`` or ``[x_cm, y_cm, depth_mm|None, volume_ml|None]``.

    Returns the cleaned list (coordinates to 0.001 cm) and the rules broken, each prefixed
    with the point's index (``points[3]: ...``).
    """
    if not isinstance(value, list):
        return [], ["points: must be a list of [x_cm, y_cm] pairs"]
    if len(value) > MAX_POINTS_PER_REGION:
        return [], [f"points: at most {MAX_POINTS_PER_REGION} per region"]
    cleaned, problems = [], []
    for index, point in enumerate(value):
        where = f"points[{index}]"
        if not isinstance(point, list | tuple) or len(point) not in (2, 4):
            problems.append(f"{where}: must be [x_cm, y_cm] or [x_cm, y_cm, depth_mm, volume_ml]")
            continue
        numbers: list[float | None] = []
        for position, item in enumerate(point):
            if position >= 2 and item is None:
                numbers.append(None)
            elif isinstance(item, bool) or not isinstance(item, int | float):
                problems.append(f"{where}: must hold numbers")
                break
            elif not math.isfinite(item) or (position >= 2 and item <= 0):
                problems.append(f"{where}: depth and volume must be greater than 0")
                break
            else:
                numbers.append(round(float(item), 3 if position < 2 else 4))
        else:
            cleaned.append(numbers if len(numbers) == 2 or any(numbers[2:]) else numbers[:2])
    return cleaned, problems


class ProtocolForm(forms.ModelForm):
    phases_text = forms.CharField(
        label=_("Series"),
        help_text=_("Sessions × days apart, phases separated by commas: '6x7, 3x30'."),
    )
    references_text = forms.CharField(
        label=_("References"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One source per line."),
    )
    outcome_measures_text = forms.CharField(
        label=_("Outcome measures"),
        required=False,
        help_text=_(
            "Measures recorded at baseline and after, by name, separated by semicolons; "
            "either of two with '|': 'Hair density, total; Sinclair | Hamilton-Norwood'. "
            "Empty: the indication's defaults."
        ),
    )
    follow_ups_text = forms.CharField(
        label=_("Follow-up visits"),
        required=False,
        help_text=_(
            "After the last session, in weeks (w) or months (m), separated by commas: "
            "'4w, 3m, 6m'. Empty: 4 weeks, 3 and 6 months."
        ),
    )

    class Meta:
        model = Protocol
        fields = [
            "name",
            "indication",
            "technique",
            "depth_min_mm",
            "depth_max_mm",
            "volume_per_point_ml",
            "spacing_cm",
            "needle_gauge",
            "needle_length_mm",
            "maintenance",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technique"].choices = [("", "Not stated"), *Technique.choices]
        for name in (
            "depth_min_mm",
            "depth_max_mm",
            "volume_per_point_ml",
            "spacing_cm",
            "needle_length_mm",
        ):
            self.fields[name].validators.append(_positive)
        if self.instance.pk and not self.is_bound:
            self.initial["phases_text"] = ", ".join(
                f"{p['count']}x{p['every_days']}" for p in self.instance.phases
            )
            self.initial["references_text"] = "\n".join(self.instance.references)
        if self.instance.pk and not self.is_bound:
            self.initial["outcome_measures_text"] = outcome_plan.measures_text(
                outcome_plan.parse_measures(self.instance.outcome_measures)
            )
            self.initial["follow_ups_text"] = outcome_plan.follow_ups_text(
                outcome_plan.parse_follow_ups(self.instance.follow_ups)
            )
        _rules(self)

    def clean_phases_text(self) -> list[dict]:
        phases = []
        for part in self.cleaned_data["phases_text"].split(","):
            count, _x, days = part.strip().lower().partition("x")
            if not (count.strip().isdecimal() and days.strip().isdecimal()):
                raise forms.ValidationError(_("write each phase as sessions x days, e.g. '6x7'"))
            if int(count) < 1 or int(days) < 1:
                raise forms.ValidationError(_("sessions and days must be at least 1"))
            if int(count) > MAX_SESSIONS or int(days) > MAX_EVERY_DAYS:
                raise forms.ValidationError(
                    _("at most %(MAX_SESSIONS)s sessions and %(MAX_EVERY_DAYS)s days apart")
                    % {"MAX_SESSIONS": MAX_SESSIONS, "MAX_EVERY_DAYS": MAX_EVERY_DAYS}
                )
            phases.append({"count": int(count), "every_days": int(days)})
        if len(phases) > MAX_PHASES:
            raise forms.ValidationError(
                _("at most %(MAX_PHASES)s phases") % {"MAX_PHASES": MAX_PHASES}
            )
        if sum(p["count"] for p in phases) > MAX_SESSIONS:
            raise forms.ValidationError(
                _("at most %(MAX_SESSIONS)s sessions in all") % {"MAX_SESSIONS": MAX_SESSIONS}
            )
        return phases

    def clean_outcome_measures_text(self) -> list[list[str]]:
        try:
            groups = outcome_plan.parse_measures_text(self.cleaned_data["outcome_measures_text"])
        except outcome_plan.OutcomePlanError as error:
            raise forms.ValidationError(_rule_of(error)) from None
        return [list(group) for group in groups]

    def clean_follow_ups_text(self) -> list[dict]:
        try:
            offsets = outcome_plan.parse_follow_ups_text(self.cleaned_data["follow_ups_text"])
        except outcome_plan.OutcomePlanError as error:
            raise forms.ValidationError(_rule_of(error)) from None
        return [offset.as_json() for offset in offsets]

    def clean(self):
        data = super().clean()
        low, high = data.get("depth_min_mm"), data.get("depth_max_mm")
        if low is not None and high is not None and low > high:
            self.add_error("depth_max_mm", _("must not be less than the minimum depth"))
        return data


def _rule_of(error) -> str:
    """The core's rule, with the entry it is about (the field is the form's own)."""
    where = error.field.partition("[")[2].rstrip("]")
    return f"entry {int(where) + 1}: {error.rule}" if where else error.rule


class CalendarForm(forms.Form):
    opening_weekdays = forms.TypedMultipleChoiceField(
        choices=list(
            enumerate(
                ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
            )
        ),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    closed_dates = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Holidays: one date (YYYY-MM-DD) per line."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _rules(self)

    def clean_closed_dates(self) -> list[str]:
        days = set()
        for line in self.cleaned_data["closed_dates"].replace(",", "\n").splitlines():
            if line.strip():
                try:
                    days.add(date.fromisoformat(line.strip()))
                except ValueError:
                    raise forms.ValidationError(
                        _("'%(v0)s' is not a date (YYYY-MM-DD)") % {"v0": line.strip()}
                    ) from None
        return [d.isoformat() for d in sorted(days)]


class SeriesForm(forms.Form):
    first_date = forms.DateField(widget=DateInput())
    start_time = forms.TimeField(
        required=False,
        label=_("Time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("At the clinic; 09:00 when left empty."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _rules(self)


class MoveForm(forms.Form):
    index = forms.IntegerField(min_value=0)
    new_date = forms.DateField(widget=DateInput())
    new_time = forms.TimeField(required=False, widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _rules(self)
