"""Booking a plan's series reads the practitioner's calendar for the series' days together
and inserts its appointments together: the query count does not grow with the sessions that
slide or the bookings on the days around them."""

import datetime as dt
import itertools

from mesochart.scheduling.models import Appointment
from mesochart.testing.scheduling import LONDON, at

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

# The lock, the forms' choices, the hours (4), the bookings, the gate, the dose engine's
# products and regions, one insert and the audit row: measured at 43 with slides, bounded.
SERIES_QUERIES = 50


def fill_day(desk, day):
    for hour in range(9, 17):
        desk.consult(at(day, hour), practitioner=desk.practice.practitioner.pk)
        desk.consult(at(day, hour, 30), practitioner=desk.practice.practitioner.pk)


def test_the_series_is_booked_in_a_bounded_number_of_queries(desk, django_assert_max_num_queries):
    with django_assert_max_num_queries(SERIES_QUERIES):
        booked = desk.series(follow_up_type=desk.follow_up.pk, follow_up_weeks=4)
    assert len(booked) == 7


def test_full_days_slide_sessions_later_without_more_than_a_few_more_reads(
    desk, django_assert_max_num_queries
):
    dates = [s.date for s in desk.ready.plan.sessions.all()]
    for day in dates[1:4]:
        fill_day(desk, day)
    with django_assert_max_num_queries(SERIES_QUERIES):
        booked = desk.series()
    landed = [a.starts_at.astimezone(LONDON).date() for a in booked]
    assert landed[0] == dates[0]
    for wanted, day in zip(dates[1:4], landed[1:4], strict=True):
        assert day > wanted  # the full day was passed over, never an earlier one
    assert all(b - a >= dt.timedelta(days=28) for a, b in itertools.pairwise(landed))


def test_the_sessions_of_one_series_never_overlap_each_other(desk):
    booked = desk.series()
    spans = sorted((a.starts_at, a.ends_at) for a in booked)
    assert all(end <= start for (_, end), (start, _) in itertools.pairwise(spans))
    assert Appointment.objects.filter(plan=desk.ready.plan).count() == 6
