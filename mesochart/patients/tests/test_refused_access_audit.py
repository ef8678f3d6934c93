"""Attempts to open a chart one may not see are themselves in the audit trail."""

from mesochart.audit.models import AuditEvent, Outcome

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_opening_another_organisations_chart_is_refused_and_audited(practice, client_for):
    response = client_for(practice.practitioner).get(f"/patients/{practice.other_patient.pk}/")
    assert response.status_code == 404
    event = AuditEvent.objects.get(outcome=Outcome.DENIED)
    assert event.actor_label == practice.practitioner.username
    assert event.detail == {
        "patient_id": str(practice.other_patient.pk),
        "reason": "not in this clinic",
    }


def test_reception_trying_to_void_a_record_is_refused_and_audited(practice, client_for):
    response = client_for(practice.reception).post(
        f"/patients/{practice.patient.pk}/void/", {"reason": "duplicate"}
    )
    assert response.status_code == 403
    event = AuditEvent.objects.get(outcome=Outcome.DENIED)
    assert event.patient_id == practice.patient.pk
    assert event.detail == {"patient_id": str(practice.patient.pk), "permission": "patient.void"}
    practice.patient.refresh_from_db()
    assert practice.patient.voided_at is None
