"""An appointment's day: confirmed, arrived, in session (linked to the session record it
started), completed; a state out of order is refused; the API answers ``field: rule``."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mesochart.scheduling import actions
from mesochart.scheduling.models import State
from mesochart.testing.plans import ApiCaller
from mesochart.testing.scheduling import at

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_a_session_appointment_runs_to_completed_linked_to_its_session_record(desk):
    (first, *_) = desk.series()
    for state in (State.CONFIRMED, State.ARRIVED):
        actions.set_state(desk.reception, first, state)
    record = desk.ready.start()
    actions.set_state(desk.practitioner, first, State.IN_SESSION, treatment_session=record)
    actions.set_state(desk.practitioner, first, State.COMPLETED)
    first.refresh_from_db()
    assert (first.state, first.treatment_session) == (State.COMPLETED, record)
    assert first.confirmed_at is not None


def test_in_session_needs_the_session_record(desk):
    appointment = desk.consult(at(dt.date(2026, 3, 3), 10))
    actions.set_state(desk.reception, appointment, State.ARRIVED)
    with pytest.raises(ValidationError, match="start the session record"):
        actions.set_state(desk.reception, appointment, State.IN_SESSION)


def test_a_completed_appointment_cannot_be_a_no_show(desk):
    appointment = desk.consult(at(dt.date(2026, 3, 3), 10))
    actions.set_state(desk.reception, appointment, State.ARRIVED)
    actions.set_state(desk.reception, appointment, State.COMPLETED)
    with pytest.raises(ValidationError, match="cannot go from completed to no_show"):
        actions.set_state(desk.reception, appointment, State.NO_SHOW)


def test_the_api_books_and_refuses_bad_input_with_field_and_rule(desk):
    api = ApiCaller(desk.practice.reception)
    body = {
        "patient": desk.practice.patient.pk,
        "practitioner": desk.practice.practitioner.pk,
        "type": desk.consultation.pk,
        "starts_at": "2026-03-03T10:00:00+00:00",
    }
    assert api.post("/schedule/appointments", body).status_code == 201
    again = api.post("/schedule/appointments", body)
    assert again.status_code == 422
    assert again.json()["detail"] == (
        "starts_at: overlaps another appointment of this practitioner or room"
    )
    late = api.post("/schedule/appointments", {**body, "starts_at": "2026-03-03T18:00:00+00:00"})
    assert late.json()["errors"] == [
        {"field": "starts_at", "rule": "is outside the practitioner's working hours"}
    ]


def test_the_api_finds_free_slots_around_a_booking(desk):
    desk.consult(at(dt.date(2026, 3, 3), 10))
    api = ApiCaller(desk.practice.reception)
    slots = api.get(
        f"/schedule/free-slots?practitioner={desk.practice.practitioner.pk}"
        f"&type={desk.session_type.pk}&date=2026-03-03&days=1"
    ).json()
    starts = [s["starts_at"] for s in slots]
    assert "2026-03-03T09:00:00Z" not in starts  # 09:00 + 60 + 15 runs into 10:00
    assert "2026-03-03T10:30:00Z" in starts
