"""A clinic's aftercare sheet per protocol: the advice a patient takes home, in the practice's
own words, versioned (an edit adds a version; none is overwritten).

The shipped starting text is deliberately generic and holds no clinical number (no hours,
days or doses): what a patient should avoid and for how long is the practice's decision and
its source, written here by an admin or a practitioner.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from mesochart.accounts.actor import Actor
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.formulary.actions.common import errors_of, refuse_unless_valid
from mesochart.planning.access import require
from mesochart.planning.models import AftercareSheet

# Generic on purpose (see the module docstring); the edit page asks the clinic to replace it.
DEFAULT_TEXT = _(
    "Keep the treated area clean and leave it to settle after your treatment.\n"
    "Some redness, swelling, tenderness or small bruises where the needle went in are common "
    "and usually settle on their own.\n"
    "Ask us before using make-up, exercising hard, or using a sauna, steam room or sunbed "
    "on the treated area.\n"
    "Contact the clinic straight away if pain, swelling or redness gets worse instead of "
    "better, if the area becomes hot or oozes, or if you feel unwell or feverish.\n"
    "In an emergency, call your local emergency number."
)
PROMPT = _(
    "Write the advice your patients take home after this treatment: what to expect, what to "
    "avoid and for how long, and when to call the clinic. Give the practice's own figures "
    "and where they come from; the starting text has none."
)
MAX_CHARACTERS = 6000


class AftercareForm(forms.Form):
    text = forms.CharField(
        label=_("Aftercare advice for the patient"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=PROMPT,
        error_messages={"required": _("write the advice the patient takes home")},
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0
    )  # the version the editor read; 0 when there was none

    def clean_text(self) -> str:
        text = "\n".join(line.rstrip() for line in self.cleaned_data["text"].strip().splitlines())
        if len(text) > MAX_CHARACTERS:
            raise ValidationError(
                _("is %(n)s characters long: keep it to %(max)s, one printed page"),
                params={"n": len(text), "max": MAX_CHARACTERS},
            )
        return text


def current(clinic, protocol) -> AftercareSheet | None:
    return AftercareSheet.objects.current(clinic, protocol)


def save_sheet(actor: Actor, protocol, data: dict) -> AftercareSheet:
    """A new version of the clinic's sheet for ``protocol`` (fetched through
    ``planning.access.get_protocol``), written and audited in one transaction.

    ``data["version"]`` is the version the editor read (0 for none): if someone saved since,
    the edit is refused rather than silently replacing theirs. Text equal to the current
    version is refused too: a version that changes nothing would only look like a review.
    """
    require(actor, "aftercare.edit")
    form = AftercareForm(data)
    refuse_unless_valid(errors_of(form))
    text, read = form.cleaned_data["text"], form.cleaned_data["version"]
    try:
        with transaction.atomic():
            latest = (
                AftercareSheet.objects.select_for_update()
                .filter(clinic=actor.clinic, protocol=protocol)
                .order_by("-version")
                .first()
            )
            number = latest.version if latest else 0
            if read is not None and read != number:
                raise ValidationError(
                    {
                        "text": [
                            _("someone saved version %(v)s since you opened this page: reload it")
                            % {"v": number}
                        ]
                    }
                )
            if latest is not None and latest.text == text:
                raise ValidationError(
                    {
                        "text": [
                            _("is the same as version %(v)s: change it to save a new version")
                            % {"v": number}
                        ]
                    }
                )
            sheet = AftercareSheet.objects.create(
                clinic=actor.clinic,
                protocol=protocol,
                version=number + 1,
                text=text,
                updated_by=actor.user,
            )
            record(
                actor,
                Action.CREATE if number == 0 else Action.UPDATE,
                Category.PLANNING,
                obj=sheet,
                detail={"protocol": protocol.pk, "version": sheet.version},
            )
    except IntegrityError:
        # Two editors saved the first version at once: the other one's stands.
        raise ValidationError(
            {"text": [_("someone saved a version at the same moment: reload it")]}
        ) from None
    return sheet
