"""Session pages: start from a plan, the session record with its pre-flight checklist, lot
entry (pick or scan), sign, amend, void; the patient's timeline; the recall page.

Each view fetches through ``treatments.access`` / ``planning.access`` / ``patients.access``
and writes through ``treatments.actions``; errors are shown as ``field: rule``.
"""

import re
from itertools import zip_longest
from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from mesochart.accounts import reauth
from mesochart.accounts.decorators import member_required
from mesochart.accounts.roles import allows
from mesochart.formulary.models import Lot
from mesochart.lib.errors import page_lines
from mesochart.patients.access import get_patient
from mesochart.patients.actions import record_view
from mesochart.planning.access import get_plan
from mesochart.planning.review import measured_as_planned, saved_regions
from mesochart.planning.views_chart import chart_context, protocol_defaults
from mesochart.treatments import actions, deviations, late_entry, recall, reconcile
from mesochart.treatments.access import get_session, require
from mesochart.treatments.forms import ProductRowForm, SessionForm
from mesochart.treatments.models import Amendment, AmendmentKind, SessionStatus
from mesochart.treatments.signing import what_is_signed
from mesochart.treatments.timeline import timeline
from mesochart.treatments.views_corrections import correction_context
from mesochart.treatments.views_deviation import deviation_context


@member_required
@require_POST
def start(request, plan_pk: int):
    plan = get_plan(request.membership, plan_pk)
    try:
        session = actions.start_session(request.actor, plan, request.POST.dict())
    except ValidationError as error:
        for line in page_lines(error, START_LABELS):
            messages.error(request, line)
        return redirect("patients:detail", pk=plan.patient_id)
    return redirect("treatments:detail", pk=session.pk)


# The start form's fields as the patient's timeline labels them (a refusal names them so).
START_LABELS = {
    "performed_at": _("Performed at"),
    "late_entry_reason": _("Why it is recorded late"),
    "plan": _("Plan"),
    "plan_session": _("Series"),
    "practitioner": _("Practitioner"),
}


def _chart(session, planned: list[dict], can_record: bool) -> dict:
    """The chart editor on the session's own regions, drawn on the plan's measured regions
    (`planning.review.measured_as_planned`). Saving sends the regions to the draft endpoint
    (``PATCH /api/v1/sessions/{id}``, i.e. ``actions.save_draft``), which keeps what a
    session stores and drops the rest.
    """
    regions = measured_as_planned(session.regions, planned)
    return chart_context(
        regions,
        {"session": session.pk, "version": session.version},
        locked=not can_record,
        defaults=protocol_defaults(session.plan.protocol) if can_record else {},
        save=f"/sessions/{session.pk}",
        method="PATCH",
        fixed_measurements=True,
        readonly=not can_record,
    )


def _lot_choices(session, products):
    """The lots the picker may offer: lots of this clinic in stock, in date on the day the
    session is judged on (`TreatmentSession.judged_on`: a late entry's own day), not on
    hold, of the products in the session's cocktail; and any lot already recorded (the
    checklist says what is wrong with it). Each lot carries ``usable``: whether it may be
    offered on a row that does not already hold it."""
    cocktail = [part.product_id for part in session.cocktail_version.parts]
    usable = Lot.objects.usable(session.judged_on()).filter(
        clinic=session.clinic, product_id__in=cocktail
    )
    recorded = [row.lot_id for row in products]
    return list(
        Lot.objects.in_clinic(session.clinic)
        .with_on_hand()
        .annotate(usable=Exists(usable.filter(pk=OuterRef("pk"))))
        .filter((Q(pk__in=usable.values("pk")) & Q(on_hand_ml__gt=0)) | Q(pk__in=recorded))
        .select_related("product")
        .order_by("product__name", "expires_on")
    )


def _picker(rows, lots) -> list[tuple]:
    """Each product row with the lots its picker lists: only lots of the row's product (a
    row of a product named by the cocktail, saved or typed with a lot), usable on the day
    judged, and the lot the row already holds; a row of no product yet lists every
    usable lot of the cocktail's products."""
    product_of = {lot.pk: lot.product_id for lot in lots}
    picked = []
    for row in rows:
        held = getattr(row, "lot_id", None)
        product = getattr(row, "product_id", None) or product_of.get(held)
        choices = [
            lot
            for lot in lots
            if (lot.usable or lot.pk == held) and (product is None or lot.product_id == product)
        ]
        picked.append((row, choices))
    return picked


def _context(request, session, errors=(), form=None, typed=None) -> dict:
    """The session page; after a refusal, ``form`` and ``typed`` (the product ``rows``, the
    ``acknowledgements`` and the ``amendment``, as posted) show what was entered."""
    typed = typed or {}
    membership = request.membership
    products = list(session.products.select_related("lot__product", "product"))
    planned = saved_regions(session.plan)
    amendments = list(Amendment.objects.filter(session=session).select_related("by"))
    draft = session.status == SessionStatus.DRAFT
    can_record = draft and allows(membership.role, "session.record")
    lots = _lot_choices(session, products) if draft else []
    rows = typed.get("rows") or products or (reconcile.prefilled_rows(session) if draft else [None])
    can_correct = session.signed and allows(membership.role, "session.sign")
    return {
        **(correction_context(session, membership) if can_correct else {}),
        **_chart(session, planned, can_record),
        "session": session,
        "patient": session.patient,
        "late_entry": late_entry.words(session),
        "products": products,
        "amendments": amendments,
        "effective": actions.effective(session, amendments) if amendments else None,
        "checklist": actions.checklist(
            session,
            products=products,
            planned=planned,
            acknowledgements=typed.get("acknowledgements"),
        )
        if draft
        else None,
        "form": form or SessionForm(instance=session),
        "lots": [lot for lot in lots if lot.usable],
        "rows": rows,
        "picker": _picker(rows, lots),
        "reconciled": reconcile.lines(session, products),
        "amendment": typed.get("amendment", {}),
        "errors": list(errors),
        "can_record": can_record,
        "can_sign": draft
        and allows(membership.role, "session.sign")
        and session.practitioner_id == membership.user.pk,
        "can_amend": session.signed and allows(membership.role, "session.record"),
        "can_correct": can_correct,
        "kinds": AmendmentKind.choices,
    }


@member_required
def detail(request, pk: int):
    """The session page; for htmx, its pre-flight checklist and the boxes for the reasons it
    asks (the chart editor asks for them after saving the points, which the checklist
    judges)."""
    session = get_session(request.membership, pk)
    actions.record_session_view(request.actor, session)
    if request.htmx:
        draft = session.status == SessionStatus.DRAFT
        context = {
            "session": session,
            "checklist": actions.checklist(session) if draft else None,
            "can_record": draft and allows(request.membership.role, "session.record"),
        }
        return render(request, "treatments/_checklist_refresh.html", context)
    return render(request, "treatments/session.html", _context(request, session))


def _rows(post) -> list[dict]:
    """The product rows of the form: parallel lists lot / barcode / drawn / wasted."""
    columns = [post.getlist(name) for name in ("lot", "barcode", "drawn", "wasted")]
    rows = []
    prefilled = post.getlist("prefilled")
    for i, (lot, barcode, drawn, wasted) in enumerate(zip_longest(*columns, fillvalue="")):
        untouched = i < len(prefilled) and prefilled[i] and not (lot or barcode.strip())
        if (lot or barcode.strip() or drawn) and not untouched:
            rows.append(
                {
                    "lot": lot,
                    "barcode": barcode,
                    "volume_drawn_ml": drawn,
                    "volume_wasted_ml": wasted or "0",
                }
            )
    return rows


def _typed_rows(rows: list[dict]) -> list[SimpleNamespace]:
    """The posted product rows as the page's table reads its saved ones."""
    return [
        SimpleNamespace(
            lot_id=int(row["lot"]) if str(row["lot"]).isdecimal() else None,
            barcode=row["barcode"],
            volume_drawn_ml=row["volume_drawn_ml"],
            volume_wasted_ml=row["volume_wasted_ml"],
        )
        for row in rows
    ]


def _acknowledgements(post) -> dict:
    prefix = "ack:"
    return {k[len(prefix) :]: v for k, v in post.items() if k.startswith(prefix) and v.strip()}


@member_required
@require_POST
def save(request, pk: int):
    session = get_session(request.membership, pk, "session.record")
    post = request.POST
    data = {k: post.get(k, "") for k in SessionForm.Meta.fields}
    data["products"] = _rows(post)
    data["acknowledgements"] = _acknowledgements(post)
    # The points are not in this form: the chart editor saves them through the API first.
    try:
        session = actions.save_draft(request.actor, session, data, version=post.get("version"))
    except ValidationError as error:
        session = get_session(request.membership, pk)
        typed = {
            "rows": _typed_rows(data["products"]),
            "acknowledgements": data["acknowledgements"],
        }
        form = SessionForm({k: data[k] for k in SessionForm.Meta.fields}, instance=session)
        rows = {name: f.label for name, f in ProductRowForm.base_fields.items() if f.label}
        context = _context(request, session, page_lines(error, rows, form=form), form, typed)
        return render(request, "treatments/session.html", context, status=422)
    if post.get("then") == "sign":
        return sign(request, pk)
    messages.success(request, _("Draft saved."))
    return redirect("treatments:detail", pk=session.pk)


@member_required
def sign(request, pk: int):
    """GET, or a POST from the session page: the confirmation of what is being signed.
    A POST with ``confirm`` and the password (or TOTP code; or none within the window of
    the last one) signs."""
    session = get_session(request.membership, pk, "session.sign")
    if request.method != "POST" or "confirm" not in request.POST:
        return _confirmation(request, session)
    try:
        proof = reauth.from_request(request, purpose="signing")
        actions.sign_session(
            request.actor,
            session,
            # The version the confirmation showed: a draft saved since is refused, not signed.
            version=_version(request.POST),
            acknowledgements=_acknowledgements(request.POST),
            reauthentication=proof,
            deviation=request.POST.get("deviation"),
        )
    except ValidationError as error:
        if reauth.FIELD in getattr(error, "error_dict", {}):
            (rule,) = error.message_dict[reauth.FIELD][:1]
            return _confirmation(request, session, f"{REAUTH_LABEL}: {rule}", status=422)
        if "deviation" in getattr(error, "error_dict", {}):
            (rule,) = error.message_dict["deviation"][:1]
            return _confirmation(request, session, f"{DEVIATION_LABEL}: {rule}", status=422)
        session = get_session(request.membership, pk)
        context = _context(request, session, page_lines(error))
        return render(request, "treatments/session.html", context, status=422)
    if request.POST.get("deviation", "").strip():
        messages.warning(request, deviations.prompt(session))
        return redirect("treatments:detail", pk=pk)
    messages.success(request, _("Signed and locked. A change is now an amendment."))
    return redirect("treatments:detail", pk=pk)


def _version(post) -> int | None:
    value = post.get("version", "")
    return int(value) if value.isdecimal() else None


DEVIATION_LABEL = "Justification of the deviation"


REAUTH_LABEL = "Your password or authenticator code"


def _confirmation(request, session, problem: str = "", status: int = 200):
    products = list(session.products.select_related("lot__product", "product"))
    draft = session.status == SessionStatus.DRAFT
    checklist = actions.checklist(session, products=products) if draft else None
    context = {
        "session": session,
        "patient": session.patient,
        "signed": what_is_signed(session, products),
        "late_entry": late_entry.words(session),
        "checklist": checklist,
        "acknowledgements": _acknowledgements(request.POST),
        "remembered": reauth.remembered(request) is not None,
        "reauth_label": REAUTH_LABEL,
        "problem": problem,
        **deviation_context(request, checklist),
    }
    return render(request, "treatments/sign_confirm.html", context, status=status)


@member_required
@require_POST
def amend(request, pk: int):
    session = get_session(request.membership, pk, "session.record")
    data = request.POST.dict()
    field, value = data.pop("field", ""), data.pop("value", "")
    if data.get("kind") == AmendmentKind.CORRECTION and field:
        data["changes"] = {field: value}
    try:
        actions.amend_session(request.actor, session, data)
    except ValidationError as error:
        typed = {"amendment": {**request.POST.dict()}}
        context = _context(request, session, _amendment_refused(error), typed=typed)
        return render(request, "treatments/session.html", context, status=422)
    messages.success(request, _("Amendment added; the signed record is unchanged."))
    return redirect("treatments:detail", pk=pk)


def _amendment_refused(error: ValidationError) -> list[str]:
    """An amendment's refusal as its form on the session page labels the fields; a corrected
    field (``changes.depth_mm``) by the session form's label."""
    labels = {
        "reason": _("Reason"),
        "changes": _("Field corrected"),
        "changes.areas": _("Areas"),
    }
    return page_lines(error, labels, form=SessionForm)


@member_required
@require_POST
def void(request, pk: int):
    session = get_session(request.membership, pk, "session.record")
    try:
        actions.void_session(request.actor, session, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        context = _context(request, session, page_lines(error))
        return render(request, "treatments/session.html", context, status=422)
    messages.success(request, _("The draft was voided."))
    return redirect("patients:detail", pk=session.patient_id)


def timeline_context(request, patient) -> dict:
    """The timeline of ``patient`` (already fetched through ``patients.access``) and the
    approved plans the caller may start a session of, with their next scheduled session."""
    plans = []
    if allows(request.membership.role, "session.record"):
        approved = patient.plans.filter(clinic=request.membership.clinic, status="approved")
        # The approval record (the dose engine's whole result) is not shown here.
        plans = list(actions.with_next_session(approved.defer("approval_result")))
    return {
        "patient": patient,
        "entries": timeline(patient),
        "startable": plans,
        "late_entry_days": late_entry.max_days(),
    }


@member_required
def patient_timeline(request, patient_pk: int):
    """The patient's timeline: the fragment for htmx, or a page."""
    patient = get_patient(request.membership, patient_pk, "session.view")
    record_view(request.actor, patient, clinical=True)
    template = "treatments/_timeline.html" if request.htmx else "treatments/timeline.html"
    return render(request, template, timeline_context(request, patient))


# Rows per page of a recall on screen; the CSV export holds them all.
RECALL_PAGE = 100


@member_required
def recall_page(request):
    require(request.membership, "recall.run")
    lot_number = request.GET.get("lot", "").strip()
    rows = None
    if lot_number:
        fmt = "csv" if request.GET.get("format") == "csv" else "page"
        rows = recall.run_recall(request.actor, lot_number, fmt)
        if fmt == "csv":
            response = HttpResponse(recall.as_csv(rows), content_type="text/csv")
            # The lot number is typed by staff: only safe characters reach the header.
            safe = re.sub(r"[^A-Za-z0-9._-]", "_", lot_number)[:64]
            response["Content-Disposition"] = f'attachment; filename="recall-{safe}.csv"'
            return response
    context = {"lot": lot_number, "rows": rows, "held": recall.held_lots(request.membership)}
    if rows is not None:
        context["patients"] = recall.patient_count(rows)
        context["products"] = recall.products_of(rows)
        context["page"] = Paginator(rows, RECALL_PAGE).get_page(request.GET.get("page"))
    return render(request, "treatments/recall.html", context)
