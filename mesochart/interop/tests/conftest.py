from datetime import timedelta

import pytest
import time_machine

from mesochart.accounts.models import Clinic, Membership, Organisation
from mesochart.interop.fhir.bundle import patient_bundle
from mesochart.patients import actions as patients
from mesochart.testing.sessions import TODAY, Ready
from mesochart.treatments import actions, events


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
    patients.add_history(
        membership, patient, kind="allergy", data={"substance": "Soy", "severity": "mild"}
    )
    mistaken = patients.add_history(
        membership, patient, kind="allergy", data={"substance": "Latex"}
    )
    patients.void_history(
        membership, patient, kind="allergy", pk=mistaken.pk, reason="entered for another"
    )
    patients.add_history(
        membership, patient, kind="medication", data={"name": "Apixaban", "anticoagulant": True}
    )
    patients.add_history(membership, patient, kind="condition", data={"name": "Hypothyroidism"})
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


@pytest.fixture
def rated(practice, ready, course):
    """Outcome values of every shape over the course: a CSS total with its items at the
    signed session, one with an item missing, a coded GAIS, a patient's pain, a value not
    measured, an amended circumference, and answers to the clinic's own items (a scale and
    labelled levels)."""
    from mesochart.outcomes import actions as outcomes
    from mesochart.outcomes import items

    membership, plan = ready.membership, ready.plan
    at_session = {"context": "session", "session": course.pk, "measured_on": "2026-03-02"}
    follow_up = {"context": "follow_up", "measured_on": "2026-04-01"}

    def record(**data):
        data.setdefault("rater_role", "practitioner")
        return outcomes.record_value(membership, plan, data)

    with time_machine.travel(TODAY + timedelta(days=31), tick=False):
        record(measure="css", site="left thigh", items=dict.fromkeys("ABCDE", 2), **at_session)
        record(measure="css", site="left thigh", items={"A": 1, "B": 1}, **follow_up)
        record(
            measure="gais_investigator", level="improved", coding="1-5", blinded=True, **follow_up
        )
        record(measure="pain", value="3", rater_role="patient", **at_session)
        record(measure="weight", not_measured_reason="scale broken", **follow_up)
        first = record(measure="circumference", site="waist, marked", value="91.5", **follow_up)
        outcomes.amend_value(membership, first, {"value": "90.5", "amend_reason": "misread"})
        scale = items.define_item(
            membership,
            {"slug": "shorts", "question": "How confident do you feel in shorts?",
             "response": "scale", "better": "higher", "maximum": 10,
             "low_anchor": "Not at all", "high_anchor": "Completely"},
        )  # fmt: skip
        levels = items.define_item(
            membership,
            {"slug": "mirror", "question": "How do you like what you see?",
             "response": "levels", "better": "higher", "levels": ["Not much", "Somewhat", "A lot"]},
        )  # fmt: skip
        record(measure=scale.code, value="7", rater_role="patient", **follow_up)
        record(measure=levels.code, level="2", rater_role="patient", **follow_up)
    return course


@pytest.fixture
def receiving(db):
    return Organisation.objects.create(name="Receiving Practice", slug="receiving")


@pytest.fixture
def exported(practice, course):
    return patient_bundle(practice.patient)


@pytest.fixture
def staffed(practice, receiving, exported):
    """The receiving organisation with its clinic set up and the record's staff already
    working there, as a practice that takes its staff's patients with them would be."""
    for membership in Membership.objects.filter(clinic__organisation=practice.clinic.organisation):
        clinic, _ = Clinic.objects.get_or_create(
            organisation=receiving, name=membership.clinic.name
        )
        Membership.objects.create(
            user=membership.user, clinic=clinic, role=membership.role, active=membership.active
        )
    return receiving
