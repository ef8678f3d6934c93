"""A signed session names who signed it, when, and its hash, in the database as well as in
`sign_session`: a row written past the action without them is refused, and the migration that
adds the signer's rule completes old rows from the signature's audit row or stops, naming them."""

import pytest
from django.db import IntegrityError, transaction

from mesochart.audit.models import AuditEvent
from mesochart.lib.invariants import BrokenInvariant
from mesochart.tests.migrating import before
from mesochart.treatments.models import TreatmentSession

MIGRATION = (
    "treatments",
    "0007_signed_sessions_name_their_signer",
    "0006_session_late_entry",
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "missing", [{"signed_by": None}, {"signed_at": None}, {"content_hash": ""}]
)
def test_the_database_refuses_a_signed_session_without_its_signature(ready, missing):
    session = ready.signed()
    with pytest.raises(IntegrityError), transaction.atomic():
        TreatmentSession.objects.filter(pk=session.pk).update(**missing)


@pytest.mark.django_db
def test_a_draft_needs_no_signer(ready):
    draft = ready.start()
    assert (draft.status, draft.signed_by, draft.signed_at) == ("draft", None, None)


@pytest.mark.django_db(transaction=True)
def test_the_migration_completes_a_signer_from_the_signatures_audit_row(ready):
    session = ready.signed()
    signature = AuditEvent.objects.get(
        object_type="treatmentsession", object_id=str(session.pk), detail__status="signed"
    )
    with before(*MIGRATION) as (old, apply):
        rows = old.get_model("treatments", "TreatmentSession").objects.filter(pk=session.pk)
        rows.update(signed_by=None)
        apply()
    session.refresh_from_db()
    assert session.signed_by_id == signature.actor_id == ready.practice.practitioner.pk


@pytest.mark.django_db(transaction=True)
def test_the_migration_stops_on_a_signed_session_the_audit_log_cannot_complete(ready):
    session = ready.start()
    with before(*MIGRATION) as (old, apply):
        rows = old.get_model("treatments", "TreatmentSession").objects.filter(pk=session.pk)
        rows.update(status="signed", signed_at=session.started_at, content_hash="a" * 64)
        with pytest.raises(
            BrokenInvariant, match=rf"no signature in the audit log: {session.pk}\."
        ):
            apply()
        assert rows.get().signed_by_id is None  # nothing guessed
        rows.update(status="draft")
