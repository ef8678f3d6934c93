"""Patient pages: list and search, register, chart, edit, history and void.

Each view fetches through ``patients.access`` and writes through ``patients.actions``; a
search from the box is answered with just the results fragment when htmx asks.
"""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from mesochart.accounts.decorators import member_required
from mesochart.accounts.roles import allows
from mesochart.audit.models import Action, AuditEvent
from mesochart.lib.errors import label_of, page_lines
from mesochart.lib.paging import CappedPaginator
from mesochart.patients import actions
from mesochart.patients.access import get_patient, patients_for, require
from mesochart.patients.forms import PatientForm, VoidForm
from mesochart.patients.models import Severity
from mesochart.patients.search import search_filter

PAGE_SIZE = 25
VIEWERS_SHOWN = 10
PLAN_PANEL_FIELDS = ("pk", "patient_id", "title", "status", "created_at")


def _bind_errors(form, error: ValidationError) -> None:
    """Show the action's refusal on the form, each rule once: the form may have found it too."""
    for field, problems in error.message_dict.items():
        target = field if field in form.fields else None
        for problem in problems:
            named = target or field == NON_FIELD_ERRORS
            message = problem if named else f"{label_of(field)}: {problem}"
            if message not in form.errors.get(target or NON_FIELD_ERRORS, []):
                form.add_error(target, message)


def _hide_clinical_fields(membership, form) -> None:
    """Reception registers and edits demographics only: clinical fields are not offered."""
    if not allows(membership.role, "patient.clinical.edit"):
        for field in actions.CLINICAL_FIELDS:
            form.fields.pop(field, None)


@member_required
def patient_list(request):
    query = request.GET.get("q", "")
    patients = patients_for(request.membership)
    condition = search_filter(query)
    if condition is not None:
        patients = patients.filter(condition)
    page = CappedPaginator(
        patients.order_by("family_key", "given_key", "pk").only(
            "pk", "record_number", "given_name", "family_name", "date_of_birth", "sex_at_birth"
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    actions.record_search(request.actor, page.paginator.count)
    template = "patients/_results.html" if request.htmx else "patients/list.html"
    return render(request, template, {"page": page, "query": query})


@member_required
def patient_create(request):
    require(request.membership, "patient.create")
    form = PatientForm(
        request.POST or None, organisation=request.clinic.organisation, clinic=request.clinic
    )
    if request.method == "POST":
        try:
            patient = actions.create_patient(request.actor, request.POST.dict())
        except ValidationError as error:
            _bind_errors(form, error)
        else:
            messages.success(request, _("%(patient)s was registered.") % {"patient": patient})
            return redirect("patients:detail", pk=patient.pk)
    _hide_clinical_fields(request.membership, form)
    return render(request, "patients/form.html", {"form": form, "creating": True})


@member_required
def patient_detail(request, pk: int):
    return _detail(request, get_patient(request.membership, pk))


def _detail(request, patient, typed_kind="", typed=None, errors=(), status=200):
    """The chart; after a refused addition to the history, with what was typed in that
    kind's form (opened) and the ``field: rule`` lines."""
    membership = request.membership
    clinical = allows(membership.role, "patient.clinical.view")
    actions.record_view(request.actor, patient, clinical=clinical)
    context = {
        "patient": patient,
        "clinical": clinical,
        "void_form": VoidForm(),
        "typed_kind": typed_kind,
        "typed": typed or {},
        "history_errors": list(errors),
        "severities": [c for c in Severity.choices if c[0] != Severity.UNKNOWN],
    }
    if clinical:
        context.update(
            allergies=patient.allergies.filter(voided_at=None).order_by("substance"),
            medications=patient.medications.filter(voided_at=None).order_by("name"),
            conditions=patient.conditions.filter(voided_at=None).order_by("name"),
        )
    if allows(membership.role, "plan.view"):
        # The plans panel: the columns it prints, newest first (never a plan's approval
        # record, which can be large).
        context["plans"] = patient.plans.only(*PLAN_PANEL_FIELDS).order_by("-created_at", "-pk")
    context["viewers"] = (
        AuditEvent.objects.filter(patient_id=patient.pk, action=Action.READ)
        .order_by("-at", "-pk")
        .values("actor_label", "at")[:VIEWERS_SHOWN]
    )
    return render(request, "patients/detail.html", context, status=status)


@member_required
def patient_edit(request, pk: int):
    patient = get_patient(request.membership, pk, "patient.edit")
    form = PatientForm(request.POST or None, instance=patient, organisation=patient.organisation)
    # The version the editor opened; a refused form keeps it, so saving it again cannot
    # overwrite a colleague's change made in between.
    opened_at = patient.version
    if request.method == "POST":
        data = request.POST.dict()
        if not allows(request.membership.role, "patient.clinical.edit"):
            data = {k: v for k, v in data.items() if k not in actions.CLINICAL_FIELDS}
        try:
            opened_at = _posted_version(data.pop("version", str(patient.version)))
            actions.update_patient(request.actor, patient, data, version=opened_at)
        except ValidationError as error:
            _bind_errors(form, error)
        else:
            messages.success(request, _("The record was saved."))
            return redirect("patients:detail", pk=patient.pk)
    _hide_clinical_fields(request.membership, form)
    if request.method == "GET":  # a refused save shows again what was just read
        clinical = allows(request.membership.role, "patient.clinical.edit")
        actions.record_view(request.actor, patient, clinical=clinical)
    context = {"form": form, "patient": patient, "version": opened_at}
    return render(request, "patients/form.html", context)


def _posted_version(text: str) -> int:
    if not text.isdecimal():
        raise ValidationError({"version": [_("must be a whole number")]})
    return int(text)


@member_required
@require_POST
def patient_void(request, pk: int):
    patient = get_patient(request.membership, pk, "patient.void")
    try:
        actions.void_patient(request.actor, patient, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        for line in page_lines(error, form=VoidForm):
            messages.error(request, line)
        return redirect("patients:detail", pk=patient.pk)
    messages.success(
        request,
        _("%(patient)s was voided; the record stays in the audit trail.") % {"patient": patient},
    )
    return redirect("patients:list")


@member_required
@require_POST
def history_add(request, pk: int, kind: str):
    patient = get_patient(request.membership, pk, "patient.clinical.edit")
    try:
        actions.add_history(request.actor, patient, kind=kind, data=request.POST.dict())
    except ValidationError as error:
        lines = page_lines(error, form=actions.HISTORY_FORMS[kind])
        return _detail(request, patient, kind, request.POST.dict(), lines, status=422)
    return redirect("patients:detail", pk=patient.pk)


@member_required
@require_POST
def history_void(request, pk: int, kind: str, item_pk: int):
    patient = get_patient(request.membership, pk, "patient.clinical.edit")
    try:
        actions.void_history(
            request.actor,
            patient,
            kind=kind,
            pk=item_pk,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        # The void box under each entry asks for the "Reason for voiding".
        for line in page_lines(error, {"reason": _("Reason for voiding")}):
            messages.error(request, line)
    return redirect("patients:detail", pk=patient.pk)
