"""Quarantine, recall and release a lot: each locks the lot, checks its holds, writes and
audits in one transaction. A recall is final; a quarantine is released with a reason."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesochart.accounts.actor import Actor
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.formulary.access import require
from mesochart.formulary.actions.common import errors_of, refuse_unless_valid
from mesochart.formulary.forms import HoldForm
from mesochart.formulary.models import HoldKind, Lot, LotHold

PERMISSION = {HoldKind.QUARANTINE: "lot.quarantine", HoldKind.RECALL: "lot.recall"}


def _reason(data: dict) -> str:
    form = HoldForm(data)
    refuse_unless_valid(errors_of(form))
    return form.cleaned_data["reason"]


def _audit(actor: Actor, lot, hold, step: str) -> None:
    record(
        actor,
        Action.UPDATE,
        Category.FORMULARY,
        obj=lot,
        detail={"lot": lot.lot_number, "hold": hold.kind, "step": step, "hold_id": hold.pk},
    )


def place_hold(actor: Actor, lot: Lot, kind: str, data: dict) -> LotHold:
    """Quarantine or recall ``lot`` (of the caller's clinic). A recalled lot cannot be
    quarantined; a quarantined one may be recalled (the quarantine is closed by it)."""
    kind = HoldKind(kind)
    require(actor, PERMISSION[kind])
    reason = _reason(data)
    with transaction.atomic():
        Lot.objects.select_for_update().filter(pk=lot.pk).get()
        current = LotHold.objects.open().filter(lot=lot).first()
        if current is not None and current.kind == HoldKind.RECALL:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: [
                        _("lot %(lot_number)s is already recalled") % {"lot_number": lot.lot_number}
                    ]
                }
            )
        if current is not None and kind == HoldKind.QUARANTINE:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: [
                        _("lot %(lot_number)s is already quarantined")
                        % {"lot_number": lot.lot_number}
                    ]
                }
            )
        if current is not None:
            current.released_at, current.released_by = timezone.now(), actor.user
            current.release_reason = f"recalled: {reason}"
            current.save(update_fields=["released_at", "released_by", "release_reason"])
        hold = LotHold.objects.create(lot=lot, kind=kind, reason=reason, placed_by=actor.user)
        _audit(actor, lot, hold, "placed")
    return hold


def release_quarantine(actor: Actor, lot: Lot, data: dict) -> LotHold:
    """End the quarantine of ``lot``: it may be used again. A recall is never released."""
    require(actor, "lot.recall")
    reason = _reason(data)
    with transaction.atomic():
        Lot.objects.select_for_update().filter(pk=lot.pk).get()
        hold = LotHold.objects.open().filter(lot=lot).first()
        if hold is None:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: [
                        _("lot %(lot_number)s is not on hold") % {"lot_number": lot.lot_number}
                    ]
                }
            )
        if hold.kind == HoldKind.RECALL:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: [
                        _("lot %(lot_number)s is recalled: it stays out of use")
                        % {"lot_number": lot.lot_number}
                    ]
                }
            )
        hold.released_at, hold.released_by, hold.release_reason = (
            timezone.now(),
            actor.user,
            reason,
        )
        hold.save(update_fields=["released_at", "released_by", "release_reason"])
        _audit(actor, lot, hold, "released")
    return hold
