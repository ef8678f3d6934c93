"""Receiving lots and moving stock: each write locks the lot, checks, writes and audits.

On hand is the sum of a lot's movements. A movement is posted with the lot row locked
(``select_for_update``), so two people taking the last millilitres at once cannot both
succeed: the second sees the first's movement and is refused.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy

from mesochart.accounts.actor import Actor
from mesochart.audit.log import append, entry, record
from mesochart.audit.models import Action, Category
from mesochart.formulary.access import require
from mesochart.formulary.actions.common import errors_of, ml, ml_text, refuse_unless_valid
from mesochart.formulary.forms import MovementForm, ReceiveLotForm
from mesochart.formulary.models import Lot, MovementKind, StockMovement
from mesochart.formulary.models.stock import ZERO_ML


def on_hand_ml(lot: Lot) -> Decimal:
    """The lot's stock: the sum of its movements, to the ledger's 3 decimal places.

    Rounded because SQLite sums decimals in binary floating point (0.999 comes back as
    0.998999999999999), which would refuse taking the last 0.999 mL.
    """
    return ml(lot.movements.aggregate(total=Sum("quantity_ml"))["total"] or ZERO_ML)


def receive_lot(actor: Actor, data: dict) -> Lot:
    """Record a delivery: the lot and its ``received`` movement, together or not at all."""
    require(actor, "stock.manage")
    form = ReceiveLotForm(data, membership=actor, today=actor.clinic.today())
    refuse_unless_valid(errors_of(form))
    values = form.cleaned_data
    with transaction.atomic():
        lot = Lot.objects.create(
            product=values["product"],
            clinic=actor.clinic,
            lot_number=values["lot_number"],
            expires_on=values["expires_on"],
            received_on=values["received_on"],
            quantity_received_ml=values["quantity_ml"],
            gtin=values["gtin"],
        )
        movement = StockMovement.objects.create(
            lot=lot,
            kind=MovementKind.RECEIVED,
            quantity_ml=values["quantity_ml"],
            by=actor.user,
            note=values["note"],
        )
        record(
            actor,
            Action.CREATE,
            Category.FORMULARY,
            obj=lot,
            detail={
                "product": lot.product.slug,
                "lot": lot.lot_number,
                "expires_on": lot.expires_on.isoformat(),
                "movement": movement.pk,
                "quantity_ml": str(ml(movement.quantity_ml)),
            },
        )
    return lot


def post_movement(actor: Actor, lot: Lot, data: dict) -> StockMovement:
    """Administer, waste, return or adjust stock of ``lot`` (a lot of the caller's clinic).

    Refused, naming the lot, when it would leave less than nothing on hand, or when an
    expired lot would be administered.
    """
    return post_movements(actor, lot, [data])[0]


def post_movements(actor: Actor, lot: Lot, items: list[dict]) -> list[StockMovement]:
    """Several movements of one lot at once, all or none: the lot is locked and summed once,
    the rules of `post_movement` apply to their total, and each movement has its own audit
    row."""
    with transaction.atomic():
        found = lock_lots(actor.clinic, [lot.pk]).get(lot.pk)
        if found is None:
            raise Lot.DoesNotExist(f"lot {lot.pk} is not stock of {actor.clinic}")
        locked, available = found
        movements, events = stage_movements(actor, locked, available, items)
        append(events)
    return movements


def lock_lots(clinic, lot_ids) -> dict[int, tuple[Lot, Decimal]]:
    """The clinic's lots among ``lot_ids``, locked, each with its on hand: two statements
    however many lots. Call inside a transaction; lots are locked in primary-key order, so
    two signatures sharing lots wait for each other instead of deadlocking. A lot of another
    clinic is simply absent."""
    locked = list(
        Lot.objects.select_for_update().filter(pk__in=lot_ids, clinic=clinic).order_by("pk")
    )
    totals = dict(
        StockMovement.objects.filter(lot__in=locked)
        .values_list("lot_id")
        .annotate(total=Sum("quantity_ml"))
        .order_by()
    )
    return {lot.pk: (lot, ml(totals.get(lot.pk) or ZERO_ML)) for lot in locked}


def stage_movements(
    actor: Actor,
    lot: Lot,
    available: Decimal,
    items: list[dict],
    administered_on: date | None = None,
) -> tuple[list[StockMovement], list]:
    """Write the movements of ``lot``, locked by `lock_lots` with ``available`` on hand, and
    return them with their audit entries, not yet appended: a caller that audits more in the
    same transaction (signing a session) chains everything in one append. Refused, naming
    the lot, when an expired lot would be administered or the total would leave less than
    nothing on hand. ``administered_on``: the clinic's day the lot was given (a session
    recorded after the fact gives its own), else today."""
    require(actor, "stock.manage")
    forms = [MovementForm(data) for data in items]
    refuse_unless_valid(*(errors_of(form) for form in forms))
    moves = [(form.cleaned_data["kind"], form.cleaned_data["signed_ml"], form) for form in forms]
    administered = any(kind == MovementKind.ADMINISTERED for kind, _, _ in moves)
    if administered and lot.is_expired(administered_on or actor.clinic.today()):
        raise ValidationError(
            {
                "lot": [
                    gettext_lazy("lot %(lot_number)s expired on %(v1)s and cannot be administered")
                    % {"lot_number": lot.lot_number, "v1": lot.expires_on.isoformat()}
                ]
            }
        )
    change = sum((signed for _, signed, _ in moves), ZERO_ML)
    if available + change < 0:
        raise ValidationError(
            {
                "quantity_ml": [
                    gettext_lazy("lot %(lot_number)s has %(v1)s on hand; %(v2)s cannot be taken")
                    % {
                        "lot_number": lot.lot_number,
                        "v1": ml_text(available),
                        "v2": ml_text(-change),
                    }
                ]
            }
        )
    movements = StockMovement.objects.bulk_create(
        StockMovement(
            lot=lot,
            kind=kind,
            quantity_ml=signed,
            by=actor.user,
            note=form.cleaned_data["note"],
            reference=form.cleaned_data["reference"],
        )
        for kind, signed, form in moves
    )
    events = []
    for movement in movements:
        available += movement.quantity_ml
        events.append(
            entry(
                actor,
                Action.CREATE,
                Category.FORMULARY,
                obj=movement,
                detail={
                    "lot": lot.lot_number,
                    "lot_id": lot.pk,
                    "kind": movement.kind,
                    "quantity_ml": str(ml(movement.quantity_ml)),
                    "on_hand_ml": str(ml(available)),
                },
            )
        )
    return movements, events
