"""The audit log is append-only in the database, and tampering is found by verify."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from mesochart.audit import guard
from mesochart.audit.log import record, verify
from mesochart.audit.models import Action, AuditEvent, Category, ChainHead
from mesochart.patients import actions
from mesochart.patients.models import Patient

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def _three_events(practice):
    for n in range(3):
        record(
            practice.admin,
            Action.READ,
            Category.DEMOGRAPHICS,
            clinic=practice.clinic,
            patient=practice.patient,
            detail={"n": n},
        )
    return list(AuditEvent.objects.order_by("pk"))


def test_the_database_refuses_to_update_an_audit_row(practice):
    event = _three_events(practice)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(actor_label="someone else")


def test_the_database_refuses_to_delete_an_audit_row(practice):
    event = _three_events(practice)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_raw_sql_cannot_delete_the_log_either(practice):
    _three_events(practice)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 3


def test_an_intact_chain_verifies(practice):
    _three_events(practice)
    report = verify()
    assert report.ok and report.checked == 3


def test_verify_names_the_first_row_altered_out_of_band(practice):
    events = _three_events(practice)
    with guard.maintenance_window(connection), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_label = %s WHERE id = %s", ["forger", events[1].pk]
        )
    report = verify()
    assert not report.ok
    assert report.first_bad_id == events[1].pk
    assert "altered" in report.problem


def test_verify_finds_a_row_removed_out_of_band(practice):
    events = _three_events(practice)
    with guard.maintenance_window(connection), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    report = verify()
    assert report.first_bad_id == events[2].pk
    assert "removed" in report.problem


def test_verify_finds_rows_cut_from_the_end(practice):
    events = _three_events(practice)
    with guard.maintenance_window(connection), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    report = verify()
    assert not report.ok and report.first_bad_id == events[1].pk


def test_a_refused_write_leaves_neither_data_nor_audit_row(practice):
    membership = practice.actor(practice.reception)
    before = (Patient.objects.count(), AuditEvent.objects.count(), ChainHead.objects.get().count)
    with pytest.raises(ValidationError):
        actions.create_patient(
            membership,
            {
                "given_name": "Future",
                "family_name": "Person",
                "date_of_birth": "2999-01-01",
                "sex_at_birth": "female",
            },
        )
    after = (Patient.objects.count(), AuditEvent.objects.count(), ChainHead.objects.get().count)
    assert after == before


def test_a_failure_after_the_audit_row_rolls_both_back(practice):
    membership = practice.actor(practice.practitioner)
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.void_patient(membership, practice.patient, reason="duplicate record")
        raise RuntimeError("the database went away")
    practice.patient.refresh_from_db()
    assert practice.patient.voided_at is None
    assert AuditEvent.objects.count() == before
    assert verify().ok
