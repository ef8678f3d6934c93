"""The patient rates their own items on the tablet (`consent.tablet`'s patient mode): pain,
satisfaction, the subject's GAIS and the clinic's own items (`ClinicItem`, the versions
on offer), for one plan (and the session they were handed the tablet at).
Staff start it from the plan's outcomes page; the tablet shows nothing else of
the record. All answers are recorded in one transaction, or none.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mesochart.accounts.decorators import member_required
from mesochart.consent import tablet
from mesochart.core import clinic_items, measures
from mesochart.lib.errors import page_lines
from mesochart.outcomes import actions
from mesochart.outcomes.access import get_plan_of_patient
from mesochart.outcomes.items import own_items
from mesochart.outcomes.models import Context, RaterRole

OUTCOMES = "outcomes"
ON_TABLET = ("pain", "satisfaction", "gais_subject")
GAIS_CODING = "1-5"  # the reference's own numbering


@member_required
@tablet.staff_mode
@require_POST
def tablet_start(request, plan_pk: int):
    plan = get_plan_of_patient(request.membership, plan_pk, "outcome.record")
    session = request.POST.get("session") or None
    tablet.lock(request, plan.patient, OUTCOMES, plan=plan.pk, session=session)
    return redirect("consent:tablet")


def rate(request, patient, lock):
    """Patient mode, called by `consent.views.tablet.tablet_page` for this lock."""
    plan = get_plan_of_patient(request.membership, lock["plan"], "outcome.record")
    errors = []
    if request.method == "POST":
        try:
            _record(request, plan, lock)
        except ValidationError as error:
            errors = page_lines(error)
        else:
            tablet.finish(request, OUTCOMES)
            return redirect("consent:tablet")
    context = {
        "patient": patient,
        "measures": [measures.get(code) for code in ON_TABLET],
        "scale": range(11),
        "own_items": own_items(plan),
        "errors": errors,
    }
    return render(request, "outcomes/tablet_rate.html", context, status=422 if errors else 200)


def _record(request, plan, lock) -> None:
    base = {
        "context": Context.SESSION if lock.get("session") else Context.FOLLOW_UP,
        "session": lock.get("session"),
        "measured_on": plan.clinic.today(),
        "rater_role": RaterRole.PATIENT,
    }
    answers = []
    for code in ON_TABLET:
        answer = request.POST.get(code, "")
        if not answer:
            continue
        if code == "gais_subject":
            answers.append(base | {"measure": code, "level": answer, "coding": GAIS_CODING})
        else:
            answers.append(base | {"measure": code, "value": answer})
    for item in own_items(plan):
        answer = request.POST.get(item.code, "")
        if not answer:
            continue
        field = "value" if item.response == clinic_items.SCALE else "level"
        answers.append(base | {"measure": item.code, field: answer})
    if not answers:
        raise ValidationError(_("Please answer at least one question."))
    with transaction.atomic():
        for data in answers:
            actions.record_value(request.actor, plan, data)
