"""Time points, missing follow-ups and responders (core.change)."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from mesochart.core.change import Missing, Series, TimePoint, analysed, match, pick, responded

LAST = date(2026, 3, 2)
FOUR_WEEKS = TimePoint(28, 7)


def series(key, group, later, baseline=20.0):
    return Series(key, group, baseline, LAST, tuple(later))


def test_the_nearest_follow_up_in_the_window_is_used():
    patient = series("p1", "A", [(14, 18.0), (26, 17.0), (33, 16.0)])
    row = match(patient, FOUR_WEEKS, Missing.COMPLETERS)
    assert (row.follow_up, row.change, row.days_since_last_session) == (17.0, -3.0, 26)


def test_a_follow_up_outside_the_window_is_missing_and_counted_per_group():
    patients = [
        series("p1", "A", [(28, 18.0)]),
        series("p2", "A", [(60, 15.0)]),
        series("p3", "B", []),
        series("p4", "B", [(30, 19.0)]),
        series("p5", "B", [(29, 19.5)]),
    ]
    rows, lost = analysed(patients, FOUR_WEEKS, Missing.COMPLETERS)
    assert [r.key for r in rows] == ["p1", "p4", "p5"]
    assert lost == {"A": 1, "B": 1}


def test_last_observation_carried_forward_is_named_on_the_row():
    row = match(series("p1", "A", [(7, 19.0)]), FOUR_WEEKS, Missing.LOCF)
    assert row.carried_forward and row.follow_up == 19.0
    nothing = match(series("p2", "A", []), FOUR_WEEKS, Missing.LOCF)
    assert nothing.change == 0.0 and nothing.carried_forward


def test_responders_by_the_thresholds_issue_17_names():
    assert responded("circumference", 80.0, 78.0) is True
    assert responded("circumference", 80.0, 78.5) is False
    assert responded("css", 11.0, 10.0) is True  # severe to moderate
    assert responded("css", 10.0, 6.0) is False  # still moderate
    assert responded("mmasi", 8.0, 4.0) is True
    assert responded("mmasi", 8.0, 4.5) is False
    assert responded("fat_thickness", 20.0, 10.0) is None  # no sourced threshold


def database_candidates(later, point):
    """What `analytics.rows` asks the database for: every value in the window, and the last
    (by day, then value) on or before the window's end."""
    lo, hi = point.days - point.window_days, point.days + point.window_days
    inside = [(d, v) for d, v in later if lo <= d <= hi]
    before = [(d, v) for d, v in later if d <= hi]
    return tuple(inside + ([max(before)] if before else []))


@given(
    later=st.lists(st.tuples(st.integers(0, 200), st.floats(-50, 50, allow_nan=False)), max_size=8),
    days=st.integers(0, 120),
    window=st.integers(0, 30),
    missing=st.sampled_from(list(Missing)),
)
def test_the_candidates_the_database_finds_pick_what_all_the_values_would(
    later, days, window, missing
):
    point = TimePoint(days, window)
    assert pick(20.0, tuple(later), point, missing) == pick(
        20.0, database_candidates(later, point), point, missing
    )
