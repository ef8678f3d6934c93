"""Starting a session: the next scheduled session of an approved plan, or ad hoc; the plan's
points are copied to be administered; a draft plan or a role without the right is refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mesochart.audit.models import AuditEvent
from mesochart.testing.plans import new_plan
from mesochart.treatments import actions

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_the_next_scheduled_session_is_started_with_the_plans_points(ready):
    first = ready.start()
    assert first.plan_session.index == 0
    assert first.status == "draft"
    assert first.point_count == 20
    assert first.areas == ["submental"]
    assert first.practitioner == ready.practice.practitioner
    assert first.cocktail_version == ready.version
    second = ready.start()
    assert second.plan_session.index == 1
    assert AuditEvent.objects.filter(category="treatment", object_id=str(first.pk)).exists()


def test_a_voided_draft_frees_its_scheduled_session(ready):
    first = ready.start()
    actions.void_session(ready.membership, first, reason="patient left")
    assert ready.start().plan_session.index == 0


def test_an_ad_hoc_session_has_no_scheduled_session(ready):
    session = ready.start(ad_hoc=True)
    assert session.plan_session is None


def test_a_draft_plan_cannot_start_a_session(practice, ready):
    draft = new_plan(practice, "submental-deoxycholic-acid", ready.version)
    with pytest.raises(ValidationError) as refused:
        actions.start_session(ready.membership, draft, {"ad_hoc": True})
    assert refused.value.message_dict == {"plan": ["must be approved before a session is started"]}


def test_a_nurse_starts_a_session_for_a_named_practitioner(practice, ready):
    with pytest.raises(ValidationError) as refused:
        actions.start_session(ready.nurse, ready.plan, {})
    assert "practitioner" in refused.value.message_dict
    with pytest.raises(ValidationError):
        actions.start_session(ready.nurse, ready.plan, {"practitioner": practice.nurse.pk})
    session = actions.start_session(
        ready.nurse, ready.plan, {"practitioner": practice.practitioner.pk}
    )
    assert session.practitioner == practice.practitioner
    assert session.created_by == practice.nurse


def test_reception_and_admin_cannot_start_a_session(practice, ready):
    for user in (practice.reception, practice.admin):
        with pytest.raises(PermissionDenied):
            actions.start_session(practice.actor(user), ready.plan, {"ad_hoc": True})
