"""An approved plan names who approved it and when, in the database as well as in
`planning.approval`: a row written past the action without them is refused, and the migration
that adds the rule completes old rows from the approval's audit row or stops, naming them."""

import pytest
import time_machine
from django.db import IntegrityError, transaction

from mesochart.audit.models import AuditEvent
from mesochart.lib.invariants import BrokenInvariant
from mesochart.planning.models import Plan
from mesochart.testing.plans import new_plan
from mesochart.testing.sessions import TODAY, Ready
from mesochart.tests.migrating import before

MIGRATION = (
    "planning",
    "0005_approved_plans_name_their_approver",
    "0004_protocols_name_outcome_measures_and_follow_ups",
)


@pytest.fixture
def approved(practice):
    with time_machine.travel(TODAY, tick=False):
        return Ready(practice).plan


@pytest.mark.django_db
@pytest.mark.parametrize("missing", ["approved_by", "approved_at"])
def test_the_database_refuses_an_approved_plan_without_its_approver(approved, missing):
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=approved.pk).update(**{missing: None})


@pytest.mark.django_db
def test_a_draft_plan_needs_no_approver(practice):
    plan = new_plan(practice)
    assert (plan.status, plan.approved_by, plan.approved_at) == ("draft", None, None)


@pytest.mark.django_db(transaction=True)
def test_the_migration_completes_an_approver_from_the_approvals_audit_row(approved):
    app, name, previous = MIGRATION
    approval = AuditEvent.objects.get(
        object_type="plan", object_id=str(approved.pk), detail__status="approved"
    )
    with before(app, name, previous) as (old, apply):
        old.get_model("planning", "Plan").objects.filter(pk=approved.pk).update(
            approved_by=None, approved_at=None
        )
        apply()
    approved.refresh_from_db()
    assert (approved.approved_by_id, approved.approved_at) == (approval.actor_id, approval.at)


@pytest.mark.django_db(transaction=True)
def test_the_migration_stops_on_an_approved_plan_the_audit_log_cannot_complete(practice):
    plan = new_plan(practice)
    app, name, previous = MIGRATION
    with before(app, name, previous) as (old, apply):
        rows = old.get_model("planning", "Plan").objects.filter(pk=plan.pk)
        rows.update(status="approved")
        with pytest.raises(
            BrokenInvariant, match=rf"no approval in the audit log: {plan.pk}\. Record who"
        ):
            apply()
        assert rows.get().approved_by_id is None  # nothing guessed
        rows.update(status="draft")
