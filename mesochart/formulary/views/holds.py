"""Quarantine, recall and release a lot from its page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from mesochart.accounts.decorators import member_required
from mesochart.formulary import actions
from mesochart.formulary.access import get_lot
from mesochart.formulary.actions.holds import PERMISSION
from mesochart.formulary.forms import HoldForm
from mesochart.formulary.models import HoldKind
from mesochart.formulary.views.rows import bind_errors
from mesochart.formulary.views.stock import _lot_page


@member_required
@require_POST
def lot_hold(request, pk: int, kind: str):
    if kind not in HoldKind.values:
        raise Http404("No such hold.")
    lot = get_lot(request.membership, pk, PERMISSION[HoldKind(kind)])
    try:
        hold = actions.place_hold(request.actor, lot, kind, request.POST.dict())
    except ValidationError as error:
        return _refused(request, lot, error)
    messages.success(
        request,
        _("Lot %(lot_number)s is %(v1)s.")
        % {"lot_number": lot.lot_number, "v1": hold.get_kind_display().lower()},
    )
    return redirect("formulary:lot", pk=lot.pk)


@member_required
@require_POST
def lot_release(request, pk: int):
    lot = get_lot(request.membership, pk, "lot.recall")
    try:
        actions.release_quarantine(request.actor, lot, request.POST.dict())
    except ValidationError as error:
        return _refused(request, lot, error)
    messages.success(
        request,
        _("Lot %(lot_number)s is released from quarantine.") % {"lot_number": lot.lot_number},
    )
    return redirect("formulary:lot", pk=lot.pk)


def _refused(request, lot, error):
    form = HoldForm(request.POST)
    bind_errors(form, None, [], error)
    return _lot_page(request, lot, None, hold_form=form)
