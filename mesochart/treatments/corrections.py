"""Correcting a signed session's lot or volume: an amendment that keeps the original.

A practitioner who entered the wrong lot (or volume) finds it after signing. The signed
record is never edited: the correction is an `Amendment` (kind correction) whose
``changes`` say what the product row read and what it reads now; the stock ledger gets
reversing movements (the wrong lot's whole drawn volume returned, the right lot's
administered and wasted volumes taken), never an edit of the movements signing posted; and
the recall's `LotUse` of that row is marked superseded by the correction and replaced by the
true use, so a recall of the wrong lot no longer finds the patient and a recall of the right
one does, saying what was corrected. Re-authenticated like signing (`accounts.reauth`), in
one transaction with one audit append (the movements and the amendment).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesochart.accounts.actor import Actor
from mesochart.accounts.reauth import Reauthentication, require_fresh
from mesochart.audit.log import append, entry
from mesochart.audit.models import Action, Category
from mesochart.formulary.actions.common import errors_of, ml_text, refuse_unless_valid
from mesochart.formulary.actions.stock import lock_lots, stage_movements
from mesochart.formulary.models import MovementKind
from mesochart.treatments.access import require
from mesochart.treatments.forms import ProductRowForm
from mesochart.treatments.models import Amendment, AmendmentKind, LotUse, SessionStatus

MIN_REASON_CHARS = 5


def _row_text(lot, administered_ml: Decimal, wasted_ml: Decimal) -> str:
    return (
        f"lot {lot.lot_number} · {ml_text(administered_ml)} administered, "
        f"{ml_text(wasted_ml)} wasted"
    )


def _current_use(session, position) -> LotUse:
    """The use the recall reads now for product row ``position`` (as signed, or as last
    corrected), under lock."""
    try:
        index = int(position)
    except (TypeError, ValueError):
        raise ValidationError({"position": [_("choose the product row to correct")]}) from None
    use = (
        LotUse.objects.select_for_update()
        .select_related("lot__product")
        .filter(session=session, position=index, superseded_by__isnull=True)
        .first()
    )
    if use is None:
        raise ValidationError({"position": [_("is not a product row of this session")]})
    return use


def _validated(actor: Actor, session, data: dict) -> dict:
    require(actor, "session.sign")
    if session.status != SessionStatus.SIGNED:
        raise ValidationError({"status": [_("only a signed session is corrected: edit the draft")]})
    reason = str(data.get("reason") or "").strip()
    form = ProductRowForm(
        {k: data.get(k) for k in ("lot", "barcode", "volume_drawn_ml", "volume_wasted_ml")},
        clinic=actor.clinic,
    )
    errors = errors_of(form)
    if len(reason) < MIN_REASON_CHARS:
        errors["reason"] = [_("is required: say what was wrong and how you know")]
    refuse_unless_valid(errors)
    return {**form.cleaned_data, "reason": reason}


def correct_product(
    actor: Actor, session, data: dict, *, reauthentication: Reauthentication | None
) -> Amendment:
    """Correct product row ``data["position"]`` of signed ``session`` to ``data["lot"]`` (or a
    scanned ``barcode``) with ``volume_drawn_ml``/``volume_wasted_ml``, for ``reason``.
    Practitioners only (``session.sign``); refused as ``field: rule``."""
    cleaned = _validated(actor, session, data)
    reauthentication = require_fresh(reauthentication, actor.user)
    new_lot = cleaned["lot"]
    drawn = Decimal(cleaned["volume_drawn_ml"])
    wasted = Decimal(cleaned["volume_wasted_ml"])
    with transaction.atomic():
        use = _current_use(session, data.get("position"))
        old_lot = use.lot
        if new_lot.product_id != old_lot.product_id:
            rule = _("is a lot of {new}; the row records {old}: add an addendum instead")
            raise ValidationError(
                {"lot": [rule.format(new=new_lot.product.name, old=old_lot.product.name)]}
            )
        old_drawn = use.volume_administered_ml + use.volume_wasted_ml
        same = (new_lot.pk, drawn, wasted) == (old_lot.pk, old_drawn, use.volume_wasted_ml)
        if same:
            raise ValidationError({"lot": [_("changes nothing: the record already says this")]})
        lots = lock_lots(actor.clinic, {old_lot.pk, new_lot.pk})
        reference = f"treatment-session:{session.pk}:correction"
        note = f"correction of session {session.pk}: {cleaned['reason']}"[:1000]
        plan: dict[int, list[dict]] = {old_lot.pk: []}
        returned = {"quantity_ml": old_drawn, "note": note, "reference": reference}
        plan[old_lot.pk].append({"kind": MovementKind.RETURNED, **returned})
        for kind, volume in (
            (MovementKind.ADMINISTERED, drawn - wasted),
            (MovementKind.WASTED, wasted),
        ):
            if volume > 0:
                plan.setdefault(new_lot.pk, []).append(
                    {"kind": kind, "quantity_ml": volume, "note": note, "reference": reference}
                )
        events = []
        for lot_id, movements in plan.items():
            lot, available = lots[lot_id]
            events += stage_movements(actor, lot, available, movements)[1]
        # The key reads as the page and the printed record show it (never a field name).
        row_name = _("product row {n}").format(n=use.position + 1)
        was = _row_text(old_lot, use.volume_administered_ml, use.volume_wasted_ml)
        now = _row_text(new_lot, drawn - wasted, wasted)
        amendment = Amendment.objects.create(
            session=session,
            kind=AmendmentKind.CORRECTION,
            text=_("Lot or volume corrected"),
            reason=cleaned["reason"],
            changes={row_name: {"from": was, "to": now}},
            by=actor.user,
            at=timezone.now(),
        )
        LotUse.objects.filter(pk=use.pk).update(superseded_by=amendment)
        LotUse.objects.create(
            lot=new_lot,
            session_id=use.session_id,
            position=use.position,
            patient_id=use.patient_id,
            practitioner_id=use.practitioner_id,
            administered_at=use.administered_at,
            day=use.day,
            areas=use.areas,
            volume_administered_ml=drawn - wasted,
            volume_wasted_ml=wasted,
            corrected_from=_("corrected on {day} from {was}").format(
                day=timezone.localdate(amendment.at).isoformat(), was=was
            ),
        )
        detail = {
            "kind": "correction",
            "session": session.pk,
            "fields": [row_name],
            "from_lot": old_lot.pk,
            "to_lot": new_lot.pk,
            "reauthenticated": reauthentication.method,
        }
        append(
            [
                *events,
                entry(
                    actor,
                    Action.CREATE,
                    Category.TREATMENT,
                    patient=session.patient,
                    obj=amendment,
                    detail=detail,
                ),
            ]
        )
    return amendment


def current_rows(session) -> list[LotUse]:
    """The product rows as they read now (signed, or as corrected), for the page's form."""
    return list(
        LotUse.objects.filter(session=session, superseded_by__isnull=True)
        .select_related("lot__product")
        .order_by("position")
    )
