"""Validation of formulary data, shared by the pages, the API and the actions.

Messages state the rule only ("must be greater than 0"); whoever shows them prefixes the
field, so every interface says ``quantity_ml: must be greater than 0``. Quantities with units
are read by the core's parsers; limits are built as core limits, so the core's rules hold.
"""

import re
from datetime import date
from decimal import Decimal
from typing import cast

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from mesochart.core.limits import LimitOverrideError, Origin, check_override
from mesochart.formulary.models import Ingredient, Limit, Lot, MovementKind, Product
from mesochart.formulary.models.limits import core_limit
from mesochart.formulary.models.stock import OUTGOING
from mesochart.formulary.quantities import validate_strength
from mesochart.lib.widgets import DateInput, localize_numbers

# Every interface shows "field: rule", so each rule reads after its field's name.
RULES = {
    "required": "is required",
    "max_length": "must be at most %(limit_value)d characters",
    "invalid": "is not valid",
    "invalid_choice": "must be one of the listed choices",
    "invalid_pk_value": "must be one of the listed choices",
    "min_value": "must be at least %(limit_value)s",
    "max_value": "must be at most %(limit_value)s",
    "max_digits": "must have at most %(max)s digits",
    "max_decimal_places": "must have at most %(max)s decimal places",
    "max_whole_digits": "must have at most %(max)s digits before the decimal point",
    "null_characters_not_allowed": "must not contain null characters",
}
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_GTIN = re.compile(r"^(\d{8}|\d{12,14})$")
SLUG_RULE = "must be lower-case letters and digits joined by '-' or '_' (e.g. 'vitamin-c-5pct')"


def _rules(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        field.error_messages.update(RULES)
    localize_numbers(form)


def _names(text: str) -> list[str]:
    """ "submental, face" -> ["face", "submental"]; each must be a slug (areas, vehicles)."""
    names = sorted({part.strip().lower() for part in text.split(",") if part.strip()})
    for name in names:
        if not _SLUG.match(name):
            raise forms.ValidationError(f"'{name}' {SLUG_RULE}")
    return names


class ProductForm(forms.ModelForm):
    """An organisation's own product; composition rows come from `CompositionForm`."""

    brand_names = forms.CharField(required=False, help_text=_("Comma-separated."))
    excipients = forms.ModelMultipleChoiceField(queryset=Ingredient.objects.none(), required=False)

    class Meta:
        model = Product
        fields = [
            "name",
            "slug",
            "manufacturer",
            "form",
            "container_volume_ml",
            "vehicle",
            "note",
            "active",
        ]
        labels = {"container_volume_ml": "Container volume (mL)"}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "How plans name the product; leave empty to make one from the name. "
            "It cannot change once lots or cocktails use it."
        )
        self.fields["excipients"].queryset = Ingredient.objects.visible_to(organisation).filter(
            is_excipient=True
        )
        self.fields["container_volume_ml"].min_value = Decimal("0.01")
        if self.instance.pk:
            self.initial["brand_names"] = ", ".join(self.instance.brand_names)
            self.initial["excipients"] = list(self.instance.excipients.all())
        _rules(self)
        self.fields["slug"].error_messages["invalid"] = SLUG_RULE

    def clean_name(self) -> str:
        value = self.cleaned_data["name"].strip()
        if not value:
            raise forms.ValidationError(_("must not be blank"))
        return value

    def clean_container_volume_ml(self):
        value = self.cleaned_data["container_volume_ml"]
        if value is not None and value <= 0:
            raise forms.ValidationError(_("must be greater than 0"))
        return value

    def clean_brand_names(self) -> list[str]:
        return [n.strip() for n in self.cleaned_data["brand_names"].split(",") if n.strip()]

    def clean(self):
        data = super().clean()
        if "slug" in self.errors or "name" in self.errors:
            return data
        slug = data.get("slug") or slugify(data.get("name", ""))
        if not _SLUG.match(slug):
            self.add_error("slug", SLUG_RULE)
            return data
        if slug == "new":  # products/new/ is the page that creates one
            self.add_error("slug", _("'new' is reserved; choose another"))
            return data
        if self.instance.pk and slug != self.instance.slug and self.instance.lots.exists():
            self.add_error("slug", _("cannot change: lots of this product are recorded"))
        clash = Product.objects.visible_to(self.organisation).filter(slug=slug)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            self.add_error(
                "slug", _("'%(slug)s' is already used by another product") % {"slug": slug}
            )
        data["slug"] = slug
        return data


class CompositionForm(forms.Form):
    """One ingredient of a product and its strength as written on the label."""

    ingredient = forms.ModelChoiceField(queryset=Ingredient.objects.none(), to_field_name="slug")
    strength = forms.CharField(
        required=False,
        max_length=40,
        help_text=_("e.g. 10 mg/mL, 1 % w/v, 1500 IU/mL. Leave empty if no source states it."),
    )
    source = forms.CharField(required=False, max_length=300)
    note = forms.CharField(required=False, max_length=1000)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ingredient"].queryset = Ingredient.objects.visible_to(organisation).filter(
            is_excipient=False
        )
        _rules(self)

    def clean_strength(self) -> str | None:
        text = self.cleaned_data["strength"].strip()
        if not text:
            return None
        try:
            validate_strength(text)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages[0]) from None
        return text

    def clean(self):
        data = super().clean()
        unknown = "strength" not in self.errors and data.get("strength") is None
        if unknown and not data.get("note", "").strip():
            self.add_error("note", _("is required when the strength is not known: say why"))
        return data


class ClinicLimitForm(forms.ModelForm):
    """A clinic's own limit on a product: it replaces the shipped limit with the same key.

    The core decides: the values must make a valid ``core.limits.Limit``, and
    ``check_override`` refuses anything looser than a label limit.
    """

    names = forms.CharField(
        required=False, help_text=_("Comma-separated areas or vehicles, e.g. submental, face.")
    )
    ingredient = forms.ChoiceField(required=False)

    class Meta:
        model = Limit
        fields = [
            "kind",
            "ingredient",
            "maximum",
            "minimum",
            "per_kg",
            "count",
            "days",
            "months",
            "names",
            "severity",
            "source",
            "note",
        ]
        help_texts = {
            "maximum": "With its unit: 0.2 mL, 300 mg, 5 g, 4 mm.",
            "per_kg": "Dose per kg limits only, e.g. 4.5 mg/kg.",
            "source": "Where this limit comes from, e.g. a clinic policy and its date.",
        }
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, product: Product, shipped: list[Limit], **kwargs):
        super().__init__(*args, **kwargs)
        self.product = product
        self.shipped = shipped
        ingredients = [(c.ingredient.slug, c.ingredient.name) for c in product.composition.all()]
        ingredient = cast(forms.ChoiceField, self.fields["ingredient"])
        ingredient.choices = [("", "— not about one ingredient —"), *ingredients]
        self.fields["severity"].initial = "block"
        _rules(self)

    def clean_names(self) -> list[str]:
        return _names(self.cleaned_data["names"])

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        values = {**data, "origin": Origin.CLINIC.value}
        try:
            limit = core_limit(values)
        except forms.ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
            return data
        label = next((row for row in self.shipped if row.key == limit.key), None)
        if label is not None:
            try:
                check_override(label.to_core(), limit)
            except LimitOverrideError as error:
                field, rule = _looser(str(error), label)
                self.add_error(field, rule)
        return data


# check_override's reason -> the field it is about.
_LOOSER_FIELDS = (
    ("its maximum", "maximum"),
    ("its amount per kg", "per_kg"),
    ("its count", "count"),
    ("its minimum", "minimum"),
    ("its days", "days"),
    ("its months", "months"),
    ("only warns", "severity"),
    ("different kind of unit", "maximum"),
    ("allows areas", "names"),
    ("no longer forbids", "names"),
)


def _looser(message: str, label: Limit) -> tuple[str, str]:
    """The field a refused override is about, and a rule naming the label's value and source."""
    field = next((f for phrase, f in _LOOSER_FIELDS if phrase in message), "kind")
    if field == "names":
        value = ", ".join(label.names)
    elif field == "severity":
        value = label.get_severity_display().lower()
    else:
        value = str(getattr(label, field) or "")
    return field, (
        f"is looser than the label ({value}; {label.source}): a clinic may make a label "
        "limit stricter, never looser"
    )


class ReceiveLotForm(forms.Form):
    product = forms.ModelChoiceField(queryset=Product.objects.none(), to_field_name="slug")
    lot_number = forms.CharField(max_length=64)
    expires_on = forms.DateField(widget=DateInput())
    received_on = forms.DateField(widget=DateInput(), required=False)
    quantity_ml = forms.DecimalField(
        label=_("Quantity received (mL)"), max_digits=9, decimal_places=3
    )
    gtin = forms.CharField(label=_("GTIN"), required=False, max_length=14)
    note = forms.CharField(required=False, max_length=1000)

    def __init__(self, *args, membership, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = membership.clinic
        self.today = today
        cast(forms.ModelChoiceField, self.fields["product"]).queryset = (
            Product.objects.visible_to(self.clinic.organisation_id)
            .filter(active=True)
            .order_by("name")
        )
        _rules(self)

    def clean_lot_number(self) -> str:
        value = self.cleaned_data["lot_number"].strip().upper()
        if not value:
            raise forms.ValidationError(_("must not be blank"))
        return value

    def clean_quantity_ml(self) -> Decimal:
        value = self.cleaned_data["quantity_ml"]
        if value <= 0:
            raise forms.ValidationError(_("must be greater than 0"))
        return value

    def clean_gtin(self) -> str:
        value = self.cleaned_data["gtin"].strip()
        if value and not _GTIN.match(value):
            raise forms.ValidationError(_("must be 8, 12, 13 or 14 digits"))
        return value

    def clean(self):
        data = super().clean()
        received = data.get("received_on") or self.today
        data["received_on"] = received
        if received > self.today:
            self.add_error("received_on", _("must not be in the future"))
        if data.get("expires_on") and data["expires_on"] < received:
            self.add_error(
                "expires_on",
                _("is before the day it was received (%(received)s)") % {"received": received},
            )
        product, number = data.get("product"), data.get("lot_number")
        lots = Lot.objects.filter(clinic=self.clinic, product=product, lot_number=number)
        if product and number and lots.exists():
            self.add_error(
                "lot_number",
                _("lot %(number)s of this product is already recorded here") % {"number": number},
            )
        return data


class MovementForm(forms.Form):
    """A change to a lot's stock. The kind gives the direction: enter the volume moved
    (an adjustment is signed: -0.5 takes half a mL away)."""

    kind = forms.ChoiceField(choices=MovementKind.choices)
    quantity_ml = forms.DecimalField(label=_("Volume (mL)"), max_digits=9, decimal_places=3)
    note = forms.CharField(required=False, max_length=1000)
    reference = forms.CharField(required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _rules(self)

    def clean(self):
        data = super().clean()
        kind, quantity = data.get("kind"), data.get("quantity_ml")
        if kind is None or quantity is None:
            return data
        if kind == MovementKind.ADJUSTED:
            if quantity == 0:
                self.add_error("quantity_ml", _("must not be 0"))
            elif not data.get("note", "").strip():
                self.add_error(
                    "note", _("is required for an adjustment: say why the count changed")
                )
            data["signed_ml"] = quantity
        elif quantity <= 0:
            self.add_error(
                "quantity_ml", _("must be greater than 0 (the kind gives the direction)")
            )
        else:
            data["signed_ml"] = -quantity if kind in OUTGOING else quantity
        return data


class CocktailForm(forms.Form):
    name = forms.CharField(max_length=200)
    note = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What changed, or what the mix is for."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _rules(self)

    def clean_name(self) -> str:
        value = self.cleaned_data["name"].strip()
        if not slugify(value):
            raise forms.ValidationError(_("must contain letters or digits"))
        return value


class CocktailRowForm(forms.Form):
    product = forms.ModelChoiceField(queryset=Product.objects.none(), to_field_name="slug")
    volume_ml = forms.DecimalField(label=_("Volume (mL)"), max_digits=8, decimal_places=3)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = (
            Product.objects.visible_to(organisation).filter(active=True).order_by("name")
        )
        _rules(self)

    def clean_volume_ml(self) -> Decimal:
        value = self.cleaned_data["volume_ml"]
        if value <= 0:
            raise forms.ValidationError(_("must be greater than 0"))
        return value


class HoldForm(forms.Form):
    """Quarantine or recall a lot, or release a quarantine: the reason is always asked."""

    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _rules(self)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("is required: say why"))
        return reason
