"""Synthetic outcome values for the demo's signed plan: a baseline two weeks before its
first session, and values taken at that session (the patient rates pain and satisfaction),
so the plan's progress page has something to draw. Every number is made up. Recorded
through `outcomes.actions`, so validated and audited; nothing if the plan is missing or
already has values."""

from datetime import timedelta

from django.utils import timezone

from mesochart.outcomes import actions
from mesochart.outcomes.models import OutcomeValue
from mesochart.planning.models import Plan

SITE = "submental, midline, at the marked point"


def outcome_values(practitioner, plan_title: str) -> None:
    plan = Plan.objects.filter(clinic=practitioner.clinic, title=plan_title).first()
    if plan is None or OutcomeValue.objects.filter(plan=plan).exists():
        return
    session = plan.treatment_sessions.filter(status="signed").order_by("started_at").first()
    if session is None:
        return
    day = timezone.localtime(session.started_at).date()
    baseline = day - timedelta(days=14)
    at_session = {"context": "session", "session": session.pk, "measured_on": day}
    values = [
        {"measure": "fat_thickness", "context": "baseline", "measured_on": baseline,
         "site": SITE, "value": "14.0", "rater_role": "practitioner"},
        {"measure": "weight", "context": "baseline", "measured_on": baseline,
         "value": str(plan.patient.weight_kg), "rater_role": "practitioner"},
        {"measure": "gais_subject", "context": "baseline", "measured_on": baseline,
         "not_measured_reason": "nothing to compare with before the first session",
         "rater_role": "patient"},
        {**at_session, "measure": "fat_thickness", "site": SITE, "value": "13.5",
         "rater_role": "practitioner", "blinded": True},
        {**at_session, "measure": "pain", "value": "3", "rater_role": "patient"},
        {**at_session, "measure": "satisfaction", "value": "7", "rater_role": "patient"},
    ]  # fmt: skip
    for data in values:
        actions.record_value(practitioner, plan, data)
