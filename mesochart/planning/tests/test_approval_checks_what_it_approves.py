"""Approval checks the chart the approver saw and nothing else: the approval names the
version that was checked, and a chart saved after that is refused, never approved unchecked.
The check runs under the plan's lock, so no save slips in between the check and the
approval."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from mesochart.planning import actions, approval
from mesochart.planning.tests.test_plan_approval import submental
from mesochart.testing.plans import ApiCaller, new_plan

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.usefixtures("weighed")
TODAY = date(2026, 3, 2)


@time_machine.travel(TODAY)
def test_a_chart_saved_after_the_check_is_not_approved_with_the_older_version(
    practice, dca_version
):
    """The approver checked 20 points; meanwhile a colleague saved 51, past the label."""
    membership = practice.actor(practice.practitioner)
    plan = new_plan(practice, "submental-deoxycholic-acid", dca_version)
    actions.save_regions(membership, plan, submental(20))
    checked = plan.version
    colleague_copy = type(plan).objects.get(pk=plan.pk)
    actions.save_regions(membership, colleague_copy, submental(51), version=checked)
    with pytest.raises(ValidationError) as refused:
        approval.approve_plan(membership, plan, version=checked)
    assert list(refused.value.message_dict) == ["version"]
    plan.refresh_from_db()
    assert (plan.status, plan.approval_result) == ("draft", None)


@time_machine.travel(TODAY)
def test_the_approval_stores_the_version_it_checked(practice, dca_version):
    membership = practice.actor(practice.practitioner)
    plan = new_plan(practice, "submental-deoxycholic-acid", dca_version)
    actions.save_regions(membership, plan, submental(20))
    checked = plan.version
    approval.approve_plan(membership, plan, version=checked)
    plan.refresh_from_db()
    assert plan.approval_result["checked_version"] == checked
    assert plan.approval_result["dose"]["points"] == 20


@time_machine.travel(TODAY)
def test_the_api_refuses_an_approval_that_names_no_version(practice, dca_version):
    membership = practice.actor(practice.practitioner)
    plan = new_plan(practice, "submental-deoxycholic-acid", dca_version)
    actions.save_regions(membership, plan, submental(20))
    response = ApiCaller(practice.practitioner).post(f"/plans/{plan.pk}/approve", {})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["version"]
    plan.refresh_from_db()
    assert plan.status == "draft"


@time_machine.travel(TODAY)
def test_the_page_refuses_an_approval_that_names_no_version(practice, dca_version, client_for):
    membership = practice.actor(practice.practitioner)
    plan = new_plan(practice, "submental-deoxycholic-acid", dca_version)
    actions.save_regions(membership, plan, submental(20))
    page = client_for(practice.practitioner).post(f"/plans/{plan.pk}/approve/", {}, follow=True)
    assert "reload the plan: the approval must name the version you checked" in page.text
    plan.refresh_from_db()
    assert plan.status == "draft"
