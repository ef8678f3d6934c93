"""What comes with a photo besides its bytes; messages are the rule only (``field: rule``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mesochart.photos.models import OPTIONAL_PURPOSES
from mesochart.photos.poses import AREA_CHOICES, find


class PhotoForm(forms.Form):
    area = forms.ChoiceField(choices=AREA_CHOICES)
    view = forms.CharField(max_length=20)
    session = forms.IntegerField(required=False, min_value=1)
    plan_region = forms.IntegerField(required=False, min_value=1)
    keep_reason = forms.CharField(
        label=_("Keep it anyway, because"), max_length=300, required=False, strip=True
    )
    marker_side_mm = forms.DecimalField(
        label=_("Printed marker side, mm (optional)"),
        required=False,
        min_value=1,
        max_value=200,
        decimal_places=1,
        help_text=_("The printed side of the ArUco marker in the frame, if there is one."),
    )

    def clean(self):
        data = super().clean()
        if "area" in data and "view" in data and find(data["area"], data["view"]) is None:
            self.add_error("view", _("is not a standard view of this area"))
        return data


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(choices=[(p.value, p.label) for p in OPTIONAL_PURPOSES])
    decision = forms.ChoiceField(choices=[("grant", _("Grant")), ("revoke", _("Revoke"))])
