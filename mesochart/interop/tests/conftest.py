import pytest
import time_machine

from mesochart.patients import actions as patients
from mesochart.treatments import actions, events
from mesochart.treatments.tests.support import TODAY, Ready


@pytest.fixture
def ready(practice):
    """An approved, consented submental plan with stock, on the day the session tests use."""
    with time_machine.travel(TODAY, tick=False):
        yield Ready(practice)


@pytest.fixture
def course(practice, ready):
    """The record of a whole course: history, a signed session with an addendum, and an
    adverse event linked to that session and its lot."""
    membership = ready.membership
    patient = practice.patient
    patients.add_history(membership, patient, "allergy", {"substance": "Soy", "severity": "mild"})
    mistaken = patients.add_history(membership, patient, "allergy", {"substance": "Latex"})
    patients.void_history(membership, patient, "allergy", mistaken.pk, "entered for another")
    patients.add_history(
        membership, patient, "medication", {"name": "Apixaban", "anticoagulant": True}
    )
    patients.add_history(membership, patient, "condition", {"name": "Hypothyroidism"})
    session = ready.signed()
    actions.amend_session(membership, session, {"kind": "addendum", "text": "Called: fine"})
    events.record_event(
        membership,
        patient,
        {
            "event_type": "bruising",
            "severity": "mild",
            "onset_on": "2026-03-02",
            "causality": "probable",
            "outcome": "recovering",
            "session": session.pk,
            "lots": [ready.lot.pk],
        },
    )
    return session
