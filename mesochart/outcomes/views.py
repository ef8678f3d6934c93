"""Outcome pages: a plan's values (record, amend) and its progress page.

Each view reaches the plan through `outcomes.access` and writes through `outcomes.actions`;
opening either page writes an audit ``read`` row. A refusal names each field as the page
labels it.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mesochart.accounts.decorators import member_required
from mesochart.accounts.roles import allows
from mesochart.core import measures
from mesochart.lib.errors import page_lines
from mesochart.outcomes import actions, progress
from mesochart.outcomes.access import get_plan_of_patient, get_value, values_for
from mesochart.outcomes.forms import MEASURE_CHOICES, OutcomeValueForm
from mesochart.outcomes.items import own_items
from mesochart.outcomes.models import Context, RaterRole
from mesochart.outcomes.protocols import group_name, measures_of, missing_of
from mesochart.photos import before_after
from mesochart.photos.access import plan_photos
from mesochart.photos.views import audit_read


def _refusal(error: ValidationError) -> list[str]:
    """A refused value in the page's words: each field as the values page labels it."""
    return page_lines(error, {"amend_reason": _("Reason")}, form=OutcomeValueForm)


def _posted(post) -> dict:
    """The form's fields; a composite's items come as ``item:<measure>:<code>`` boxes, those
    of the chosen measure are read (blank: missing)."""
    data = {k: v for k, v in post.items() if not k.startswith("item:") and v != ""}
    prefix = f"item:{post.get('measure', '')}:"
    items = {k.removeprefix(prefix): v for k, v in post.items() if k.startswith(prefix) and v}
    if items:
        data["items"] = items
    data["blinded"] = post.get("blinded") == "on"
    return data


def _row(value, replaced: set) -> tuple:
    """A value as the list shows it: the row, its measure, whether an amendment replaced it,
    its text as the progress page words it, and a composite's items with their scores as
    rated (the amend form starts from them)."""
    measure = value.clinic_item.measure() if value.clinic_item else measures.get(value.measure)
    text = progress.value_text(measure, value)[1] if measure else value.measure
    items = [(item, value.items.get(item.code, "")) for item in measure.items] if measure else []
    return value, measure, value.pk in replaced, text, items


def _values_context(request, plan, errors=(), posted=None) -> dict:
    values = list(
        values_for(request.membership)
        .filter(plan=plan)
        .select_related("rater", "recorded_by", "amends", "clinic_item")
        .order_by("-measured_on", "-recorded_at")
    )
    replaced = {v.amends_id for v in values if v.amends_id}
    sessions = actions.plan_sessions(plan)
    follow_ups = progress.follow_ups_of(plan, values, sessions)
    at_baseline = {
        v.measure for v in values if v.context == Context.BASELINE and v.pk not in replaced
    }
    own = [row.measure() for row in own_items(plan)]
    return {
        "plan": plan,
        "patient": plan.patient,
        "values": [_row(v, replaced) for v in values],
        "sessions": sessions,
        "measure_choices": MEASURE_CHOICES + [(m.code, m.name) for m in own],
        "named": [[measures.get(code) for code in group] for group in measures_of(plan)],
        "composites": [m for m in measures.MEASURES if m.items],
        "ordinals": [m for m in measures.MEASURES if m.levels] + [m for m in own if m.levels],
        "contexts": Context.choices,
        "rater_roles": RaterRole.choices,
        "errors": list(errors),
        "posted": posted or _from_session(request),
        "follow_ups": follow_ups,
        "missing_baselines": [group_name(group) for group in missing_of(plan, at_baseline)],
        "can_record": allows(request.membership.role, "outcome.record"),
    }


def _from_session(request) -> dict:
    """Opened from a session page: the form is for a value taken at that session."""
    session = request.GET.get("session", "")
    return {"session": session, "context": Context.SESSION if session else ""}


@member_required
def plan_values(request, plan_pk: int):
    """A plan's outcome values and the form to record one; for htmx, the list fragment."""
    permission = "outcome.record" if request.method == "POST" else "outcome.view"
    plan = get_plan_of_patient(request.membership, plan_pk, permission)
    errors: list[str] = []
    posted, recorded = None, False
    if request.method == "POST":
        posted = request.POST
        try:
            actions.record_value(request.actor, plan, _posted(request.POST))
        except ValidationError as error:
            errors = _refusal(error)
        else:
            if not request.htmx:
                messages.success(request, _("Value recorded."))
                return redirect("outcomes:plan", plan_pk=plan.pk)
            posted, recorded = None, True
    actions.record_read(request.actor, plan.patient, "plan outcome values", plan)
    context = _values_context(request, plan, errors, posted) | {"recorded": recorded}
    if request.htmx:
        # 200 with the errors too: htmx swaps only successful responses into the page.
        # The "baseline still needed" panel is outside the list: swapped out of band.
        response = render(request, "outcomes/_values.html", context | {"baseline_oob": True})
        if recorded:
            response["HX-Trigger"] = "outcome-recorded"
        return response
    return render(request, "outcomes/plan.html", context, status=422 if errors else 200)


@member_required
@require_POST
def amend(request, pk: int):
    original = get_value(request.membership, pk, "outcome.record")
    try:
        actions.amend_value(request.actor, original, _posted(request.POST))
    except ValidationError as error:
        for line in _refusal(error):
            messages.error(request, line)
    else:
        messages.success(request, _("Value amended; the original is kept."))
    return redirect("outcomes:plan", plan_pk=original.plan_id)


@member_required
def plan_progress(request, plan_pk: int):
    """The progress page a patient can read: each measure over time, change from baseline."""
    plan = get_plan_of_patient(request.membership, plan_pk)
    actions.record_read(request.actor, plan.patient, "progress", plan)
    with translation.override(plan.patient.language):  # a page for the patient: theirs
        return _progress_page(request, plan)


def _progress_page(request, plan):
    result = progress.build(plan)
    photos = before_after.pairs(plan_photos(request.membership, plan))
    if photos:
        shown = before_after.shown(photos)
        audit_read(request, plan.patient, shown, "progress before/after")
    context = {
        "plan": plan,
        "patient": plan.patient,
        "progress": result,
        "chart": progress.chart_data(result),
        "photos": photos,
    }
    return render(request, "outcomes/progress.html", context)
