"""The clinic admin sets up the calendar: rooms, appointment types, a practitioner's hours,
exceptions and leave, and the feed's names switch. Each write is audited; bad input is
refused in the form's words with nothing written; what appointments name is retired."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mesochart.audit.models import AuditEvent
from mesochart.scheduling import actions, resources
from mesochart.scheduling.models import (
    AppointmentType,
    ClinicOptions,
    DayException,
    Kind,
    Leave,
    Room,
    WorkingHours,
)

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db

SESSION = {"name": "Mesotherapy", "kind": Kind.CONSULTATION, "duration_minutes": 45}


@pytest.fixture
def admin(practice):
    return practice.actor(practice.admin)


def _refused(write, *args) -> dict[str, list[str]]:
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refusal:
        write(*args)
    assert AuditEvent.objects.count() == before, "a refusal writes no audit row"
    return refusal.value.message_dict


def _next_monday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday() + 7)


def test_a_room_is_added_renamed_and_audited(admin):
    room = resources.save_room(admin, {"name": "  Room   A "})
    assert room.name == "Room A" and room.clinic == admin.clinic
    resources.save_room(admin, {"name": "Treatment room"}, room)
    room.refresh_from_db()
    assert room.name == "Treatment room"
    rows = AuditEvent.objects.filter(detail__schedule_setup="room")
    assert list(rows.values_list("action", flat=True)) == ["create", "update"]


def test_a_room_name_is_used_once_per_clinic(admin, practice):
    resources.save_room(admin, {"name": "Room A"})
    assert _refused(resources.save_room, admin, {"name": "room a"}) == {
        "name": ["is already the name of a room of this clinic"]
    }
    assert Room.objects.filter(clinic=admin.clinic).count() == 1
    other = practice.actor(practice.outsider)
    Room.objects.create(clinic=other.clinic, name="Room B")
    assert resources.save_room(admin, {"name": "Room B"}).clinic == admin.clinic


def test_a_type_refuses_a_duration_of_zero_and_a_negative_buffer(admin):
    errors = _refused(
        resources.save_type,
        admin,
        {**SESSION, "duration_minutes": 0, "buffer_after_minutes": -5},
    )
    assert errors == {
        "duration_minutes": ["must be more than 0 minutes"],
        "buffer_after_minutes": ["must not be negative"],
    }
    assert not AppointmentType.objects.exists()


def test_a_type_is_saved_with_its_buffers_and_its_name_once(admin):
    row = resources.save_type(admin, {**SESSION, "buffer_before_minutes": 5})
    assert (row.duration_minutes, row.buffer_before_minutes, row.buffer_after_minutes) == (
        45,
        5,
        0,
    )
    errors = _refused(resources.save_type, admin, {**SESSION, "duration_minutes": 30})
    assert errors == {"name": ["is already the name of an appointment type of this clinic"]}
    resources.save_type(admin, {**SESSION, "duration_minutes": 30}, row)
    row.refresh_from_db()
    assert row.duration_minutes == 30


def test_hours_end_after_they_start_and_do_not_overlap(admin, practice):
    who = practice.practitioner
    hours = {"weekday": 0, "starts": "09:00", "ends": "12:00"}
    resources.add_hours(admin, who, hours)
    resources.add_hours(admin, who, {**hours, "starts": "12:00", "ends": "17:00"})  # touching
    assert _refused(resources.add_hours, admin, who, {**hours, "starts": "11:00"}) == {
        "starts": ["overlaps other working hours of this practitioner on that weekday"]
    }
    assert _refused(
        resources.add_hours, admin, who, {"weekday": 1, "starts": "12:00", "ends": "09:00"}
    ) == {"ends": ["must be after the start"]}
    resources.add_hours(admin, practice.nurse, hours)  # another practitioner: no clash
    resources.add_hours(admin, who, {**hours, "weekday": 1})  # another weekday: no clash
    assert WorkingHours.objects.filter(practitioner=who).count() == 3


def test_an_exception_and_a_day_off(admin, practice):
    who, day = practice.practitioner, "2026-12-24"
    resources.add_exception(admin, who, {"date": day, "starts": "09:00", "ends": "12:00"})
    errors = _refused(
        resources.add_exception, admin, who, {"date": day, "starts": "11:00", "ends": "13:00"}
    )
    assert errors == {"starts": ["overlaps other hours of this practitioner on that date"]}
    assert _refused(resources.add_exception, admin, who, {"date": day, "day_off": "on"}) == {
        "day_off": ["remove that date's other hours first"]
    }
    off = resources.add_exception(admin, who, {"date": "2026-12-25", "day_off": "on"})
    assert off.starts is None and off.ends is None
    assert DayException.objects.count() == 2


def test_leave_cannot_end_before_it_starts(admin, practice):
    who = practice.practitioner
    errors = _refused(
        resources.add_leave, admin, who, {"first_day": "2027-01-10", "last_day": "2027-01-03"}
    )
    assert errors == {"last_day": ["must not be before the first day"]}
    resources.add_leave(admin, who, {"first_day": "2027-01-03", "last_day": "2027-01-03"})
    assert Leave.objects.count() == 1


def test_removing_availability_is_audited(admin, practice):
    row = resources.add_hours(
        admin, practice.practitioner, {"weekday": 2, "starts": "09:00", "ends": "10:00"}
    )
    resources.remove_availability(admin, row)
    assert not WorkingHours.objects.exists()
    assert AuditEvent.objects.filter(action="void", detail__schedule_setup="workinghours").exists()


def test_a_booked_room_and_type_are_retired_and_an_unused_one_removed(admin, practice):
    room = resources.save_room(admin, {"name": "Room A"})
    spare = resources.save_room(admin, {"name": "Spare"})
    type_ = resources.save_type(admin, SESSION)
    monday = _next_monday()
    resources.add_hours(
        admin, practice.practitioner, {"weekday": 0, "starts": "09:00", "ends": "17:00"}
    )
    starts = dt.datetime.combine(monday, dt.time(10), tzinfo=dt.UTC)
    form = {
        "practitioner": practice.practitioner.pk,
        "type": type_.pk,
        "room": room.pk,
        "starts_at": starts.isoformat(),
    }
    booked = actions.book(admin, practice.patient, form)
    assert booked.ends_at - booked.starts_at == dt.timedelta(minutes=45)
    assert resources.retire_room(admin, room) is not None
    assert resources.retire_type(admin, type_) is not None
    assert resources.retire_room(admin, spare) is None
    room.refresh_from_db()
    type_.refresh_from_db()
    assert not room.active and not type_.active
    assert not Room.objects.filter(pk=spare.pk).exists()
    resources.restore_room(admin, room)
    room.refresh_from_db()
    assert room.active


def test_the_feed_names_switch(admin):
    assert not resources.options_of(admin.clinic).feed_shows_patient_names
    resources.save_options(admin, {"feed_shows_patient_names": "on"})
    assert ClinicOptions.objects.get(clinic=admin.clinic).feed_shows_patient_names
    resources.save_options(admin, {})
    assert not ClinicOptions.objects.get(clinic=admin.clinic).feed_shows_patient_names
