"""The session page's lot correction form (`treatments.corrections`): practitioners only,
re-authenticated like signing; refused, the page comes back with what was typed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mesochart.accounts import reauth
from mesochart.accounts.decorators import member_required
from mesochart.formulary.models import Lot
from mesochart.lib.errors import page_lines
from mesochart.treatments import corrections
from mesochart.treatments.access import get_session

FIELDS = ("position", "lot", "barcode", "volume_drawn_ml", "volume_wasted_ml", "reason")
LABELS = {
    "position": "Product row",
    "lot": "Lot really used",
    "barcode": "Lot really used",
    "volume_drawn_ml": "Drawn (mL)",
    "volume_wasted_ml": "Wasted (mL)",
    "reason": "Why the record was wrong",
    "reauthentication": "Your password or authenticator code",
    "quantity_ml": "Stock",
}


def correction_context(session, membership, typed=None) -> dict:
    """What the form offers: the rows as they read now and the clinic's lots of their
    products. Two queries."""
    rows = corrections.current_rows(session)
    lots = (
        Lot.objects.in_clinic(membership.clinic)
        .filter(product_id__in={row.lot.product_id for row in rows})
        .select_related("product")
        .order_by("product__name", "expires_on")
    )
    return {"correction_rows": rows, "correction_lots": list(lots), "correction": typed or {}}


@member_required
@require_POST
def correct(request, pk: int):
    session = get_session(request.membership, pk, "session.sign")
    data = {name: request.POST.get(name, "") for name in FIELDS}
    try:
        proof = reauth.from_request(request, purpose="signing")
        corrections.correct_product(request.actor, session, data, reauthentication=proof)
    except ValidationError as error:
        from mesochart.treatments.views import _context

        labels = {k: _(v) for k, v in LABELS.items()}
        context = _context(request, session, page_lines(error, labels))
        context.update(correction_context(session, request.membership, data))
        return render(request, "treatments/session.html", context, status=422)
    messages.success(
        request,
        _("Lot corrected; the signed record is unchanged and the recall follows the correction."),
    )
    return redirect("treatments:detail", pk=pk)
