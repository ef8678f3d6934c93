"""The demo clinics' calendars: rooms, appointment types, the treating staff's weekly hours,
and a plausible week of appointments from now on, so the day and week views are not empty.

The resources are set-up data (made as the clinic's admin would make them once); every
appointment is booked through `scheduling.actions.book` at a start `scheduling.calendar`
found free, so it keeps every rule (hours, the clinic's closed days, no overlap) and is
audited. Idempotent: a clinic that has rooms is left as it is. Seeded, so every install
shows the same shape of week; all synthetic.
"""

import datetime as dt
import random

from django.utils import timezone

from mesochart.accounts.actor import Actor
from mesochart.accounts.models import Membership
from mesochart.accounts.roles import Role
from mesochart.patients.models import Patient
from mesochart.scheduling import actions, calendar
from mesochart.scheduling.access import TREATING
from mesochart.scheduling.models import AppointmentType, Kind, Room, WorkingHours

ROOMS = ("Treatment room 1", "Treatment room 2", "Photo room")
# name, kind, minutes, buffer before, buffer after: a practice's booking choices, not
# clinical figures.
TYPES = (
    ("Consultation", Kind.CONSULTATION, 30, 0, 0),
    ("Follow-up and measurements", Kind.FOLLOW_UP, 20, 0, 5),
    ("Photo visit", Kind.PHOTO, 15, 0, 0),
    ("Treatment session", Kind.SESSION, 60, 10, 15),
)
HOURS = ((dt.time(9), dt.time(13)), (dt.time(14), dt.time(18)))  # Monday to Friday
DAYS = 7
PER_DAY = 4  # appointments per treating member of staff per working day


def calendars(clinic, admin: Actor) -> None:
    if Room.objects.filter(clinic=clinic).exists():
        return
    rooms = Room.objects.bulk_create(Room(clinic=clinic, name=name) for name in ROOMS)
    types = AppointmentType.objects.bulk_create(
        AppointmentType(
            clinic=clinic,
            name=name,
            kind=kind,
            duration_minutes=minutes,
            buffer_before_minutes=before,
            buffer_after_minutes=after,
        )
        for name, kind, minutes, before, after in TYPES
    )
    staff = [
        m.user
        for m in Membership.objects.active()
        .filter(clinic=clinic, role__in=TREATING)
        .select_related("user")
        .order_by("user__username")
    ]
    WorkingHours.objects.bulk_create(
        WorkingHours(clinic=clinic, practitioner=user, weekday=day, starts=a, ends=b)
        for user in staff
        for day in range(5)
        for a, b in HOURS
    )
    _week(clinic, admin, staff, rooms, [t for t in types if t.kind != Kind.SESSION])


def _week(clinic, admin, staff, rooms, types) -> None:
    """Appointments for the next ``DAYS`` days (treatment sessions are booked from approved
    plans, so the demo week holds consultations, follow-ups and photo visits)."""
    rng = random.Random(f"mesochart-demo-calendar/{clinic.name}")  # noqa: S311 - synthetic
    desks = Membership.objects.filter(clinic=clinic, role__in=(Role.RECEPTION, Role.ADMIN))
    member = desks.select_related("clinic__organisation", "user").order_by("-role").first()
    desk = Actor.at(member) if member else admin
    patients = list(Patient.objects.filter(clinic=clinic, voided_at__isnull=True).order_by("pk"))
    zone = calendar.zone_of(clinic)
    now = timezone.now()
    today = now.astimezone(zone).date()
    for offset in range(DAYS):
        day = today + dt.timedelta(days=offset)
        start = max(now, dt.datetime.combine(day, dt.time(0), tzinfo=zone))
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
        for user, room in zip(staff, rooms, strict=False):
            for _ in range(PER_DAY):
                type_ = rng.choice(types)
                free = calendar.free_slots(clinic, user, room, type_, start, end, limit=200)
                if not free or not patients:
                    break
                slot = rng.choice(free)
                actions.book(
                    desk,
                    rng.choice(patients),
                    {
                        "practitioner": user.pk,
                        "room": room.pk,
                        "type": type_.pk,
                        "starts_at": slot.start.isoformat(),
                    },
                )
