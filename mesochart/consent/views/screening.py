"""Screening pages: a patient's screening and consent overview, running a screening, its
findings with the practitioner's acknowledgements, the readiness checklist, and the clinic's
screening policy.

Findings and their evidence are clinical: roles that may not read the clinical record
(reception) see how many there are and whether they block, not what they say.
"""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from mesochart.accounts.decorators import member_required
from mesochart.accounts.models import Membership, User
from mesochart.accounts.roles import Role, allows
from mesochart.audit.log import record_read
from mesochart.consent import actions, tablet
from mesochart.consent.access import (
    consents_of,
    get_patient,
    get_response,
    get_screening,
    require,
    responses_of,
    screenings_of,
)
from mesochart.consent.facts import Target
from mesochart.consent.forms import AcknowledgementForm, PlanTargetForm, PolicyForm, TargetForm
from mesochart.consent.models import (
    PhotoConsent,
    Screening,
    ScreeningPolicy,
)
from mesochart.consent.plans import area_of, plans_of, regions_of
from mesochart.consent.questionnaire import CHOICE_LABELS, questionnaire_of, shown_questions
from mesochart.consent.readiness import session_readiness
from mesochart.consent.views.common import bind_errors, flash_errors
from mesochart.lib.errors import page_lines

RECENT = 10


def _clinical(membership) -> bool:
    return allows(membership.role, "patient.clinical.view")


@member_required
@tablet.staff_mode
def overview(request, pk: int):
    membership = request.membership
    patient = get_patient(membership, pk)
    require(membership, "screening.collect")
    responses = list(responses_of(membership, patient).select_related("collected_by")[:RECENT])
    may_write_back = allows(membership.role, "patient.clinical.edit")
    # New facts are clinical: only shown to (and added by) those who may edit the record.
    rows = [
        (r, actions.new_facts(r) if may_write_back and r.written_back_at is None else None)
        for r in responses
    ]
    context = {
        "patient": patient,
        "clinical": _clinical(membership),
        "responses": rows,
        "may_write_back": may_write_back,
        "screenings": screenings_of(membership, patient)
        .select_related("cocktail_version__cocktail")
        .prefetch_related("acknowledgements")
        .newest_first()[:RECENT],
        "consents": consents_of(membership, patient, "screening.collect")
        .select_related("witness")
        .newest_first(),
        "photos_allowed": PhotoConsent.current(patient),
        "today": membership.clinic.today(),
    }
    record_read(request.actor, patient=patient, detail={"page": "overview"})
    return render(request, "consent/overview.html", context)


@member_required
@tablet.staff_mode
@require_POST
def write_back(request, pk: int, response_pk: int):
    membership = request.membership
    patient = get_patient(membership, pk, "patient.clinical.edit")
    response = get_response(membership, patient, response_pk)
    try:
        facts = actions.write_back(request.actor, response)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        added = "; ".join(facts.lines()) or "nothing new"
        messages.success(request, _("Added to the record: %(added)s.") % {"added": added})
    return redirect("consent:patient", pk=pk)


@member_required
@tablet.staff_mode
def screen(request, pk: int):
    """Choose the answers and the plan; run the screening. With plans, the screening is
    started from one: its cocktail version, indication and areas filled in."""
    membership = request.membership
    patient = get_patient(membership, pk)
    require(membership, "screening.collect")
    responses = responses_of(membership, patient)
    plans = plans_of(membership, patient)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = plan_form(request, plans) if plans else TargetForm(data, membership=membership)
    chosen = (data or {}).get("response") or (responses.first().pk if responses else "")
    if request.method == "POST":
        try:
            response = get_response(membership, patient, request.POST.get("response"))
            if plans:
                target = actions.target_of_plan(form)
            else:
                target = actions.target_from(membership, request.POST)
            screening = actions.run_screening(request.actor, patient, response, target=target)
        except ValidationError as error:
            bind_errors(form, error)
        else:
            return redirect("consent:screening", pk=pk, screening_pk=screening.pk)
    if not plans and request.method == "GET" and "area" not in request.GET:
        form = TargetForm(
            initial=_last_target(membership, patient, responses), membership=membership
        )
    context = {
        "patient": patient,
        "form": form,
        "from_plan": bool(plans),
        "plans": plans,
        "plan_area": area_of(r.region for r in form.chosen.regions.all())
        if isinstance(form, PlanTargetForm)
        else "",
        "responses": responses[:RECENT],
        "chosen": str(chosen),
    }
    record_read(request.actor, patient=patient, detail={"page": "screen"})
    return render(request, "consent/screen.html", context)


def plan_form(request, plans) -> PlanTargetForm:
    """The plan form of a screening or consent page: posted, or the plan of ``?plan=`` (the
    newest by default) with its own areas ticked."""
    if request.method == "POST":
        return PlanTargetForm(request.POST, plans=plans)
    asked = request.GET.get("plan", "")
    plan = next((p for p in plans if str(p.pk) == asked), plans[0])
    initial = {"plan": plan.pk, "regions": [region.region for region in plan.regions.all()]}
    return PlanTargetForm(initial=initial, plans=plans)


def _last_target(membership, patient, responses) -> dict:
    latest = screenings_of(membership, patient).newest_first().first()
    if latest is not None:
        return {
            "cocktail": latest.cocktail_version_id,
            "regions": sorted(regions_of(latest.area)),
            "indication": latest.indication,
        }
    response = responses.first()
    return {"regions": sorted(regions_of(response.area))} if response else {}


@member_required
@tablet.staff_mode
def screening_detail(request, pk: int, screening_pk: int):
    membership = request.membership
    patient = get_patient(membership, pk)
    screening = get_screening(membership, patient, screening_pk)
    context = _findings_context(membership, patient, screening)
    record_read(request.actor, patient=patient, obj=screening)
    template = "consent/_findings.html" if request.htmx else "consent/screening.html"
    return render(request, template, context)


def _findings_context(membership, patient, screening: Screening) -> dict:
    clinical = _clinical(membership)
    acknowledged = {a.finding_key: a for a in screening.acknowledgements.all()}
    findings = [
        {"finding": f, "acknowledgement": acknowledged.get(f.key)}
        for f in screening.core_findings()
    ]
    questionnaire = questionnaire_of(screening.response.questionnaire_version)
    answers = [
        (shown.text, CHOICE_LABELS.get(value, value))
        for shown in shown_questions(questionnaire, screening.area)
        if (value := screening.response.answers.get(shown.key)) is not None
    ]
    return {
        "patient": patient,
        "screening": screening,
        "status": screening.status(membership.clinic.today()),
        "findings": findings,
        "clinical": clinical,
        "answers": answers if clinical else [],
        "may_acknowledge": allows(membership.role, "screening.acknowledge"),
    }


@member_required
@tablet.staff_mode
@require_POST
def acknowledge(request, pk: int, screening_pk: int):
    membership = request.membership
    patient = get_patient(membership, pk)
    screening = get_screening(membership, patient, screening_pk)
    errors: list[str] = []
    try:
        actions.acknowledge(request.actor, screening, request.POST.dict())
    except ValidationError as error:
        if not request.htmx:
            flash_errors(request, error, form=AcknowledgementForm())
            return redirect("consent:screening", pk=pk, screening_pk=screening_pk)
        errors = page_lines(error, form=AcknowledgementForm())
    if not request.htmx:
        messages.success(request, _("The finding was acknowledged."))
        return redirect("consent:screening", pk=pk, screening_pk=screening_pk)
    screening = get_screening(membership, patient, screening_pk)
    context = _findings_context(membership, patient, screening)
    context["errors"] = errors
    context["error_key"] = request.POST.get("key", "")
    return render(request, "consent/_findings.html", context)


@member_required
@tablet.staff_mode
def readiness(request, pk: int):
    """The checklist for one plan: the full page, or the fragment for the patient's chart."""
    membership = request.membership
    patient = get_patient(membership, pk)
    require(membership, "screening.collect")
    practitioners = User.objects.filter(
        pk__in=Membership.objects.active()
        .filter(clinic=membership.clinic, role=Role.PRACTITIONER)
        .values("user")
    ).order_by("last_name", "username")
    practitioner = _practitioner(request, practitioners)
    plans = plans_of(membership, patient)
    record_read(request.actor, patient=patient, detail={"page": "readiness"})
    if plans and "cocktail" not in request.GET:
        return _plan_readiness(request, patient, plans, practitioners, practitioner)
    # Without a plan: the target asked for, or else the one last screened.
    data = request.GET if "cocktail" in request.GET else None
    if data is None:
        data = _last_target(membership, patient, responses_of(membership, patient).none())
        data = data or None
        data = data if data and "cocktail" in data else None
    form = TargetForm(data, membership=membership)
    result = None
    if form.is_bound and form.is_valid():
        cleaned = form.cleaned_data
        target = Target(cleaned["cocktail"], cleaned["area"], cleaned["indication"])
        result = session_readiness(patient, target, practitioner)
    context = {
        "patient": patient,
        "form": form,
        "result": result,
        "clinical": _clinical(membership),
        "practitioners": practitioners,
        "practitioner": practitioner,
    }
    template = "consent/_readiness.html" if request.htmx else "consent/readiness.html"
    return render(request, template, context)


def _plan_readiness(request, patient, plans, practitioners, practitioner):
    """The checklist of one of the patient's plans (``?plan=``, the newest by default): the
    same `session_readiness` of the plan's own regions that the session's pre-flight runs."""
    asked = request.GET.get("plan", "")
    plan = next((p for p in plans if str(p.pk) == asked), plans[0])
    result, problems = None, []
    try:
        result = session_readiness(patient, plan, practitioner)
    except ValidationError as error:
        problems = page_lines(error)
    context = {
        "patient": patient,
        "plan": plan,
        "plans": plans,
        "plan_area": area_of(r.region for r in plan.regions.all()),
        "problems": problems,
        "result": result,
        "clinical": _clinical(request.membership),
        "practitioners": practitioners,
        "practitioner": practitioner,
    }
    template = "consent/_readiness.html" if request.htmx else "consent/readiness.html"
    return render(request, template, context)


def _practitioner(request, practitioners):
    chosen = request.GET.get("practitioner")
    if chosen:
        return practitioners.filter(pk=chosen).first() if chosen.isdecimal() else None
    if request.membership.role == Role.PRACTITIONER:
        return request.user
    return None


@member_required
@tablet.staff_mode
def policy(request):
    """The clinic's screening validity and its own rules (JSON the core reads)."""
    membership = request.membership
    require(membership, "screening.rules.edit")
    current = ScreeningPolicy.of(membership.clinic)
    initial = {"valid_days": current.valid_days, "rules": json.dumps(current.rules, indent=2)}
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST":
        try:
            actions.save_policy(request.actor, request.POST.dict())
        except ValidationError as error:
            bind_errors(form, error)
        else:
            messages.success(request, _("The screening policy was saved."))
            return redirect("consent:policy")
    return render(request, "consent/policy.html", {"form": form, "policy": current})
