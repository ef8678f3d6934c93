"""Series scheduler: planned rhythm, closures, product intervals and caps, moving sessions."""

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mesochart.core.schedule import (
    Phase,
    ProductRule,
    Schedule,
    ScheduleError,
    ScheduleRequest,
    move,
    planned_dates,
    propose,
)

EVERY_DAY = frozenset(range(7))
WEEKDAYS = frozenset(range(5))  # Monday to Friday
MONDAY = dt.date(2025, 3, 3)
WEEKLY_6_THEN_MONTHLY_3 = (Phase(count=6, every_days=7), Phase(count=3, every_days=30))

# PC/DC injection lipolysis: at least 4 weeks between sittings [PEER] Thomas 2016, PRS GO
# 4:e861 (a practice report: a warning a clinic may tighten).
PCDC = "pcdc-lipolysis"
PCDC_MIN_INTERVAL_DAYS = 28
# Deoxycholic acid 10 mg/mL: at most 6 sessions [LABEL] NDA 206333.
DEOXYCHOLIC = "deoxycholic-acid"
DEOXYCHOLIC_MAX_SESSIONS = 6


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def make_request(**changes) -> ScheduleRequest:
    fields = {
        "phases": WEEKLY_6_THEN_MONTHLY_3,
        "first_date": MONDAY,
        "opening_weekdays": EVERY_DAY,
    }
    return ScheduleRequest(**{**fields, **changes})


# --- the plan -------------------------------------------------------------------------------


def test_weekly_six_then_monthly_three_chains_from_the_first_date():
    schedule = propose(make_request())
    offsets = [(d - MONDAY).days for d in schedule.dates]
    assert offsets == [0, 7, 14, 21, 28, 35, 65, 95, 125]
    assert all(s.reasons == () and s.date == s.planned_date for s in schedule.sessions)
    assert schedule.truncation is None


def test_planned_dates_are_the_protocol_before_any_rule():
    assert planned_dates((Phase(2, 14), Phase(1, 3)), MONDAY) == (
        MONDAY,
        MONDAY + days(14),
        MONDAY + days(17),
    )


# --- closures -------------------------------------------------------------------------------


def test_holiday_moves_the_session_to_the_next_open_day_and_keeps_the_rhythm():
    holiday = MONDAY + days(14)
    schedule = propose(make_request(opening_weekdays=WEEKDAYS, closed_dates={holiday}))
    third, fourth = schedule.sessions[2], schedule.sessions[3]
    assert (third.date, third.reasons) == (holiday + days(1), ("closed: holiday",))
    assert (fourth.date, fourth.reasons) == (MONDAY + days(21), ())


def test_closed_weekday_moves_the_session_on_never_back():
    saturday = MONDAY + days(5)
    schedule = propose(make_request(first_date=saturday, opening_weekdays=WEEKDAYS))
    first = schedule.sessions[0]
    assert (first.date, first.reasons) == (MONDAY + days(7), ("closed: Saturday",))


def test_holiday_before_a_weekend_moves_to_monday():
    friday = MONDAY + days(4)
    schedule = propose(
        make_request(first_date=friday, opening_weekdays=WEEKDAYS, closed_dates={friday})
    )
    assert schedule.sessions[0].date == friday + days(3)
    assert schedule.sessions[0].reasons == ("closed: holiday",)


# --- product rules --------------------------------------------------------------------------


def test_product_minimum_interval_spaces_weekly_sessions():
    pcdc = ProductRule(PCDC, min_interval_days=PCDC_MIN_INTERVAL_DAYS)
    schedule = propose(make_request(products=[pcdc]))
    gaps = [(b - a).days for a, b in itertools.pairwise(schedule.dates)]
    # Weekly sittings cannot be kept, and once the series runs past the monthly phase's
    # planned dates those follow at the minimum interval too.
    assert gaps == [PCDC_MIN_INTERVAL_DAYS] * 8
    assert schedule.sessions[0].reasons == ()
    assert all(
        s.reasons == ("min interval 28 days for pcdc-lipolysis",) for s in schedule.sessions[1:]
    )


def test_plan_already_wider_than_the_minimum_interval_is_kept():
    pcdc = ProductRule(PCDC, min_interval_days=PCDC_MIN_INTERVAL_DAYS)
    schedule = propose(make_request(phases=[Phase(3, 30)], products=[pcdc]))
    assert [(d - MONDAY).days for d in schedule.dates] == [0, 30, 60]
    assert all(s.reasons == () for s in schedule.sessions)


def test_minimum_interval_then_closed_day_gives_both_reasons():
    pushed_to = MONDAY + days(PCDC_MIN_INTERVAL_DAYS)
    schedule = propose(
        make_request(
            products=[ProductRule(PCDC, min_interval_days=PCDC_MIN_INTERVAL_DAYS)],
            closed_dates={pushed_to},
        )
    )
    assert schedule.sessions[1].date == pushed_to + days(1)
    assert schedule.sessions[1].reasons == (
        "min interval 28 days for pcdc-lipolysis",
        "closed: holiday",
    )


def test_history_before_the_first_date_holds_the_first_session_back():
    last_sitting = MONDAY - days(10)
    pcdc = ProductRule(
        PCDC, min_interval_days=PCDC_MIN_INTERVAL_DAYS, previous_dates=[last_sitting]
    )
    first = propose(make_request(products=[pcdc])).sessions[0]
    assert first.date == last_sitting + days(PCDC_MIN_INTERVAL_DAYS)
    assert first.planned_date == MONDAY
    assert first.reasons == ("min interval 28 days for pcdc-lipolysis",)


def test_stricter_product_sets_the_gap_and_the_reason():
    products = [ProductRule("vitamin-c", min_interval_days=7), ProductRule(PCDC, 28)]
    schedule = propose(make_request(products=products))
    assert schedule.sessions[1].date == MONDAY + days(28)
    assert schedule.sessions[1].reasons == ("min interval 28 days for pcdc-lipolysis",)


def test_course_cap_truncates_and_says_which_product_and_rule():
    dca = ProductRule(DEOXYCHOLIC, max_sessions_per_course=DEOXYCHOLIC_MAX_SESSIONS)
    schedule = propose(make_request(products=[ProductRule("lidocaine"), dca]))
    assert len(schedule.sessions) == DEOXYCHOLIC_MAX_SESSIONS
    truncation = schedule.truncation
    assert truncation is not None
    assert (truncation.product, truncation.planned, truncation.kept) == (DEOXYCHOLIC, 9, 6)
    assert truncation.rule == "max 6 sessions per course for deoxycholic-acid"


def test_sessions_already_given_in_the_course_count_toward_the_cap():
    given_dates = [MONDAY - days(60), MONDAY - days(30)]
    dca = ProductRule(
        DEOXYCHOLIC, max_sessions_per_course=DEOXYCHOLIC_MAX_SESSIONS, previous_dates=given_dates
    )
    schedule = propose(make_request(products=[dca]))
    assert len(schedule.sessions) == 4
    assert schedule.truncation is not None
    assert schedule.truncation.rule == (
        "max 6 sessions per course for deoxycholic-acid (2 already given)"
    )


def test_history_before_the_course_start_does_not_count_toward_the_cap():
    dca = ProductRule(
        DEOXYCHOLIC,
        max_sessions_per_course=DEOXYCHOLIC_MAX_SESSIONS,
        previous_dates=[MONDAY - days(400), MONDAY - days(20)],
    )
    schedule = propose(make_request(products=[dca], course_start=MONDAY - days(30)))
    assert len(schedule.sessions) == 5


def test_exhausted_course_proposes_nothing_and_says_why():
    dca = ProductRule(DEOXYCHOLIC, max_sessions_per_course=1, previous_dates=[MONDAY - days(40)])
    schedule = propose(make_request(products=[dca]))
    assert schedule.sessions == ()
    assert schedule.truncation is not None and schedule.truncation.kept == 0


def test_plan_within_the_cap_is_not_truncated():
    dca = ProductRule(DEOXYCHOLIC, max_sessions_per_course=DEOXYCHOLIC_MAX_SESSIONS)
    schedule = propose(make_request(phases=[Phase(4, 30)], products=[dca]))
    assert len(schedule.sessions) == 4 and schedule.truncation is None


# --- moving a session -----------------------------------------------------------------------


def pcdc_schedule() -> Schedule:
    """Four sittings planned 35 days apart: a week of slack over the 28-day minimum."""
    pcdc = ProductRule(PCDC, min_interval_days=PCDC_MIN_INTERVAL_DAYS)
    return propose(make_request(phases=[Phase(4, 35)], products=[pcdc]))


def test_moving_later_shifts_only_the_sessions_that_need_it():
    before = pcdc_schedule()
    after = move(before, 1, before.dates[1] + days(14))

    assert after.dates[0] == before.dates[0]
    assert after.sessions[1].reasons == ("moved by hand",)
    # The next one was 35 days on and is now 21: it moves to exactly 28 days on.
    assert after.dates[2] == after.dates[1] + days(PCDC_MIN_INTERVAL_DAYS)
    assert after.sessions[2].reasons == ("min interval 28 days for pcdc-lipolysis",)
    # The last one is still 28 days after it (7 days of slack were used up): it stays.
    assert after.dates[3] == before.dates[3]
    assert after.sessions[3] == before.sessions[3]


def test_small_move_leaves_later_sessions_in_place():
    before = pcdc_schedule()
    after = move(before, 1, before.dates[1] + days(3))
    assert after.dates[2:] == before.dates[2:]


def test_moving_earlier_leaves_later_sessions_in_place():
    before = pcdc_schedule()
    after = move(before, 2, before.dates[2] - days(5))
    assert after.dates[3] == before.dates[3]
    assert after.dates[2] == before.dates[2] - days(5)


def test_moving_back_onto_the_planned_date_clears_the_reason():
    before = pcdc_schedule()
    moved = move(before, 1, before.dates[1] + days(2))
    assert move(moved, 1, before.dates[1]).sessions[1].reasons == ()


def test_moving_too_close_to_the_previous_session_is_refused():
    before = pcdc_schedule()
    too_early = before.dates[0] + days(20)
    with pytest.raises(ScheduleError) as caught:
        move(before, 1, too_early)
    assert str(caught.value) == (
        "new_date: min interval 28 days for pcdc-lipolysis: earliest "
        f"{(before.dates[0] + days(28)).isoformat()}"
    )


def test_moving_the_first_session_is_held_to_the_history():
    last_sitting = MONDAY - days(10)
    pcdc = ProductRule(PCDC, PCDC_MIN_INTERVAL_DAYS, previous_dates=[last_sitting])
    schedule = propose(make_request(products=[pcdc]))
    with pytest.raises(ScheduleError, match=r"^new_date: min interval 28 days"):
        move(schedule, 0, last_sitting + days(27))


def test_moving_onto_a_closed_day_is_refused():
    schedule = propose(make_request(opening_weekdays=WEEKDAYS))
    with pytest.raises(ScheduleError, match=r"^new_date: the clinic is closed: Sunday$"):
        move(schedule, 1, MONDAY + days(13))


def test_moving_without_products_keeps_sessions_in_order():
    schedule = propose(make_request(phases=[Phase(3, 7)]))
    after = move(schedule, 0, MONDAY + days(10))
    assert after.dates == (MONDAY + days(10), MONDAY + days(11), MONDAY + days(14))
    assert after.sessions[1].reasons == ("after the previous session",)


@pytest.mark.parametrize("index", [-1, 9, "1"])
def test_moving_a_session_that_does_not_exist_is_refused(index):
    with pytest.raises(ScheduleError, match=r"^index: must be between 0 and 8$"):
        move(propose(make_request()), index, MONDAY)


# --- invalid input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phases": []}, "phases: needs at least one phase"),
        ({"phases": [Phase(0, 7)]}, "phases\\[0\\].count: must be at least 1"),
        ({"phases": [Phase(3, 7), Phase(2, 0)]}, "phases\\[1\\].every_days: must be at least 1"),
        ({"phases": [Phase(3, 7.5)]}, "phases\\[0\\].every_days: must be a whole number"),
        ({"phases": [(3, 7)]}, "phases\\[0\\]: must be a Phase"),
        ({"first_date": dt.datetime(2025, 3, 3, 9)}, "first_date: must be a date"),
        ({"opening_weekdays": set()}, "opening_weekdays: needs at least one open weekday"),
        (
            {"opening_weekdays": {0, 7}},
            "opening_weekdays: must be 0 \\(Monday\\) to 6 \\(Sunday\\)",
        ),
        ({"closed_dates": {"2025-03-04"}}, "closed_dates: must be a date"),
        (
            {"products": [ProductRule(PCDC, min_interval_days=-1)]},
            "products\\[0\\].min_interval_days: must be at least 0",
        ),
        (
            {"products": [ProductRule(PCDC, max_sessions_per_course=0)]},
            "products\\[0\\].max_sessions_per_course: must be at least 1",
        ),
        (
            {"products": [ProductRule(PCDC), ProductRule(PCDC)]},
            "products\\[0\\].product: must appear only once",
        ),
        ({"products": [ProductRule(" ")]}, "products\\[0\\].product: must be a product name"),
        (
            {"products": [ProductRule(PCDC, previous_dates=[MONDAY])]},
            "products\\[0\\].previous_dates: must be before first_date",
        ),
        ({"course_start": MONDAY + days(1)}, "course_start: must be on or before first_date"),
    ],
)
def test_invalid_input_names_the_field_and_the_rule(changes, message):
    with pytest.raises(ScheduleError, match=f"^{message}$"):
        make_request(**changes)


def test_schedule_error_exposes_field_and_rule():
    with pytest.raises(ScheduleError) as caught:
        make_request(phases=[])
    assert (caught.value.field, caught.value.rule) == ("phases", "needs at least one phase")


# --- properties -----------------------------------------------------------------------------


START = dt.date(2025, 1, 1)
phases_strategy = st.lists(
    st.builds(Phase, count=st.integers(1, 6), every_days=st.integers(1, 45)), min_size=1, max_size=3
)
opening_strategy = st.frozensets(st.integers(0, 6), min_size=1)
closures_strategy = st.frozensets(st.dates(START, START + days(400)), max_size=40)


@st.composite
def product_rules(draw):
    names = draw(st.lists(st.sampled_from(["a", "b", "c", "d"]), unique=True, max_size=3))
    return [
        ProductRule(
            name,
            min_interval_days=draw(st.integers(0, 40)),
            max_sessions_per_course=draw(st.none() | st.integers(1, 12)),
            previous_dates=draw(st.lists(st.dates(START - days(90), START - days(1)), max_size=3)),
        )
        for name in names
    ]


schedule_requests = st.builds(
    ScheduleRequest,
    phases=phases_strategy,
    first_date=st.just(START),
    opening_weekdays=opening_strategy,
    closed_dates=closures_strategy,
    products=product_rules(),
)


def assert_schedule_keeps_the_rules(schedule: Schedule) -> None:
    req = schedule.request
    dates = schedule.dates
    for day in dates:
        assert day.weekday() in req.opening_weekdays
        assert day not in req.closed_dates
    assert all(a < b for a, b in itertools.pairwise(dates))
    for rule in req.products:
        if rule.max_sessions_per_course is not None:
            assert len(dates) <= max(0, rule.max_sessions_per_course - len(rule.previous_dates))
        # The history itself is what it was; only the proposal is held to the interval.
        last_given = max(rule.previous_dates, default=None)
        with_last = [last_given, *dates] if last_given else list(dates)
        for a, b in itertools.pairwise(with_last):
            assert (b - a).days >= rule.min_interval_days


@settings(max_examples=300, deadline=None)
@given(schedule_requests)
def test_every_proposal_is_open_increasing_and_keeps_every_interval(req):
    schedule = propose(req)
    assert_schedule_keeps_the_rules(schedule)
    for session in schedule.sessions:
        assert session.date >= session.planned_date
        assert (session.reasons == ()) == (session.date == session.planned_date)
    planned = len(planned_dates(req.phases, req.first_date))
    if schedule.truncation is None:
        assert len(schedule.sessions) == planned
    else:
        assert len(schedule.sessions) == schedule.truncation.kept < planned


@settings(max_examples=300, deadline=None)
@given(schedule_requests, st.data())
def test_every_accepted_move_keeps_the_rules_and_moves_no_more_than_needed(req, data):
    before = propose(req)
    if not before.sessions:
        return
    index = data.draw(st.integers(0, len(before.sessions) - 1))
    new_date = before.dates[index] + days(data.draw(st.integers(-60, 60)))
    try:
        after = move(before, index, new_date)
    except ScheduleError:
        return
    assert_schedule_keeps_the_rules(after)
    assert after.dates[:index] == before.dates[:index]
    assert after.dates[index] == new_date
    for j in range(index + 1, len(after.sessions)):
        if after.dates[j] != before.dates[j]:
            # It moved, so its old date broke a gap: now it is the first open day that keeps it.
            assert after.dates[j] > before.dates[j]
            previous = after.dates[j - 1]
            gap = max([1, *(r.min_interval_days for r in req.products)])
            earliest = previous + days(gap)
            between = [earliest + days(k) for k in range((after.dates[j] - earliest).days)]
            assert all(
                d.weekday() not in req.opening_weekdays or d in req.closed_dates for d in between
            )
