"""Synthetic outcome values: the baselines each approved demo plan's protocol names (taken
before approval, which needs them), and for the signed plan more baselines and values taken
at its session (the patient rates pain and satisfaction), so its progress page has something
to draw. Every number is made up. Recorded through `outcomes.actions`, so validated and
audited; nothing the plan already has is recorded again."""

from datetime import timedelta

from django.utils import timezone

from mesochart.outcomes import actions
from mesochart.outcomes.models import OutcomeValue
from mesochart.outcomes.protocols import baseline_gaps
from mesochart.planning.models import Plan

SITE = "submental, midline, at the marked point"
# A baseline of each measure the demo's approved protocols name.
BASELINES: dict[str, dict[str, object]] = {
    "fat_thickness": {"site": SITE, "value": "14.0"},
    "circumference": {"site": "abdomen, 2 cm below the navel, marked", "value": "91.5"},
    "mmasi": {
        "items": {
            "forehead_area": 2, "forehead_darkness": 2, "right_malar_area": 3,
            "right_malar_darkness": 3, "left_malar_area": 3, "left_malar_darkness": 2,
            "chin_area": 0, "chin_darkness": 0,
        }
    },
}  # fmt: skip


def baselines(practitioner, plan, day) -> None:
    """The baselines ``plan``'s protocol names that it does not have yet."""
    for group in baseline_gaps(plan):
        data = {"measure": group[0], "context": "baseline", "measured_on": day}
        data |= BASELINES[group[0]] | {"rater_role": "practitioner"}
        actions.record_value(practitioner, plan, data)


def outcome_values(practitioner, plan_title: str) -> None:
    plan = Plan.objects.filter(clinic=practitioner.clinic, title=plan_title).first()
    if plan is None or OutcomeValue.objects.filter(plan=plan, context="session").exists():
        return
    session = plan.treatment_sessions.filter(status="signed").order_by("started_at").first()
    if session is None:
        return
    day = timezone.localtime(session.started_at).date()
    baseline = day - timedelta(days=14)  # the fat thickness was taken then, before approval
    at_session = {"context": "session", "session": session.pk, "measured_on": day}
    values = [
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
