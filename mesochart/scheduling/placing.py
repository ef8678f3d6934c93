"""Where a plan's series goes on one practitioner's (and room's) calendar.

The practitioner's hours are read once (`calendar.pattern_for`: exceptions and leave of
every date) and the bookings of the days around every proposed date in one query; then the
core (`slots.nearest_on_or_after`) places each session: the proposed date at the wished
time or the nearest free slot that day, else the next days, never earlier (earlier could
break the interval). Only a session that must slide past the days read first reads more.
A session that slid moves the rest with the plan's own scheduler (`core.schedule.move`), as
when the plan's series is moved. Nothing here writes; `actions.book_series` saves it.
"""

import datetime as dt
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesochart.core import slots
from mesochart.core.schedule import ScheduleError, move
from mesochart.planning import series
from mesochart.scheduling import calendar

SEARCH_DAYS_AFTER = 14  # how far past its proposed date a series session may slide
# Days read with the first look at each proposed date: most sessions land within them (a
# practice's day is rarely full), and a wider first read costs every booking its rows.
FIRST_LOOK_DAYS = 3


class Search:
    """The free time of one practitioner (and room) on the days asked for: the hours read
    once, the bookings of each day read at most once (`read`, several days per query)."""

    def __init__(self, clinic, practitioner, room, type_, days):
        self.clinic, self.practitioner, self.room, self.type = clinic, practitioner, room, type_
        self.zone = calendar.zone_of(clinic)
        self.pattern = calendar.pattern_for(clinic, practitioner)
        self.now = timezone.now()
        self.days_read: set[dt.date] = set()
        self.busy: tuple[slots.Interval, ...] = ()
        self.read(d + dt.timedelta(days=i) for d in days for i in range(FIRST_LOOK_DAYS))

    def _midnight(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(0), tzinfo=self.zone)

    def read(self, days) -> None:
        """The bookings of those of ``days`` not read yet, in one query."""
        runs: list[list[dt.date]] = []
        for day in sorted(set(days) - self.days_read):
            if runs and day == runs[-1][-1] + dt.timedelta(days=1):
                runs[-1].append(day)
            else:
                runs.append([day])
        if runs:
            one = dt.timedelta(days=1)
            spans = [(self._midnight(r[0]), self._midnight(r[-1] + one)) for r in runs]
            self.busy += calendar.busy_in(self.practitioner, self.room, spans)
            self.days_read.update(day for run in runs for day in run)

    def place(self, day: dt.date, time: dt.time, type_=None) -> slots.Interval | None:
        """The slot for ``type_`` (the search's own by default) from ``day`` at ``time``."""
        type_ = type_ or self.type
        # The days read first, then (rarely) the rest of the days a session may slide.
        looks = ((0, FIRST_LOOK_DAYS - 1), (FIRST_LOOK_DAYS, SEARCH_DAYS_AFTER - FIRST_LOOK_DAYS))
        for first, days_after in looks:
            start = day + dt.timedelta(days=first)
            last = start + dt.timedelta(days=days_after)
            self.read(start + dt.timedelta(days=i) for i in range(days_after + 1))
            window_start = max(self.now, self._midnight(start))
            window_end = self._midnight(last + dt.timedelta(days=1))
            if window_start >= window_end:
                continue
            ask = slots.SlotRequest(
                duration=dt.timedelta(minutes=type_.duration_minutes),
                window=slots.Interval(window_start, window_end),
                working=slots.working_intervals(self.pattern, start, last),
                busy=self.busy,
                buffer_before=dt.timedelta(minutes=type_.buffer_before_minutes),
                buffer_after=dt.timedelta(minutes=type_.buffer_after_minutes),
                limit=10_000,
            )
            wished = dt.datetime.combine(start, time, tzinfo=self.zone)
            slot = slots.nearest_on_or_after(ask, wished, days_after)
            if slot is not None:
                return slot
        return None

    def hold(self, slot: slots.Interval, type_) -> None:
        """Keep ``slot`` (with ``type_``'s buffers) from the sessions placed after it."""
        self.busy += (
            slots.Interval(
                slot.start - dt.timedelta(minutes=type_.buffer_before_minutes),
                slot.end + dt.timedelta(minutes=type_.buffer_after_minutes),
            ),
        )


NO_SLOT = _("no free slot from %(day)s")


def _refuse(field: str, rule: str) -> NoReturn:
    raise ValidationError({field: [rule]})


def place_series(clinic, plan, sessions, practitioner, room, type_, time: dt.time):
    """``(search, [(session row, slot), …])`` in the series' order, or ``ValidationError``
    naming the session that has no room (``sessions[i]``) or the interval a slide broke."""
    zone = calendar.zone_of(clinic)
    try:
        request = series.request_for(plan, sessions[0].planned_date, plan.protocol.phases)
        schedule = series.schedule_from_rows(request, sessions)
    except (ScheduleError, AttributeError):
        schedule = None  # no protocol: book each on its own date; the engine still checks
    wanted = [row.date for row in sessions] if schedule is None else schedule.dates
    search = Search(clinic, practitioner, room, type_, wanted)
    placed = []
    for i, row in enumerate(sessions):
        day = schedule.sessions[i].date if schedule is not None else row.date
        slot = search.place(day, time)
        if slot is None:
            raise ValidationError(
                {f"sessions[{row.index}]": [ValidationError(NO_SLOT, params={"day": day})]}
            )
        landed = slot.start.astimezone(zone).date()
        if schedule is not None and landed != schedule.sessions[i].date:
            try:
                schedule = move(schedule, i, landed)
            except ScheduleError as error:
                _refuse(f"sessions[{row.index}]", error.rule)
        search.hold(slot, type_)
        placed.append((row, slot))
    return search, placed
