"""Plan pages: a new plan for a patient, the chart editor, series, approval, print.

Each view fetches through ``planning.access`` / ``patients.access`` and writes through
``planning.actions``. The chart editor (static/mesochart/chart-editor.js) saves regions and
points through the JSON API; the series and approval forms post here and answer htmx with
their fragment.
"""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from pydantic import ValidationError as PydanticError

from mesochart.accounts.decorators import member_required
from mesochart.accounts.roles import allows
from mesochart.audit.log import record_read
from mesochart.audit.models import Category
from mesochart.core.grid import GridError
from mesochart.lib.errors import page_lines
from mesochart.outcomes.protocols import (
    baseline_gaps,
    follow_up_days,
    follow_ups_for,
    group_name,
)
from mesochart.patients.access import get_patient
from mesochart.planning import actions, approval, area_names, figures, plan_pdf
from mesochart.planning.access import get_plan, protocols_for
from mesochart.planning.api import ChartIn
from mesochart.planning.areas import views as area_views
from mesochart.planning.forms import MoveForm, PlanForm, SeriesForm
from mesochart.planning.review import review_plan, saved_regions
from mesochart.planning.views_chart import chart_context, protocol_defaults


@member_required
def plan_create(request, patient_pk: int):
    membership = request.membership
    patient = get_patient(membership, patient_pk, "plan.edit")
    protocols = protocols_for(membership)
    form = PlanForm(request.POST or None, clinic=membership.clinic, protocols=protocols)
    errors = []
    if request.method == "POST":
        try:
            plan = actions.create_plan(request.actor, patient, request.POST.dict())
        except ValidationError as error:
            errors = page_lines(error, form=form)
        else:
            messages.success(request, _("The plan was created: lay out its chart."))
            return redirect("planning:detail", pk=plan.pk)
    context = {"form": form, "patient": patient, "errors": errors}
    record_read(request.actor, patient=patient, category=Category.PLANNING)
    return render(request, "planning/plan_form.html", context)


def _series_context(request, plan, **extra) -> dict:
    sessions = list(plan.sessions.all())
    first = plan.first_date or request.membership.clinic.today()
    return {
        "plan": plan,
        "sessions": sessions,
        "series_form": SeriesForm(initial={"first_date": first}),
        "move_form": MoveForm(),
        "can_edit": allows(request.membership.role, "plan.edit") and not plan.approved,
        # Due after the series' last date (as planned, or as moved); met by a follow-up value.
        "follow_ups": follow_ups_for(
            plan, sessions[-1].date if sessions else None, follow_up_days(plan)
        ),
        **extra,
    }


@member_required
def plan_detail(request, pk: int):
    """The plan page: the chart editor, the live check, the series and the approval."""
    membership = request.membership
    plan = get_plan(membership, pk)
    actions.record_plan_view(request.actor, plan)
    locked = plan.approved or not allows(membership.role, "plan.edit")
    context = {
        **_series_context(request, plan),
        **chart_context(
            saved_regions(plan),
            {"plan": plan.pk, "version": plan.version},
            locked=locked,
            defaults=protocol_defaults(plan.protocol),
            save=f"/plans/{plan.pk}/regions",
            check=reverse("planning:check", args=[plan.pk]),
        ),
        "patient": plan.patient,
        "can_approve": allows(membership.role, "plan.approve") and not plan.approved,
        "missing_baselines": [] if plan.approved else [group_name(g) for g in baseline_gaps(plan)],
    }
    return render(request, "planning/plan_detail.html", context)


@member_required
@require_POST
def plan_check(request, pk: int):
    """The chart editor's live check of the points it holds, unsaved: totals and findings
    rendered in the page's language (planning/_check.html), the same as the approval's."""
    plan = get_plan(request.membership, pk)
    try:
        chart = ChartIn.model_validate_json(request.body)
        regions = None if chart.regions is None else [r.model_dump() for r in chart.regions]
        check = review_plan(plan, request.membership.clinic.today(), regions)
    except PydanticError:
        error = _("The chart could not be checked: it was not sent as the chart editor sends it.")
        return render(request, "planning/_check.html", {"error": error})
    except GridError as problem:
        error = _("The chart could not be checked: %(rule)s") % {"rule": _(problem.rule)}
        return render(request, "planning/_check.html", {"error": error})
    return render(request, "planning/_check.html", {"check": check})


@member_required
def plan_edit(request, pk: int):
    membership = request.membership
    plan = get_plan(membership, pk, "plan.edit")
    if plan.approved:
        messages.info(request, _("This plan: %(LOCKED)s.") % {"LOCKED": actions.LOCKED})
        return redirect("planning:detail", pk=plan.pk)
    protocols = protocols_for(membership)
    form = PlanForm(
        request.POST or None, instance=plan, clinic=membership.clinic, protocols=protocols
    )
    errors = []
    if request.method == "POST":
        data = request.POST.dict()
        version = data.pop("version", None)
        try:
            actions.update_plan(request.actor, plan, data, int(version) if version else None)
        except (ValidationError, ValueError) as error:
            errors = (
                page_lines(error, form=form) if isinstance(error, ValidationError) else [str(error)]
            )
        else:
            messages.success(request, _("The plan was saved."))
            return redirect("planning:detail", pk=plan.pk)
    context = {"form": form, "patient": plan.patient, "plan": plan, "errors": errors}
    actions.record_plan_view(request.actor, plan)
    return render(request, "planning/plan_form.html", context)


def _series_response(request, plan, errors=(), notice=""):
    plan.refresh_from_db()
    if request.htmx:
        context = _series_context(request, plan, errors=list(errors), notice=notice)
        response = render(request, "planning/_series.html", context)
        # The series changed the plan's version: the editor and the approval form follow.
        response["HX-Trigger"] = json.dumps({"pl-version": plan.version})
        return response
    for line in errors:
        messages.error(request, line)
    if notice:
        messages.success(request, notice)
    return redirect("planning:detail", pk=plan.pk)


@member_required
@require_POST
def series_propose(request, pk: int):
    plan = get_plan(request.membership, pk, "plan.edit")
    try:
        proposal = actions.propose_series(request.actor, plan, request.POST.dict())
    except ValidationError as error:
        return _series_response(request, plan, page_lines(error))
    cut = proposal.truncation
    notice = f"Series cut to {cut.kept} sessions: {cut.rule}." if cut else ""
    return _series_response(request, plan, notice=notice)


@member_required
@require_POST
def series_move(request, pk: int):
    plan = get_plan(request.membership, pk, "plan.edit")
    try:
        actions.move_session(request.actor, plan, request.POST.dict())
    except ValidationError as error:
        return _series_response(request, plan, page_lines(error))
    return _series_response(request, plan)


@member_required
def series_ics(request, pk: int):
    plan = get_plan(request.membership, pk)
    data = actions.export_series(request.actor, plan)
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}-series.ics"'
    return response


@member_required
@require_POST
def plan_approve(request, pk: int):
    plan = get_plan(request.membership, pk, "plan.approve")
    version = request.POST.get("version", "")
    try:
        if not version.isdecimal():
            raise ValidationError(
                {"version": [_("reload the plan: the approval must name the version you checked")]}
            )
        approval.approve_plan(request.actor, plan, version=int(version))
    except ValidationError as error:
        for line in page_lines(error):
            messages.error(request, line)
    else:
        messages.success(request, _("The plan was approved; its check is stored with it."))
    return redirect("planning:detail", pk=plan.pk)


@member_required
def plan_print(request, pk: int):
    """The chart for the paper record: every view the plan uses, with its points."""
    membership = request.membership
    plan = get_plan(membership, pk)
    regions = saved_regions(plan)
    for region in regions:
        region["name"] = area_names.region(region["view"], region["region"])
    used = list(dict.fromkeys(r["view"] for r in regions))
    actions.record_plan_print(request.actor, plan)
    context = {
        "plan": plan,
        "patient": plan.patient,
        "regions": regions,
        "figures": [
            (area_names.name(area_views()[s].name), figures.print_figure(s, regions)) for s in used
        ],
        "sessions": list(plan.sessions.all()),
    }
    return render(request, "planning/plan_print.html", context)


@member_required
def plan_document(request, pk: int):
    """The plan as a PDF: charts, protocol, cocktail, series and the check at approval."""
    plan = get_plan(request.membership, pk)
    document = plan_pdf.print_plan(request.actor, plan)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="plan-{plan.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
