"""Dragging an appointment to another practitioner's or room's column of the day view: it
moves when that practitioner works and is free, and the booking rules refuse it otherwise."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mesochart.audit.models import AuditEvent
from mesochart.scheduling import actions
from mesochart.scheduling.models import Room
from mesochart.testing.scheduling import at
from mesochart.testing.sessions import TODAY

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

TUESDAY = TODAY + dt.timedelta(days=1)


def rules_of(error):
    return {field: list(rules) for field, rules in error.value.message_dict.items()}


def test_a_consultation_moves_to_the_nurse_and_another_room(desk):
    booked = desk.consult(at(TUESDAY, 10))
    other = Room.objects.create(clinic=desk.clinic, name="Room 2")
    data = {
        "starts_at": at(TUESDAY, 11).isoformat(),
        "practitioner": desk.practice.nurse.pk,
        "room": other.pk,
    }
    actions.move_appointment(desk.reception, booked, data)
    booked.refresh_from_db()
    assert (booked.practitioner, booked.room, booked.starts_at) == (
        desk.practice.nurse,
        other,
        at(TUESDAY, 11),
    )
    detail = AuditEvent.objects.filter(action="update").latest("pk").detail
    assert detail["to_practitioner"] == desk.practice.nurse.pk and detail["to_room"] == other.pk


def test_the_other_practitioners_booking_refuses_the_drop(desk):
    booked = desk.consult(at(TUESDAY, 10))
    desk.consult(at(TUESDAY, 11), practitioner=desk.practice.nurse.pk)
    data = {"starts_at": at(TUESDAY, 11).isoformat(), "practitioner": desk.practice.nurse.pk}
    with pytest.raises(ValidationError) as error:
        actions.move_appointment(desk.reception, booked, data)
    assert rules_of(error)["starts_at"] == [actions.OVERLAP]
    booked.refresh_from_db()
    assert booked.practitioner == desk.practice.practitioner


def test_a_room_taken_at_that_time_refuses_the_drop(desk):
    other = Room.objects.create(clinic=desk.clinic, name="Room 2")
    booked = desk.consult(at(TUESDAY, 10), room=desk.room.pk)
    desk.consult(at(TUESDAY, 10), practitioner=desk.practice.nurse.pk, room=other.pk)
    with pytest.raises(ValidationError) as error:
        actions.move_appointment(
            desk.reception, booked, {"starts_at": at(TUESDAY, 10).isoformat(), "room": other.pk}
        )
    assert rules_of(error)["starts_at"] == [actions.OVERLAP]


def test_a_practitioner_without_hours_that_day_refuses_the_drop(desk):
    booked = desk.consult(at(TUESDAY, 10))
    saturday = TODAY + dt.timedelta(days=5)
    data = {"starts_at": at(saturday, 10).isoformat(), "practitioner": desk.practice.nurse.pk}
    with pytest.raises(ValidationError) as error:
        actions.move_appointment(desk.reception, booked, data)
    assert rules_of(error)["starts_at"] == ["is outside the practitioner's working hours"]


def test_another_clinics_practitioner_is_refused_in_the_forms_words(desk):
    booked = desk.consult(at(TUESDAY, 10))
    data = {"starts_at": at(TUESDAY, 11).isoformat(), "practitioner": desk.practice.outsider.pk}
    with pytest.raises(ValidationError) as error:
        actions.move_appointment(desk.reception, booked, data)
    assert rules_of(error)["practitioner"] == ["is not a practitioner of this clinic"]


def test_a_session_dragged_to_the_nurse_too_early_keeps_the_labels_interval(desk):
    booked = desk.series()
    first, second = booked[0], booked[1]
    too_early = first.starts_at + dt.timedelta(days=21)
    data = {"starts_at": too_early.isoformat(), "practitioner": desk.practice.nurse.pk}
    with pytest.raises(ValidationError) as error:
        actions.move_appointment(desk.reception, second, data)
    (rule,) = rules_of(error)["starts_at"]
    assert rule.startswith("refused: ") and "[LABEL]" in rule


def test_the_day_view_by_room_names_each_lanes_room(desk, client_for):
    desk.consult(at(TUESDAY, 10), room=desk.room.pk)
    page = client_for(desk.practice.reception).get(f"/schedule/?date={TUESDAY}&by=room")
    assert f'data-room="{desk.room.pk}"'.encode() in page.content
    page = client_for(desk.practice.reception).get(f"/schedule/?date={TUESDAY}")
    assert f'data-practitioner="{desk.practice.nurse.pk}"'.encode() in page.content
