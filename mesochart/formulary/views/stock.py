"""Lots and stock: expiry warnings, on hand, receiving a delivery, recording a movement."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mesochart.accounts.decorators import member_required
from mesochart.accounts.roles import allows
from mesochart.formulary import actions
from mesochart.formulary.access import get_lot, lots_for
from mesochart.formulary.forms import HoldForm, MovementForm, ReceiveLotForm
from mesochart.formulary.models import ExpiryStatus
from mesochart.formulary.views.rows import bind_errors

STATUSES = {status.value for status in ExpiryStatus}


@member_required
def lot_list(request):
    return _lots_page(request, None)


def _lots_page(request, receive_form):
    membership = request.membership
    today = request.clinic.today()
    wanted = request.GET.get("status", "")
    wanted = wanted if wanted in STATUSES else ""
    lots = [
        (lot, lot.expiry_status(today))
        for lot in lots_for(membership)
        .with_on_hand()
        .select_related("product")
        .order_by("expires_on", "lot_number", "pk")
    ]
    counts = {s: sum(1 for _, st in lots if st == s) for s in STATUSES}
    if wanted:
        lots = [(lot, st) for lot, st in lots if st == wanted]
    if receive_form is None and allows(membership.role, "stock.manage"):
        receive_form = ReceiveLotForm(membership=membership, today=today)
    context = {
        "lots": lots,
        "status": wanted,
        "counts": counts,
        "today": today,
        "receive_form": receive_form,
    }
    if request.htmx and request.method == "GET":
        return render(request, "formulary/_lot_rows.html", context)
    return render(request, "formulary/lot_list.html", context)


@member_required
@require_POST
def lot_receive(request):
    membership = request.membership
    form = ReceiveLotForm(request.POST, membership=membership, today=request.clinic.today())
    try:
        lot = actions.receive_lot(request.actor, request.POST.dict())
    except ValidationError as error:
        bind_errors(form, None, [], error)
        return _lots_page(request, form)
    messages.success(
        request,
        gettext_lazy("Lot %(lot_number)s of %(name)s was received.")
        % {"lot_number": lot.lot_number, "name": lot.product.name},
    )
    return redirect("formulary:lot", pk=lot.pk)


@member_required
def lot_detail(request, pk: int):
    return _lot_page(request, get_lot(request.membership, pk), None)


def _lot_page(request, lot, form, hold_form=None):
    today = request.clinic.today()
    balance = 0
    ledger = []
    for movement in lot.movements.select_related("by").order_by("at", "pk"):
        balance += movement.quantity_ml
        ledger.append((movement, balance))
    if form is None and allows(request.membership.role, "stock.manage"):
        form = MovementForm(initial={"kind": "administered"})
    holds = list(lot.holds.select_related("placed_by", "released_by"))
    role = request.membership.role
    context = {
        "lot": lot,
        "holds": holds,
        "on_hold": next((h for h in holds if h.released_at is None), None),
        "hold_form": hold_form or HoldForm(),
        "may_quarantine": allows(role, "lot.quarantine"),
        "may_recall": allows(role, "lot.recall"),
        "status": lot.expiry_status(today),
        "ledger": ledger,
        "on_hand_ml": balance,
        "form": form,
    }
    return render(request, "formulary/lot_detail.html", context)


@member_required
@require_POST
def movement_post(request, pk: int):
    lot = get_lot(request.membership, pk, "stock.manage")
    form = MovementForm(request.POST)
    try:
        movement = actions.post_movement(request.actor, lot, request.POST.dict())
    except ValidationError as error:
        bind_errors(form, None, [], error)
        return _lot_page(request, lot, form)
    messages.success(request, f"{movement.get_kind_display()}: {abs(movement.quantity_ml)} mL.")
    return redirect("formulary:lot", pk=lot.pk)
