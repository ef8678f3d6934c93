"""Bad input is refused with ``field: rule`` and nothing is booked or audited."""

import datetime as dt
from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError

from mesochart.audit.models import AuditEvent
from mesochart.scheduling import actions
from mesochart.scheduling.models import Appointment, Leave, State
from mesochart.testing.scheduling import at

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

TUESDAY = dt.date(2026, 3, 3)


def refused(desk, starts_at, **data) -> dict:
    audited = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        desk.consult(starts_at, **data)
    assert Appointment.objects.count() == 0
    assert AuditEvent.objects.count() == audited
    return error.value.message_dict


def test_an_end_before_the_start(desk):
    errors = refused(desk, at(TUESDAY, 10), ends_at=at(TUESDAY, 9).isoformat())
    assert errors == {"ends_at": ["must be after the start"]}


def test_a_slot_outside_working_hours(desk):
    assert refused(desk, at(TUESDAY, 18)) == {
        "starts_at": ["is outside the practitioner's working hours"]
    }


def test_a_day_of_leave_is_outside_working_hours(desk):
    Leave.objects.create(
        clinic=desk.clinic,
        practitioner=desk.practice.practitioner,
        first_day=TUESDAY,
        last_day=TUESDAY,
    )
    assert "starts_at" in refused(desk, at(TUESDAY, 10))


def test_a_practitioner_of_another_clinic(desk):
    errors = refused(desk, at(TUESDAY, 10), practitioner=desk.practice.outsider.pk)
    assert errors == {"practitioner": ["is not a practitioner of this clinic"]}


def test_a_date_in_the_past(desk):
    assert refused(desk, at(dt.date(2026, 3, 1), 10)) == {"starts_at": ["must not be in the past"]}


def test_a_session_without_its_plan(desk):
    errors = refused(desk, at(TUESDAY, 10), type=desk.session_type.pk)
    assert errors == {"plan": ["a treatment session is booked from its approved plan"]}


def test_a_late_cancellation_and_a_no_show_are_counted_for_the_patient(desk):
    soon = desk.consult(at(dt.date(2026, 3, 2), 15))  # 15 hours ahead: late
    actions.cancel_appointment(desk.reception, soon, {"reason": "Ill", "by_patient": True})
    soon.refresh_from_db()
    assert soon.state == State.CANCELLED
    assert soon.cancelled_by == desk.practice.reception
    assert soon.cancelled_hours_before == 15
    missed = desk.consult(at(TUESDAY, 11))
    actions.set_state(desk.reception, missed, State.NO_SHOW)
    assert actions.attendance(desk.practice.patient) == {"no_shows": 1, "late_cancellations": 1}


def test_a_cancelled_slot_can_be_booked_again(desk):
    first = desk.consult(at(TUESDAY, 10))
    actions.cancel_appointment(desk.reception, first, {"reason": "Moved abroad"})
    assert desk.consult(at(TUESDAY, 10)).state == State.BOOKED


def test_an_appointment_longer_than_a_day(desk):
    ends = at(TUESDAY + dt.timedelta(days=1), 11)
    errors = refused(desk, at(TUESDAY, 10), ends_at=ends.isoformat())
    assert errors == {"ends_at": ["must be at most a day after the start"]}


def test_a_long_preparation_before_the_afternoon_consultation_holds_the_morning(desk):
    desk.consultation.buffer_before_minutes = 6 * 60  # the room prepared from 10:00
    desk.consultation.save()
    desk.consult(at(TUESDAY, 16))

    with pytest.raises(ValidationError) as error:
        desk.consult(at(TUESDAY, 10), type=desk.follow_up.pk)

    assert error.value.message_dict == {"starts_at": [str(actions.OVERLAP)]}
    assert Appointment.objects.count() == 1


def test_a_cancellation_at_the_desk_is_audited_with_the_desks_address(desk):
    booked = desk.consult(at(TUESDAY, 14))
    at_the_desk = replace(desk.reception, ip="192.0.2.17")  # TEST-NET-1: no one's address
    actions.cancel_appointment(at_the_desk, booked, {"reason": "Away"})
    row = AuditEvent.objects.filter(object_type="appointment", object_id=str(booked.pk)).last()
    assert (row.ip_address, row.actor_id) == ("192.0.2.17", desk.practice.reception.pk)
