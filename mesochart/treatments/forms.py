"""Forms of the session record; their messages are the rules every interface prints."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mesochart.consent.plans import region_words
from mesochart.core.grid import GridError
from mesochart.formulary.forms import RULES
from mesochart.formulary.models import Lot, Product
from mesochart.lib import l10n
from mesochart.lib.errors import label_of
from mesochart.lib.widgets import DateInput, localize_numbers
from mesochart.planning.areas import get_view, region_count
from mesochart.planning.forms import clean_points
from mesochart.treatments.barcodes import match_lot, parse_gs1
from mesochart.treatments.models import (
    AdverseEvent,
    AmendmentKind,
    Seriousness,
    TreatmentSession,
)

# The fields of a session one may write while it is a draft, and correct by amendment.
SCALARS = (
    "technique",
    "needle_gauge",
    "needle_length_mm",
    "depth_mm",
    "anaesthesia",
    "notes",
    "aftercare",
)
CORRECTABLE = (*SCALARS, "areas")


def _rules(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        field.error_messages.update(RULES)
    localize_numbers(form)


class SessionForm(forms.ModelForm):
    class Meta:
        model = TreatmentSession
        fields = SCALARS
        labels = {
            "technique": _("Technique"),
            "needle_gauge": _("Needle gauge (G)"),
            "needle_length_mm": _("Needle length (mm)"),
            "depth_mm": _("Depth (mm)"),
            "anaesthesia": _("Anaesthesia"),
            "notes": _("Notes"),
            "aftercare": _("Aftercare"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _rules(self)

    def clean_needle_gauge(self):
        value = self.cleaned_data.get("needle_gauge")
        if value is not None and not 18 <= value <= 34:
            raise forms.ValidationError(_("must be between 18 G and 34 G"))
        return value

    def clean_depth_mm(self):
        value = self.cleaned_data.get("depth_mm")
        if value is not None and value <= 0:
            raise forms.ValidationError(_("must be greater than 0"))
        return value


def corrected_label(name: str) -> str:
    """A field an amendment corrected, as the session form labels it ("Depth (mm)", not
    ``depth_mm``); the record keeps the name, the page and the PDF show this."""
    if name == "areas":
        return gettext("Areas")
    return label_of(name, form=SessionForm)


class ProductRowForm(forms.Form):
    """One product used: a lot picked from the clinic's stock, or a scanned GS1 code."""

    lot = forms.ModelChoiceField(label=_("Lot"), queryset=Lot.objects.none(), required=False)
    barcode = forms.CharField(label=_("Barcode"), required=False, max_length=200, strip=False)
    volume_drawn_ml = forms.DecimalField(
        label=_("Volume drawn (mL)"), max_digits=8, decimal_places=3, min_value=0.001
    )
    volume_wasted_ml = forms.DecimalField(
        label=_("Volume wasted (mL)"), max_digits=8, decimal_places=3, min_value=0, required=False
    )

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        _rules(self)
        self.lots = Lot.objects.in_clinic(clinic).with_on_hand().select_related("product")
        self.fields["lot"].queryset = self.lots

    def clean(self):
        data = super().clean()
        if not data.get("lot"):
            code = data.get("barcode") or ""
            if not code.strip():
                self.add_error("lot", _("choose a lot or scan the box"))
            else:
                try:
                    data["lot"] = match_lot(self.lots, parse_gs1(code))
                except forms.ValidationError as error:
                    for message in error.message_dict["barcode"]:
                        self.add_error("barcode", message)
        drawn, wasted = data.get("volume_drawn_ml"), data.get("volume_wasted_ml") or 0
        data["volume_wasted_ml"] = wasted
        if drawn is not None and wasted > drawn:
            self.add_error("volume_wasted_ml", _("must not exceed the volume drawn"))
        return data


class AmendmentForm(forms.Form):
    kind = forms.ChoiceField(choices=AmendmentKind.choices)
    text = forms.CharField(max_length=5000)
    reason = forms.CharField(required=False, max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _rules(self)

    def clean(self):
        data = super().clean()
        if data.get("kind") == AmendmentKind.CORRECTION and not (data.get("reason") or "").strip():
            self.add_error(
                "reason", _("is required for a correction: say why the record was wrong")
            )
        return data


class _EventForm(forms.ModelForm):
    """What recording an event and following it up share: seriousness and follow-up dates."""

    seriousness = forms.MultipleChoiceField(
        choices=Seriousness.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick what made it serious; none ticked: not serious."),
    )
    follow_up_dates = forms.CharField(
        label=_("Follow-up dates"), required=False, help_text=_("ISO dates, comma separated")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _rules(self)

    def clean_follow_up_dates(self):
        from datetime import date

        value = self.cleaned_data.get("follow_up_dates") or ""
        if isinstance(value, list):
            value = ",".join(str(v) for v in value)
        dates = []
        for part in (p.strip() for p in value.split(",")):
            if not part:
                continue
            try:
                dates.append(date.fromisoformat(part).isoformat())
            except ValueError:
                raise forms.ValidationError(
                    _("'%(part)s' is not a date (YYYY-MM-DD)") % {"part": part}
                ) from None
        return sorted(dates)


class SuspectsForm(forms.Form):
    """The session, lots and products an event is linked to, chosen from this patient's
    sessions here and this clinic's lots and products, so a refused form shows them again."""

    session = forms.ModelChoiceField(
        queryset=TreatmentSession.objects.none(), required=False, empty_label=_("— not linked —")
    )
    lots = forms.ModelMultipleChoiceField(
        queryset=Lot.objects.none(),
        required=False,
        label=_("Suspect lots"),
        help_text=_("None chosen: the lots used in the session."),
    )
    products = forms.ModelMultipleChoiceField(
        queryset=Product.objects.none(),
        required=False,
        to_field_name="slug",
        label=_("Suspect products, lot unknown"),
    )
    SUSPECT_RULES = {
        "session": "is not a session of this patient here",
        "lots": "names a lot that is not stock of this clinic",
        "products": "names a product this clinic does not have",
    }

    def __init__(self, *args, patient, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = TreatmentSession.objects.filter(
            patient=patient, clinic=clinic
        ).order_by("-started_at", "-pk")
        self.fields["session"].label_from_instance = session_label
        self.fields["lots"].queryset = (
            Lot.objects.in_clinic(clinic).select_related("product").order_by("product__name")
        )
        self.fields["lots"].label_from_instance = lot_label
        self.fields["products"].queryset = Product.objects.visible_to(clinic.organisation).order_by(
            "name"
        )
        for name, rule in self.SUSPECT_RULES.items():
            messages = self.fields[name].error_messages
            messages.update(RULES, invalid_choice=rule, invalid_pk_value=rule, invalid_list=rule)


def session_record(session) -> str:
    """A session as an amendment of an event records it: its ISO day and region slugs, the
    same whoever reads it later, in whichever language."""
    areas = ", ".join(session.areas) or "no area"
    state = "" if session.status == "signed" else f" ({session.status})"
    return f"{session.started_at:%Y-%m-%d} · {areas}{state}"


def session_label(session) -> str:
    """A session as a choice reads it: its day and its regions in the chart's words."""
    areas = "; ".join(region_words(slug) for slug in session.areas) or gettext("no area")
    state = "" if session.status == "signed" else f" ({session.get_status_display().lower()})"
    return f"{l10n.day(session.started_at.date())} · {areas}{state}"


def lot_label(lot) -> str:
    return f"{lot.product.name} · lot {lot.lot_number} · expires {lot.expires_on:%Y-%m-%d}"


class AdverseEventForm(SuspectsForm, _EventForm):
    """An event as first reported, with its suspects (``patient`` and ``clinic`` scope them)."""

    field_order = ("session", "lots", "products")

    class Meta:
        model = AdverseEvent
        fields = (
            "event_type",
            "description",
            "severity",
            "seriousness",
            "onset_on",
            "causality",
            "actions_taken",
            "outcome",
            "follow_up_dates",
        )
        widgets = {"onset_on": DateInput()}


class SuspectsAmendmentForm(SuspectsForm):
    """Linking or correcting an event's session, lots and products later, with the reason."""

    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            **RULES,
            "required": "is required: say why the link is added or corrected",
        },
    )


# What a follow-up may change: how the event evolved and how it is now judged. The type,
# description, onset, severity at onset, session and lots stay as first reported.
EVOLVING = ("outcome", "actions_taken", "follow_up_dates", "causality", "seriousness")


class AdverseEventFollowUpForm(_EventForm):
    """The recording form's fields and rules, restricted to what evolves, plus a note."""

    note = forms.CharField(required=False, max_length=5000, widget=forms.Textarea)

    class Meta:
        model = AdverseEvent
        fields = EVOLVING


def clean_regions(value) -> tuple[list[dict], list[str]]:
    """The administered points per region: ``[{view, region, depth_mm, volume_ml, points}]``."""
    if not isinstance(value, list):
        return [], ["regions: must be a list of regions"]
    if len(value) > (most := region_count()):
        return [], [f"regions: at most {most} regions (each region of the charts once)"]
    cleaned, problems, seen = [], [], set()
    for index, region in enumerate(value):
        where = f"regions[{index}]"
        if not isinstance(region, dict) or not region.get("region") or not region.get("view"):
            problems.append(f"{where}: needs a view and a region")
            continue
        try:
            # Checked before the write: a draft naming a region the charts do not have
            # could not be drawn or judged, so it is never saved.
            get_view(str(region["view"])).region(str(region["region"]))
        except GridError as error:
            problems.append(f"{where}.{error.field}: {error.rule}")
            continue
        if (region["view"], region["region"]) in seen:
            problems.append(f"{where}.region: is listed twice")
        seen.add((region["view"], region["region"]))
        points, broken = clean_points(region.get("points") or [])
        problems += [f"{where}.{rule}" for rule in broken]
        values = {}
        for name in ("depth_mm", "volume_ml", "spacing_cm"):
            raw = region.get(name)
            try:
                number = None if raw in (None, "") else float(raw)
            except (TypeError, ValueError):
                number = -1
            if number is not None and not number > 0:
                problems.append(f"{where}.{name}: must be greater than 0")
            values[name] = number
        cleaned.append(
            {
                "view": str(region["view"]),
                "region": str(region["region"]),
                **values,
                "points": points,
            }
        )
    return cleaned, problems
