"""Validation shared by the pages and the API; messages state the rule only (``is required``),
and whoever shows them prefixes the field, so every interface prints ``field: rule``."""

import base64
import binascii
import io
import json
import re
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from mesochart.consent.access import versions_for
from mesochart.consent.models import TemplateScope
from mesochart.formulary.models import CocktailVersion
from mesochart.patients.forms import RULES
from mesochart.patients.models import Language
from mesochart.planning.models import Indication

MAX_SIGNATURE_BYTES = 400_000
_DATA_URL = re.compile(r"data:image/png;base64,(?P<data>[A-Za-z0-9+/=\s]+)\Z")
_SUBJECT = re.compile(r"[a-z0-9][a-z0-9 _-]*\Z")
ERRORS = {
    **RULES,
    "min_value": "must be at least %(limit_value)s",
    "max_value": "must be at most %(limit_value)s",
}


def _text(max_length: int, **kwargs) -> forms.CharField:
    return forms.CharField(max_length=max_length, error_messages=ERRORS, **kwargs)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise forms.ValidationError(_("must not be blank"))
    return value.strip()


class TargetForm(forms.Form):
    """What is planned: a cocktail version of the clinic, a treatment area, an indication."""

    cocktail = forms.ModelChoiceField(
        queryset=CocktailVersion.objects.none(),  # the clinic's, set in __init__
        error_messages={**ERRORS, "invalid_choice": "is not a cocktail version of this clinic"},
        label=_("Cocktail"),
    )
    # The pages tick ``regions`` on the chart's list (never typing a slug); the API and the
    # tablet's lock send ``area`` as the plan would name it. One of the two is needed.
    regions = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={**ERRORS, "invalid_choice": "is not an area of the chart"},
        label=_("Treatment areas"),
        help_text=_("Tick each area to be treated, as on the chart"),
    )
    area = _text(100, required=False, label=_("Treatment area"))
    indication = _text(100, label=_("Indication"), help_text=_("e.g. lipolysis, skin quality"))

    def __init__(self, *args, membership, **kwargs):
        from mesochart.consent.chart_areas import chart_area_choices

        super().__init__(*args, **kwargs)
        self.fields["cocktail"].queryset = versions_for(membership)
        self.fields["cocktail"].label_from_instance = lambda v: f"{v.cocktail.name} · v{v.number}"
        self.fields["regions"].choices = chart_area_choices()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("regions"):
            cleaned["area"] = ", ".join(sorted(set(cleaned["regions"])))
        elif not (cleaned.get("area") or "").strip() and "regions" not in self.errors:
            self.add_error("regions", _("tick at least one area"))
        else:
            cleaned["area"] = (cleaned.get("area") or "").strip()
        return cleaned

    def clean_indication(self):
        return _not_blank(self.cleaned_data["indication"])


class PlanTargetForm(forms.Form):
    """Screening or consent started from a plan: its cocktail version and indication as they
    are, its regions ticked on the chart's list of areas (in the chart's words, never slugs).
    ``plans`` are the patient's plans that name a cocktail (`plans.plans_of`)."""

    plan = forms.TypedChoiceField(
        coerce=int,
        error_messages={**ERRORS, "invalid_choice": "is not a plan of this patient"},
        label=_("Plan"),
    )
    regions = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            **ERRORS,
            "required": "tick at least one area",
            "invalid_choice": "is not an area of the plan's chart",
        },
        label=_("Treatment areas"),
        help_text=_("The plan's areas are ticked; each one treated must be screened"),
    )

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.plans = {plan.pk: plan for plan in plans}
        self.fields["plan"].choices = [
            (
                plan.pk,
                f"{plan.title} · {plan.cocktail_version.cocktail.name} "
                f"v{plan.cocktail_version.number}",
            )
            for plan in plans
        ]
        chosen = self.plans.get(_int(self.data.get("plan") if self.is_bound else None))
        self.chosen = chosen or self.plans.get(_int(self.initial.get("plan")))
        self.fields["regions"].choices = region_choices(self.chosen)

    def clean_plan(self):
        return self.plans[self.cleaned_data["plan"]]


def region_choices(plan) -> list[tuple[str, str]]:
    """Every area of the charts the plan is drawn on, in the chart's words."""
    from mesochart.planning.area_names import name
    from mesochart.planning.areas import get_view

    if plan is None:
        return []
    choices: dict[str, str] = {}
    for view in dict.fromkeys(region.view for region in plan.regions.all()):
        for region in get_view(view).regions:
            choices.setdefault(region.slug, name(region.name))
    return list(choices.items())


def _int(value) -> int | None:
    return int(value) if isinstance(value, int) or (value or "").isdecimal() else None


class AreaForm(forms.Form):
    area = _text(
        100, label=_("Treatment area"), help_text=_("The area the site questions are about")
    )

    def clean_area(self):
        return _not_blank(self.cleaned_data["area"])


class AcknowledgementForm(forms.Form):
    key = _text(60)
    reason = forms.CharField(
        label=_("Why you treat despite it"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={**ERRORS, "required": "is required: write why you treat despite it"},
    )

    def clean_reason(self):
        return _not_blank(self.cleaned_data["reason"])


class PolicyForm(forms.Form):
    valid_days = forms.IntegerField(
        min_value=1, max_value=365, error_messages=ERRORS, label=_("Screening valid for (days)")
    )
    rules = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        error_messages=ERRORS,
        label=_("Clinic rules (JSON)"),
    )

    def clean_rules(self):
        try:
            return json.loads(self.cleaned_data["rules"])
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("is not valid JSON (%(msg)s, line %(lineno)s)")
                % {"msg": error.msg, "lineno": error.lineno}
            ) from None


class TemplateForm(forms.Form):
    scope = forms.ChoiceField(choices=TemplateScope.choices, error_messages=ERRORS)
    subject = _text(
        100,
        label=_("For"),
        help_text=_("The indication (e.g. Cellulite, or the clinic's own word) or the product"),
    )
    title = _text(200)
    language = forms.ChoiceField(choices=Language.choices, required=False, error_messages=ERRORS)
    risks = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), error_messages=ERRORS)
    alternatives = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), error_messages=ERRORS)
    expected_sessions = _text(300, label=_("Expected number of sessions"))
    aftercare = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), error_messages=ERRORS)

    def clean_subject(self):
        """An indication by its name or code becomes its code (what plans name); another word
        is the clinic's own indication. A product stays as typed, its name or its slug, for
        the action to find in the clinic's formulary."""
        value = " ".join(self.cleaned_data["subject"].split())
        if self.cleaned_data.get("scope") == TemplateScope.PRODUCT:
            return value
        named = {str(label).casefold(): code for code, label in Indication.choices}
        value = named.get(value.casefold(), value.casefold())
        if not _SUBJECT.match(value):
            raise forms.ValidationError(_("use letters, digits, spaces, '-' and '_'"))
        return value

    def clean(self):
        data = super().clean()
        for name in ("title", "risks", "alternatives", "expected_sessions", "aftercare"):
            if name in data and not data[name].strip():
                self.add_error(name, _("must not be blank"))
        return data


class SignForm(forms.Form):
    signer_name = _text(200, label=_("Your full name"))
    signature = forms.CharField(
        label=_("Your signature"),
        widget=forms.HiddenInput,
        error_messages={**ERRORS, "required": "is required: sign in the box"},
    )
    document_sha256 = forms.CharField(
        label=_("The document"), max_length=64, min_length=64, error_messages=ERRORS
    )
    photo_marketing = forms.BooleanField(label=_("Photographs for marketing"), required=False)

    def clean_signer_name(self):
        return _not_blank(self.cleaned_data["signer_name"])

    def clean_signature(self):
        return signature_png(self.cleaned_data["signature"])


def signature_png(data_url: str) -> bytes:
    """The PNG bytes of a ``data:image/png;base64,…`` signature that shows some ink."""
    match = _DATA_URL.match(data_url.strip())
    if not match:
        raise forms.ValidationError(_("must be a PNG drawn on the signature pad"))
    try:
        png = base64.b64decode(match["data"], validate=False)
    except (binascii.Error, ValueError):
        raise forms.ValidationError(_("must be a PNG drawn on the signature pad")) from None
    if len(png) > MAX_SIGNATURE_BYTES:
        raise forms.ValidationError(_("is too large"))
    try:
        image = Image.open(io.BytesIO(png))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise forms.ValidationError(_("must be a PNG drawn on the signature pad")) from None
    if image.format != "PNG" or image.width * image.height > 4_000_000:
        raise forms.ValidationError(_("must be a PNG drawn on the signature pad"))
    if _blank(image):
        raise forms.ValidationError(_("is empty: sign in the box"))
    return png


def _blank(image: Image.Image) -> bool:
    """No ink: fully transparent, or one colour throughout."""
    rgba = image.convert("RGBA")
    if rgba.getchannel("A").getbbox() is None:
        return True
    # An RGBA image has one (low, high) per band; the stub also allows a single-band answer.
    extrema = cast(tuple[tuple[int, int], ...], rgba.getextrema())
    return all(low == high for low, high in extrema)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={**ERRORS, "required": "is required: record what the patient said"},
    )

    def clean_reason(self):
        return _not_blank(self.cleaned_data["reason"])


class PhotoConsentForm(forms.Form):
    granted = forms.TypedChoiceField(
        choices=[("no", "No"), ("yes", "Yes")],
        coerce=lambda value: value == "yes",
        error_messages=ERRORS,
    )
