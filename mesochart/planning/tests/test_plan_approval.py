"""Approving a plan: refused with a blocking finding, accepted otherwise with the check
stored; only a licensed practitioner approves; an approved plan is locked."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from mesochart.accounts.models import Credential
from mesochart.audit.models import AuditEvent
from mesochart.planning import actions, approval, grids
from mesochart.testing.plans import new_plan, region

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.usefixtures("weighed")
TODAY = date(2026, 3, 2)


def submental(count):
    large = {"width_cm": 16.0, "height_cm": 12.0}
    points = grids.generate("neck-submental", "submental", 1.0, **large).result.points[:count]
    return [region("neck-submental", "submental", points, volume_ml=0.2, depth_mm=4, **large)]


@time_machine.travel(TODAY)
def test_a_blocking_finding_refuses_approval_and_leaves_no_trace(practice, dca_version):
    membership = practice.actor(practice.practitioner)
    plan = new_plan(practice, "submental-deoxycholic-acid", dca_version)
    actions.save_regions(membership, plan, submental(51))
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        approval.approve_plan(membership, plan, version=plan.version)
    assert any("51" in line and "blocked" in line for line in refused.value.message_dict["plan"])
    plan.refresh_from_db()
    assert (plan.status, plan.approval_result, plan.approved_by) == ("draft", None, None)
    assert AuditEvent.objects.count() == events


@time_machine.travel(TODAY)
def test_a_plan_within_the_label_is_approved_with_its_check_stored(practice, dca_version):
    membership = practice.actor(practice.practitioner)
    plan = new_plan(practice, "submental-deoxycholic-acid", dca_version)
    actions.save_regions(membership, plan, submental(50))
    approval.approve_plan(membership, plan, version=plan.version)
    plan.refresh_from_db()
    assert plan.status == "approved"
    assert plan.approved_by == practice.practitioner
    dose = plan.approval_result["dose"]
    assert (dose["points"], dose["volume_ml"], dose["blocked"]) == (50, 10.0, False)
    (total,) = [t for t in dose["totals"] if t["ingredient"] == "deoxycholic-acid"]
    assert total["amount"] == {"value": 100.0, "unit": "mg"}
    assert AuditEvent.objects.filter(object_type="plan", detail__status="approved").exists()


@time_machine.travel(TODAY)
def test_an_approved_plan_is_locked(practice, dca_version):
    membership = practice.actor(practice.practitioner)
    plan = new_plan(practice, "submental-deoxycholic-acid", dca_version)
    actions.save_regions(membership, plan, submental(20))
    approval.approve_plan(membership, plan, version=plan.version)
    with pytest.raises(ValidationError) as refused:
        actions.save_regions(membership, plan, submental(30))
    assert refused.value.message_dict == {"status": [actions.LOCKED]}


@time_machine.travel(TODAY)
def test_the_series_is_checked_too(practice, dca_version):
    """Seven sessions of deoxycholic acid break the label's cap of six."""
    membership = practice.actor(practice.practitioner)
    plan = new_plan(practice, "submental-deoxycholic-acid", dca_version)
    actions.save_regions(membership, plan, submental(20))
    actions.propose_series(membership, plan, {"first_date": TODAY})
    assert plan.sessions.count() == 6  # the scheduler stops at the cap
    last = plan.sessions.last()
    plan.sessions.create(index=6, date=date(2026, 12, 1), planned_date=date(2026, 12, 1))
    with pytest.raises(ValidationError) as refused:
        approval.approve_plan(membership, plan, version=plan.version)
    assert any("session" in line.lower() for line in refused.value.message_dict["plan"])
    assert last.index == 5


@time_machine.travel(TODAY)
def test_without_a_valid_licence_approval_is_refused(practice, dca_version):
    Credential.objects.filter(user=practice.practitioner).update(expires_on=date(2026, 1, 1))
    membership = practice.actor(practice.practitioner)
    plan = new_plan(practice, "submental-deoxycholic-acid", dca_version)
    actions.save_regions(membership, plan, submental(10))
    with pytest.raises(ValidationError) as refused:
        approval.approve_plan(membership, plan, version=plan.version)
    assert refused.value.message_dict == {
        "approved_by": ["needs a practitioner licence valid today"]
    }


@time_machine.travel(TODAY)
def test_a_plan_without_a_cocktail_cannot_be_approved(practice):
    membership = practice.actor(practice.practitioner)
    plan = new_plan(practice, "lipolysis-pcdc", None)
    actions.save_regions(membership, plan, submental(10))
    with pytest.raises(ValidationError) as refused:
        approval.approve_plan(membership, plan, version=plan.version)
    assert refused.value.message_dict["plan"] == [
        "cocktail_version: choose a cocktail to check the doses"
    ]


@time_machine.travel(TODAY)
def test_a_known_absolute_contraindication_refuses_approval(practice, dca_version):
    from mesochart.consent.plans import target_of
    from mesochart.testing.consent import screen

    membership = practice.actor(practice.practitioner)
    plan = new_plan(practice, "submental-deoxycholic-acid", dca_version)
    actions.save_regions(membership, plan, submental(20))
    target = target_of(plan)
    screen(practice, dca_version, area=target.area, indication=target.indication, pregnant="yes")
    with pytest.raises(ValidationError) as refused:
        approval.approve_plan(membership, plan, version=plan.version)
    assert refused.value.message_dict["plan"][0].startswith("blocked: 1 absolute contraindication")
    plan.refresh_from_db()
    assert plan.status == "draft"


@time_machine.travel(TODAY)
def test_approval_stores_what_still_stands_before_a_session(practice, dca_version):
    """No screening or consent yet does not block the plan, but the record says so."""
    membership = practice.actor(practice.practitioner)
    plan = new_plan(practice, "submental-deoxycholic-acid", dca_version)
    actions.save_regions(membership, plan, submental(20))
    approval.approve_plan(membership, plan, version=plan.version)
    plan.refresh_from_db()
    readiness = plan.approval_result["readiness"]
    assert readiness["ready"] is False
    items = {item["key"]: item["ok"] for item in readiness["items"]}
    assert items["screening"] is False and items["consent"] is False
    assert items["practitioner"] is True
