"""What the scheduling tests share: the ready patient's clinic with a room, appointment
types and the practitioner's hours (Monday to Friday, 09:00 to 17:00, Europe/London).

The clock is frozen at Monday 2 March 2026, 00:00 UTC (`treatments.tests.support.TODAY`);
the approved deoxycholic acid plan's series starts that day, every 31 days.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from mesochart.scheduling import actions
from mesochart.scheduling.models import AppointmentType, Kind, Room, WorkingHours

LONDON = ZoneInfo("Europe/London")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


class Desk:
    def __init__(self, ready):
        self.ready = ready
        self.practice = practice = ready.practice
        self.clinic = practice.clinic
        self.room = Room.objects.create(clinic=self.clinic, name="Room 1")
        self.session_type = AppointmentType.objects.create(
            clinic=self.clinic,
            name="Deoxycholic acid session",
            kind=Kind.SESSION,
            duration_minutes=60,
            buffer_after_minutes=15,
        )
        self.consultation = AppointmentType.objects.create(
            clinic=self.clinic, name="Consultation", kind=Kind.CONSULTATION, duration_minutes=30
        )
        self.follow_up = AppointmentType.objects.create(
            clinic=self.clinic, name="Follow-up photos", kind=Kind.FOLLOW_UP, duration_minutes=20
        )
        for user in (practice.practitioner, practice.nurse):
            WorkingHours.objects.bulk_create(
                WorkingHours(
                    clinic=self.clinic,
                    practitioner=user,
                    weekday=d,
                    starts=dt.time(9),
                    ends=dt.time(17),
                )
                for d in range(5)
            )
        self.reception = practice.actor(practice.reception)
        self.practitioner = practice.actor(practice.practitioner)

    def consult(self, starts_at, who=None, **data):
        form = {
            "practitioner": self.practice.practitioner.pk,
            "type": self.consultation.pk,
            "starts_at": starts_at.isoformat(),
            **data,
        }
        return actions.book(who or self.reception, self.practice.patient, form)

    def series(self, who=None, **data):
        form = {
            "practitioner": self.practice.practitioner.pk,
            "room": self.room.pk,
            "type": self.session_type.pk,
            "time": "10:00",
            **data,
        }
        return actions.book_series(who or self.reception, self.ready.plan, form)
