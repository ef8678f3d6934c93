"""Two people book the practitioner's 10:00 at the same moment: exactly one gets it.

On PostgreSQL both use the test database (the practitioner's row is locked, and the
exclusion constraint stands behind the check). On SQLite each desk opens its own connection
to a file copy of the test database (`mesochart.tests.races`).
"""

import datetime as dt

import pytest
from django.db import connection

from mesochart.testing.scheduling import at
from mesochart.tests.races import count, file_copy, race

pytestmark = pytest.mark.django_db(transaction=True)


def test_exactly_one_of_two_simultaneous_bookings_of_a_slot_succeeds(desk, tmp_path):
    from mesochart.scheduling.models import Appointment

    ten = at(dt.date(2026, 3, 3), 10)
    path = file_copy(tmp_path)
    desks = [desk.reception, desk.practice.actor(desk.practice.admin)]

    def book(membership):
        def call():
            desk.consult(ten, who=membership)
            return "booked"

        return call

    assert race(path, *(book(who) for who in desks)) == [
        "booked",
        "starts_at: overlaps another appointment of this practitioner or room",
    ]
    assert count(path, Appointment) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint")
def test_postgresql_refuses_an_overlap_written_past_the_actions(desk):
    from django.db import IntegrityError, transaction

    from mesochart.scheduling.models import Appointment

    first = desk.consult(at(dt.date(2026, 3, 3), 10))
    copy = Appointment(
        clinic=first.clinic,
        patient=first.patient,
        practitioner=first.practitioner,
        type=first.type,
        starts_at=first.starts_at + dt.timedelta(minutes=15),
        ends_at=first.ends_at + dt.timedelta(minutes=15),
        booked_by=first.booked_by,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()
    first.state = "cancelled"
    first.save()
    copy.save()  # a cancelled appointment frees its time
