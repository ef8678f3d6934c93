"""Free-slot search: when one appointment of a given length fits a practitioner's day.

Plain data in and out, no Django. Times are aware ``datetime``s (any zone; they are compared
as instants). Weekly working hours are read in the clinic's zone (``zoneinfo`` name), so a
09:00 start stays 09:00 across a change of summer time.

- ``working_intervals`` expands a weekly pattern over a range of days, with exceptions
  (a day's hours replaced, or the day off) and leave (whole days off), into open intervals;
- ``free_slots`` lists the starts, on a grid of ``step`` from each open interval's start,
  where the appointment *with its buffers* fits inside an open interval and overlaps no
  busy interval (busy intervals are given with their own buffers already added);
- ``nearest_free`` is the free slot whose start is nearest a wished-for moment, the earlier
  one on a tie;
- ``nearest_on_or_after`` is that slot on the wished-for day, else at the same time of day on
  each next day, never an earlier day: how a series session is placed, searched in one
  request that covers the whole series (so the hours and bookings are read once).
"""

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo


class SlotError(ValueError):
    """Invalid input; names the field and the rule it breaks."""

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule


@dataclass(frozen=True, order=True)
class Interval:
    """``[start, end)``; ``end`` after ``start``, both aware."""

    start: dt.datetime
    end: dt.datetime

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, dt.datetime) or value.tzinfo is None:
                raise SlotError(name, "must be a date and time with a time zone")
        if self.end <= self.start:
            raise SlotError("end", "must be after the start")

    def overlaps(self, other: "Interval") -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: "Interval") -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True)
class Hours:
    """Working hours on one weekday (0 Monday … 6 Sunday), wall-clock in the clinic's zone."""

    weekday: int
    start: dt.time
    end: dt.time

    def __post_init__(self) -> None:
        if self.weekday not in range(7):
            raise SlotError("weekday", "must be 0 (Monday) to 6 (Sunday)")
        if self.end <= self.start:
            raise SlotError("end", "must be after the start")


@dataclass(frozen=True)
class DayException:
    """One date's hours replaced by ``hours`` (wall-clock (start, end) pairs); none: a day off."""

    date: dt.date
    hours: tuple[tuple[dt.time, dt.time], ...] = ()


@dataclass(frozen=True)
class Pattern:
    """A practitioner's weekly hours at one clinic, its exceptions, leave and closed days."""

    time_zone: str
    weekly: tuple[Hours, ...]
    exceptions: tuple[DayException, ...] = ()
    leave: tuple[tuple[dt.date, dt.date], ...] = ()  # inclusive (first, last) days off
    closed_dates: frozenset[dt.date] = field(default_factory=frozenset)

    def is_working_day(self, day: dt.date) -> bool:
        return bool(self.hours_on(day))

    def hours_on(self, day: dt.date) -> tuple[tuple[dt.time, dt.time], ...]:
        if day in self.closed_dates or any(a <= day <= b for a, b in self.leave):
            return ()
        for exception in self.exceptions:
            if exception.date == day:
                return exception.hours
        return tuple((h.start, h.end) for h in self.weekly if h.weekday == day.weekday())


def working_intervals(pattern: Pattern, first: dt.date, last: dt.date) -> tuple[Interval, ...]:
    """The open intervals from ``first`` to ``last`` (inclusive days), in time order."""
    zone = ZoneInfo(pattern.time_zone)
    out = []
    day = first
    while day <= last:
        for start, end in pattern.hours_on(day):
            out.append(
                Interval(
                    dt.datetime.combine(day, start, tzinfo=zone),
                    dt.datetime.combine(day, end, tzinfo=zone),
                )
            )
        day += dt.timedelta(days=1)
    return tuple(sorted(out))


@dataclass(frozen=True)
class SlotRequest:
    """What to fit: ``duration`` plus buffers, within ``window``, on ``working`` minus ``busy``.

    ``step`` is the grid of starts (from each open interval's start); at most ``limit``
    slots are returned, earliest first.
    """

    duration: dt.timedelta
    window: Interval
    working: tuple[Interval, ...]
    busy: tuple[Interval, ...] = ()
    buffer_before: dt.timedelta = dt.timedelta(0)
    buffer_after: dt.timedelta = dt.timedelta(0)
    step: dt.timedelta = dt.timedelta(minutes=15)
    limit: int = 50

    def __post_init__(self) -> None:
        if self.duration <= dt.timedelta(0):
            raise SlotError("duration", "must be longer than zero")
        if self.step <= dt.timedelta(0):
            raise SlotError("step", "must be longer than zero")
        if self.buffer_before < dt.timedelta(0) or self.buffer_after < dt.timedelta(0):
            raise SlotError("buffer", "must not be negative")
        if self.limit < 1:
            raise SlotError("limit", "must be at least 1")
        object.__setattr__(self, "working", merged(self.working))
        # Merged too: a slot fits between two bookings only if they leave a gap, so joining
        # touching ones changes no answer, and ends in order let a search bisect to its day.
        object.__setattr__(self, "busy", merged(self.busy))

    def occupied(self, start: dt.datetime) -> Interval:
        """The span an appointment starting at ``start`` holds, buffers included."""
        return Interval(start - self.buffer_before, start + self.duration + self.buffer_after)


def merged(intervals) -> tuple[Interval, ...]:
    """Overlapping or touching intervals joined, in time order (an appointment may run from
    one block of hours into the next when they meet)."""
    out: list[Interval] = []
    for interval in sorted(intervals):
        if out and interval.start <= out[-1].end:
            out[-1] = Interval(out[-1].start, max(out[-1].end, interval.end))
        else:
            out.append(interval)
    return tuple(out)


def fits(request: SlotRequest, start: dt.datetime) -> str | None:
    """Why an appointment cannot start at ``start`` (a rule), or ``None`` when it fits."""
    span = request.occupied(start)
    if not any(w.contains(span) for w in request.working):
        return "is outside working hours"
    if any(b.overlaps(span) for b in request.busy):
        return "overlaps another appointment"
    return None


def free_slots(request: SlotRequest, window: Interval | None = None) -> tuple[Interval, ...]:
    """The appointment intervals (buffers excluded) that fit, earliest first; starts within
    ``window`` if given (one day of a long request), else the request's own window."""
    window = window or request.window
    out: list[Interval] = []
    busy = request.busy
    # Both tuples are merged, so their ends are in order: skip what ends before the window.
    first_open = bisect_right([w.end for w in request.working], window.start)
    first_busy = bisect_right([b.end for b in busy], window.start - request.buffer_before)
    for open_ in request.working[first_open:]:
        if open_.start >= window.end:
            break
        start = open_.start + request.buffer_before
        while start < window.start:
            start += request.step
        while start + request.duration + request.buffer_after <= open_.end:
            if start >= window.end:
                return tuple(out)
            span = request.occupied(start)
            while first_busy < len(busy) and busy[first_busy].end <= span.start:
                first_busy += 1
            clash = _clash(busy, first_busy, span)
            if clash is None:
                out.append(Interval(start, start + request.duration))
                if len(out) >= request.limit:
                    return tuple(out)
                start += request.step
            else:
                # Jump past the clash on the grid instead of trying each step inside it.
                while request.occupied(start).start < clash.end:
                    start += request.step
    return tuple(out)


def _clash(busy: tuple[Interval, ...], first: int, span: Interval) -> Interval | None:
    """The busy interval (sorted by start, from index ``first``) overlapping ``span``."""
    for interval in busy[first:]:
        if interval.start >= span.end:
            return None
        if span.start < interval.end:
            return interval
    return None


def nearest_free(request: SlotRequest, wished: dt.datetime) -> Interval | None:
    """The free slot whose start is nearest ``wished`` (the earlier on a tie), or ``None``."""
    slots = free_slots(request)
    if not slots:
        return None
    return min(slots, key=lambda s: (abs(s.start - wished), s.start))


def nearest_on_or_after(
    request: SlotRequest, wished: dt.datetime, days_after: int
) -> Interval | None:
    """The free slot nearest ``wished`` on its day (midnight to midnight in ``wished``'s
    zone), else the one nearest the same wall-clock time on each of the next ``days_after``
    days, never an earlier day; only starts inside the request's window; ``None`` if none."""
    zone = wished.tzinfo
    for offset in range(days_after + 1):
        day = wished.date() + dt.timedelta(days=offset)
        start = max(request.window.start, dt.datetime.combine(day, dt.time(0), tzinfo=zone))
        end = min(
            request.window.end,
            dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone),
        )
        if start >= end:
            continue
        found = free_slots(request, Interval(start, end))
        if found:
            aim = dt.datetime.combine(day, wished.time(), tzinfo=zone)
            return min(found, key=lambda s: (abs(s.start - aim), s.start))
    return None
