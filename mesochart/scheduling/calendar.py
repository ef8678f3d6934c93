"""The Django side of `core.slots`: a practitioner's hours and bookings as plain intervals.

Five queries per practitioner and day range (hours, exceptions, leave, the clinic's
calendar, appointments), whatever the range's length; `busy_in` reads several ranges (a
series' days) in one; the core does the rest.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import Q

from mesochart.core import slots
from mesochart.planning.series import opening_of
from mesochart.scheduling.models import (
    LONGEST,
    Appointment,
    DayException,
    Leave,
    WorkingHours,
)


def zone_of(clinic) -> ZoneInfo:
    return ZoneInfo(clinic.time_zone)


def pattern_for(clinic, practitioner) -> slots.Pattern:
    """The practitioner's weekly hours at ``clinic`` with exceptions, leave and the clinic's
    closed days (its holidays, and the weekdays it is shut)."""
    weekly = tuple(
        slots.Hours(h.weekday, h.starts, h.ends)
        for h in WorkingHours.objects.filter(clinic=clinic, practitioner=practitioner)
    )
    weekdays, closed = opening_of(clinic)
    weekly = tuple(h for h in weekly if h.weekday in weekdays)
    by_day: dict[dt.date, list] = {}
    for row in DayException.objects.filter(clinic=clinic, practitioner=practitioner):
        hours = by_day.setdefault(row.date, [])
        if row.starts is not None and row.ends is not None:
            hours.append((row.starts, row.ends))
    leave = tuple(
        Leave.objects.filter(clinic=clinic, practitioner=practitioner).values_list(
            "first_day", "last_day"
        )
    )
    return slots.Pattern(
        clinic.time_zone,
        weekly,
        tuple(slots.DayException(day, tuple(hours)) for day, hours in by_day.items()),
        leave,
        frozenset(closed),
    )


def busy_for(practitioner, room, start: dt.datetime, end: dt.datetime, exclude=None):
    """What the practitioner or room holds between ``start`` and ``end``, buffers added."""
    return busy_in(practitioner, room, [(start, end)], exclude)


def busy_in(practitioner, room, spans, exclude=None):
    """What the practitioner or room holds in any of ``spans`` (``(start, end)`` pairs), in
    one query, buffers added; the same booking may come twice when spans meet.

    Each span asks for the bookings that start in a bounded range before its end, so the
    database walks the (practitioner, start) index over those days alone instead of the
    practitioner's whole history: a booking lasts at most `LONGEST` and its buffers reach at
    most `LONGEST` either side (the setup and booking forms hold both)."""
    rows = Appointment.objects.holding_time()
    holder = rows.filter(_near(spans, practitioner=practitioner))
    if room is not None:
        holder = holder | rows.filter(_near(spans, room=room))
    if exclude is not None:
        holder = holder.exclude(pk=exclude.pk)
    # Plain values, not model rows: a week of a busy practice is hundreds of bookings.
    values = holder.values_list(
        "starts_at", "ends_at", "type__buffer_before_minutes", "type__buffer_after_minutes"
    )
    return tuple(
        slots.Interval(starts - dt.timedelta(minutes=before), ends + dt.timedelta(minutes=after))
        for starts, ends, before, after in values
    )


def _near(spans, **holder) -> Q:
    """One index range per span, the holder in each (so each term walks the index)."""
    near = Q()
    for start, end in spans:
        near |= Q(
            **holder,
            starts_at__gte=start - 2 * LONGEST,
            starts_at__lt=end + LONGEST,
            ends_at__gt=start - LONGEST,
        )
    return near


def slot_request(clinic, practitioner, room, type_, start, end, exclude=None, limit=50):
    """The core's question: where ``type_`` fits for this practitioner (and room)."""
    zone = zone_of(clinic)
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    working = slots.working_intervals(pattern_for(clinic, practitioner), first, last)
    return slots.SlotRequest(
        duration=dt.timedelta(minutes=type_.duration_minutes),
        window=slots.Interval(start, end),
        working=working,
        busy=busy_for(practitioner, room, start, end, exclude),
        buffer_before=dt.timedelta(minutes=type_.buffer_before_minutes),
        buffer_after=dt.timedelta(minutes=type_.buffer_after_minutes),
        limit=limit,
    )


def free_slots(clinic, practitioner, room, type_, start, end, limit=50):
    return slots.free_slots(
        slot_request(clinic, practitioner, room, type_, start, end, None, limit)
    )
