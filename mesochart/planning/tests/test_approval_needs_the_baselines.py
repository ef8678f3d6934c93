"""A plan is approved only with every baseline its protocol names recorded, as a value or as
"not measured" with a reason; a refusal says which baseline, on the page and over the API,
and the plan page links to where it is recorded."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from mesochart.audit.models import AuditEvent
from mesochart.planning import actions, approval
from mesochart.planning.tests.test_plan_approval import submental
from mesochart.testing.outcomes import record_baselines
from mesochart.testing.plans import ApiCaller, new_plan

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.usefixtures("weighed")
TODAY = date(2026, 3, 2)
MISSING = (
    "no baseline Fat thickness (skinfold or ultrasound) yet: record it on the plan's outcome "
    "values before the first session, or record it as not measured with the reason"
)


def submental_plan(practice, version):
    plan = new_plan(practice, "submental-deoxycholic-acid", version, baselines=False)
    actions.save_regions(practice.actor(practice.practitioner), plan, submental(20))
    return plan


@time_machine.travel(TODAY)
def test_a_plan_without_its_baseline_is_not_approved_and_says_which(practice, dca_version):
    plan = submental_plan(practice, dca_version)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        approval.approve_plan(practice.actor(practice.practitioner), plan, version=plan.version)
    assert refused.value.message_dict == {"baseline": [MISSING]}
    plan.refresh_from_db()
    assert (plan.status, plan.approval_result) == ("draft", None)
    assert AuditEvent.objects.count() == events


@time_machine.travel(TODAY)
def test_not_measured_with_a_reason_lets_the_plan_be_approved(practice, dca_version):
    plan = submental_plan(practice, dca_version)
    membership = practice.actor(practice.practitioner)
    (value,) = record_baselines(membership, plan, not_measured="no calliper in this room")
    assert value.not_measured_reason == "no calliper in this room"
    approval.approve_plan(membership, plan, version=plan.version)
    plan.refresh_from_db()
    assert plan.status == "approved"


@time_machine.travel(TODAY)
def test_either_hair_scale_serves_but_the_density_is_still_needed(practice):
    from mesochart.outcomes import actions as outcomes
    from mesochart.outcomes.protocols import baseline_gaps

    plan = new_plan(practice, "hair-dutasteride-nappage", baselines=False)
    membership = practice.actor(practice.practitioner)
    outcomes.record_value(membership, plan, {
        "measure": "hamilton_norwood", "context": "baseline", "measured_on": "2026-03-01",
        "level": "III_vertex", "rater_role": "practitioner"})  # fmt: skip
    assert baseline_gaps(plan) == [("hair_density_total",)]
    assert approval.baseline_rule(("sinclair", "hamilton_norwood")).startswith(
        "no baseline Sinclair or Hamilton-Norwood yet"
    )


@time_machine.travel(TODAY)
def test_the_api_refuses_approval_naming_the_missing_baseline(practice, dca_version):
    plan = submental_plan(practice, dca_version)
    api = ApiCaller(practice.practitioner)
    response = api.post(f"/plans/{plan.pk}/approve", {"version": plan.version})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "baseline", "rule": MISSING}]
    record_baselines(practice.actor(practice.practitioner), plan)
    assert api.post(f"/plans/{plan.pk}/approve", {"version": plan.version}).status_code == 200


@time_machine.travel(TODAY)
def test_the_plan_page_names_the_missing_baseline_and_links_to_the_values(
    practice, dca_version, client_for
):
    plan = submental_plan(practice, dca_version)
    client = client_for(practice.practitioner)
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "No baseline Fat thickness (skinfold or ultrasound) yet" in page
    assert f'href="/outcomes/plan/{plan.pk}/"' in page
    refused = client.post(f"/plans/{plan.pk}/approve/", {"version": plan.version}, follow=True)
    assert f"Baseline: {MISSING}".replace("'", "&#x27;") in refused.content.decode()
    record_baselines(practice.actor(practice.practitioner), plan)
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "No baseline" not in page
