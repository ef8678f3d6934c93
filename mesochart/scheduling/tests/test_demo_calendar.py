"""The demo practice opens on a calendar with a week in it: rooms, types, hours, and
appointments that keep the calendar's rules, made fast and made once."""

import datetime as dt
import time

import pytest
import time_machine

from mesochart.audit.models import AuditEvent
from mesochart.demo import load_demo
from mesochart.scheduling.models import Appointment, Room, WorkingHours

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)  # a Monday


@time_machine.travel(NOW, tick=False)
def test_the_demo_week_has_appointments_in_each_clinic_within_the_hours():
    started = time.perf_counter()
    load_demo(patients_per_clinic=8)
    assert time.perf_counter() - started < 60  # the whole demo, calendars included
    for room_count, clinic in ((3, "Harbour Street"), (3, "Riverside")):
        assert Room.objects.filter(clinic__name=clinic).count() == room_count
        rows = Appointment.objects.filter(clinic__name=clinic)
        assert rows.count() >= 5 * 4  # four a day for each treating member, Monday to Friday
        assert all(NOW <= a.starts_at < NOW + dt.timedelta(days=7) for a in rows)
        assert WorkingHours.objects.filter(clinic__name=clinic).exists()
    assert (
        AuditEvent.objects.filter(object_type="appointment").count() == Appointment.objects.count()
    )


@time_machine.travel(NOW, tick=False)
def test_loading_the_demo_again_books_nothing_more():
    load_demo(patients_per_clinic=8)
    count, audited = Appointment.objects.count(), AuditEvent.objects.count()
    load_demo(patients_per_clinic=8)
    assert (Appointment.objects.count(), AuditEvent.objects.count()) == (count, audited)
