"""Free-slot search: examples the reception desk would recognise, then properties checked
against a brute-force reading of the same rules."""

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mesochart.core.slots import (
    DayException,
    Hours,
    Interval,
    Pattern,
    SlotError,
    SlotRequest,
    fits,
    free_slots,
    nearest_free,
    nearest_on_or_after,
    working_intervals,
)

LONDON = ZoneInfo("Europe/London")
MONDAY = dt.date(2026, 3, 2)
MIN = dt.timedelta(minutes=1)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def weekdays_nine_to_five() -> Pattern:
    return Pattern("Europe/London", tuple(Hours(d, dt.time(9), dt.time(17)) for d in range(5)))


def test_a_free_day_offers_every_quarter_hour_for_an_hour_long_session():
    working = working_intervals(weekdays_nine_to_five(), MONDAY, MONDAY)
    ask = SlotRequest(dt.timedelta(minutes=60), Interval(at(MONDAY, 0), at(MONDAY, 23)), working)
    slots = free_slots(ask)
    assert slots[0] == Interval(at(MONDAY, 9), at(MONDAY, 10))
    assert slots[-1] == Interval(at(MONDAY, 16), at(MONDAY, 17))
    assert len(slots) == 29


def test_a_booked_appointment_and_the_buffers_keep_the_next_one_away():
    working = working_intervals(weekdays_nine_to_five(), MONDAY, MONDAY)
    busy = (Interval(at(MONDAY, 10), at(MONDAY, 11)),)
    ask = SlotRequest(
        dt.timedelta(minutes=45),
        Interval(at(MONDAY, 9), at(MONDAY, 13)),
        working,
        busy,
        buffer_after=dt.timedelta(minutes=15),
    )
    starts = [s.start.time() for s in free_slots(ask)]
    assert dt.time(9) in starts
    assert dt.time(9, 15) not in starts  # 9:15 + 45 + 15 buffer runs into 10:00
    assert dt.time(11) in starts


def test_leave_exceptions_and_holidays_close_days():
    pattern = Pattern(
        "Europe/London",
        weekdays_nine_to_five().weekly,
        exceptions=(DayException(MONDAY + dt.timedelta(days=1), ((dt.time(13), dt.time(15)),)),),
        leave=((MONDAY + dt.timedelta(days=2), MONDAY + dt.timedelta(days=3)),),
        closed_dates=frozenset({MONDAY}),
    )
    intervals = working_intervals(pattern, MONDAY, MONDAY + dt.timedelta(days=6))
    assert [(i.start.date(), i.start.hour, i.end.hour) for i in intervals] == [
        (MONDAY + dt.timedelta(days=1), 13, 15),
        (MONDAY + dt.timedelta(days=4), 9, 17),
    ]


def test_working_hours_keep_the_wall_clock_across_summer_time():
    sunday_of_change = dt.date(2026, 3, 29)
    intervals = working_intervals(
        weekdays_nine_to_five(), sunday_of_change, sunday_of_change + dt.timedelta(days=1)
    )
    assert intervals[0].start.astimezone(dt.UTC).hour == 8  # 09:00 BST


def test_nearest_free_takes_the_earlier_slot_on_a_tie():
    working = working_intervals(weekdays_nine_to_five(), MONDAY, MONDAY)
    busy = (Interval(at(MONDAY, 11), at(MONDAY, 12)),)
    ask = SlotRequest(
        dt.timedelta(minutes=60), Interval(at(MONDAY, 9), at(MONDAY, 17)), working, busy
    )
    assert nearest_free(ask, at(MONDAY, 11)).start == at(MONDAY, 10)


def test_an_end_before_the_start_is_refused_with_the_rule():
    with pytest.raises(SlotError, match="end: must be after the start"):
        Interval(at(MONDAY, 10), at(MONDAY, 9))


# --- properties -------------------------------------------------------------------------

minutes = st.integers(min_value=0, max_value=12 * 60 // 5).map(lambda n: n * 5)


@st.composite
def days(draw):
    day_start = at(MONDAY, 7)
    working = []
    for _ in range(draw(st.integers(0, 3))):
        a, b = sorted(draw(st.tuples(minutes, minutes)))
        if b > a:
            working.append(Interval(day_start + a * MIN, day_start + b * MIN))
    busy = []
    for _ in range(draw(st.integers(0, 6))):
        a, length = draw(minutes), draw(st.integers(1, 24).map(lambda n: n * 5))
        busy.append(Interval(day_start + a * MIN, day_start + (a + length) * MIN))
    return SlotRequest(
        duration=draw(st.integers(1, 24).map(lambda n: n * 5)) * MIN,
        window=Interval(day_start + draw(minutes) * MIN, day_start + 14 * 60 * MIN),
        working=tuple(working),
        busy=tuple(busy),
        buffer_before=draw(st.sampled_from([0, 5, 10])) * MIN,
        buffer_after=draw(st.sampled_from([0, 5, 15])) * MIN,
        step=draw(st.sampled_from([5, 15, 30])) * MIN,
        limit=1000,
    )


def brute_force(ask: SlotRequest) -> set[dt.datetime]:
    """Every grid start of every open interval that fits, tried one by one."""
    starts = set()
    for open_ in ask.working:
        start = open_.start + ask.buffer_before
        while start + ask.duration + ask.buffer_after <= open_.end:
            if ask.window.start <= start < ask.window.end and fits(ask, start) is None:
                starts.add(start)
            start += ask.step
    return starts


PROPERTIES = settings(max_examples=150, deadline=None)


@PROPERTIES
@given(days())
def test_every_slot_fits_the_hours_and_clashes_with_nothing(ask):
    for slot in free_slots(ask):
        assert slot.end - slot.start == ask.duration
        assert fits(ask, slot.start) is None


@PROPERTIES
@given(days())
def test_no_free_slot_is_missed(ask):
    assert {s.start for s in free_slots(ask)} == brute_force(ask)


@PROPERTIES
@given(days())
def test_slots_come_earliest_first_without_repeats(ask):
    starts = [s.start for s in free_slots(ask)]
    assert starts == sorted(set(starts))


@PROPERTIES
@given(days(), st.integers(0, 14 * 60))
def test_the_nearest_slot_is_no_farther_than_any_other(ask, offset):
    wished = at(MONDAY, 7) + offset * MIN
    best = nearest_free(ask, wished)
    slots = free_slots(ask)
    assert (best is None) == (not slots)
    for slot in slots:
        assert abs(best.start - wished) <= abs(slot.start - wished)


def test_a_full_day_sends_the_session_to_the_next_day_at_the_same_time():
    tuesday = MONDAY + dt.timedelta(days=1)
    working = working_intervals(weekdays_nine_to_five(), MONDAY, tuesday)
    busy = (Interval(at(MONDAY, 9), at(MONDAY, 17)), Interval(at(tuesday, 10), at(tuesday, 11)))
    ask = SlotRequest(
        dt.timedelta(minutes=60), Interval(at(MONDAY, 0), at(tuesday, 23)), working, busy
    )
    assert nearest_on_or_after(ask, at(MONDAY, 10), days_after=0) is None
    assert nearest_on_or_after(ask, at(MONDAY, 10), days_after=3).start == at(tuesday, 9)


@st.composite
def weeks(draw):
    """Several days of hours and bookings, searched as one request, as a series is."""
    pattern = Pattern(
        "Europe/London",
        tuple(
            Hours(d, dt.time(draw(st.integers(7, 11))), dt.time(draw(st.integers(12, 19))))
            for d in draw(st.sets(st.integers(0, 6), max_size=7))
        ),
    )
    last = MONDAY + dt.timedelta(days=draw(st.integers(0, 9)))
    working = working_intervals(pattern, MONDAY, last)
    busy = []
    for _ in range(draw(st.integers(0, 25))):
        day = MONDAY + dt.timedelta(days=draw(st.integers(0, 9)))
        a, length = draw(minutes), draw(st.integers(1, 36).map(lambda n: n * 5))
        busy.append(Interval(at(day, 7) + a * MIN, at(day, 7) + (a + length) * MIN))
    return SlotRequest(
        duration=draw(st.integers(1, 24).map(lambda n: n * 5)) * MIN,
        window=Interval(at(MONDAY, draw(st.integers(0, 12))), at(last, 23)),
        working=working,
        busy=tuple(busy),
        buffer_before=draw(st.sampled_from([0, 5, 10])) * MIN,
        buffer_after=draw(st.sampled_from([0, 5, 15])) * MIN,
        step=draw(st.sampled_from([5, 15, 30])) * MIN,
        limit=1000,
    )


@PROPERTIES
@given(weeks(), st.integers(0, 9), st.integers(0, 23))
def test_a_day_of_a_long_request_finds_what_a_request_of_that_day_finds(ask, offset, hour):
    day = MONDAY + dt.timedelta(days=offset)
    start = max(ask.window.start, at(day, 0))
    end = min(ask.window.end, at(day + dt.timedelta(days=1), 0))
    if start < end:
        window = Interval(start, end)
        alone = dataclasses.replace(ask, window=window)
        assert free_slots(ask, window) == free_slots(alone)


@PROPERTIES
@given(weeks(), st.integers(0, 9), st.integers(7, 19), st.integers(0, 6))
def test_a_session_lands_on_the_first_day_that_has_room_nearest_its_time(
    ask, offset, hour, days_after
):
    wished = at(MONDAY + dt.timedelta(days=offset), hour)
    found = nearest_on_or_after(ask, wished, days_after)
    for later in range(days_after + 1):
        day = wished.date() + dt.timedelta(days=later)
        aim = at(day, hour)
        that_day = [s for s in free_slots(ask) if s.start.astimezone(LONDON).date() == day]
        if that_day:
            best = min(abs(s.start - aim) for s in that_day)
            assert found is not None and found.start.astimezone(LONDON).date() == day
            assert abs(found.start - aim) == best
            return
    assert found is None
