"""Two people book the practitioner's 10:00 at the same moment: exactly one gets it.

On PostgreSQL both use the test database (the practitioner's row is locked, and the
exclusion constraint stands behind the check). SQLite's test database lives in memory,
where two connections cannot race; there the test copies it to a file (the real set-up:
WAL, ``transaction_mode = IMMEDIATE``) and each desk opens its own connection to it.
"""

import datetime as dt
import sqlite3
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from mesochart.scheduling.tests.support import at

pytestmark = pytest.mark.django_db(transaction=True)


def _file_copy(tmp_path):
    path = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return path


def _own_connection(path):
    if path is None:
        return
    default = connections["default"]
    connections["default"] = default.__class__({**default.settings_dict, "NAME": str(path)})


def _count(path) -> int:
    if path is None:
        from mesochart.scheduling.models import Appointment

        return Appointment.objects.count()
    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM scheduling_appointment").fetchone()[0]


def test_exactly_one_of_two_simultaneous_bookings_of_a_slot_succeeds(desk, tmp_path):
    ten = at(dt.date(2026, 3, 3), 10)
    path = _file_copy(tmp_path) if connection.vendor == "sqlite" else None
    start = threading.Barrier(2)
    outcomes: list[str] = []
    desks = [desk.reception, desk.practice.membership(desk.practice.admin)]

    def book(membership):
        try:
            _own_connection(path)
            start.wait(timeout=10)
            desk.consult(ten, who=membership)
            outcomes.append("booked")
        except ValidationError as error:
            outcomes.append("; ".join(f"{f}: {r[0]}" for f, r in error.message_dict.items()))
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(who,)) for who in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == [
        "booked",
        "starts_at: overlaps another appointment of this practitioner or room",
    ]
    assert _count(path) == 1


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
