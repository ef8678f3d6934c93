"""Change from baseline at a chosen time point, and who responded.

The time point is a number of days after a patient's last session; the follow-up used is
the value nearest that day within ± ``window_days`` (the earlier of two equally near). A
patient with a baseline but no value in the window is *missing*: counted per group, never
dropped silently. With ``locf`` (last observation carried forward) the missing patient's
last value on or before the window's end is used instead (the baseline itself if nothing
came after it: a change of zero), and the row says it was carried.

Responder thresholds are those issue 17 names; no other measure has one (reference.md
sources no cut-off), so for other measures responders are not counted.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from mesochart.core.measures import CSS_BANDS
from mesochart.core.words import gettext_noop


class Missing(StrEnum):
    COMPLETERS = "completers"
    LOCF = "locf"


MISSING_TEXT = {
    Missing.COMPLETERS: gettext_noop(
        "completers only: patients without a follow-up in the window are "
        "counted as missing and left out of the statistics"
    ),
    Missing.LOCF: gettext_noop(
        "last observation carried forward: a patient without a follow-up in the "
        "window is analysed with their last value before the window's end"
    ),
}


@dataclass(frozen=True)
class Threshold:
    measure: str
    text: str
    source: str


ISSUE_17 = gettext_noop("issue 17 (responder definitions named there)")
THRESHOLDS = {
    "css": Threshold("css", gettext_noop("CSS down by at least one severity band"), ISSUE_17),
    "circumference": Threshold(
        "circumference", gettext_noop("circumference down by at least 2 cm"), ISSUE_17
    ),
    "mmasi": Threshold("mmasi", gettext_noop("mMASI down by at least 50 %"), ISSUE_17),
}


def _css_band(total: float) -> int:
    return next((i for i, (lo, hi, _name) in enumerate(CSS_BANDS) if lo <= total <= hi), -1)


def responded(measure: str, baseline: float, follow_up: float) -> bool | None:
    """Whether the change meets the measure's threshold; None when the measure has none."""
    if measure == "css":
        return _css_band(follow_up) < _css_band(baseline)
    if measure == "circumference":
        return follow_up - baseline <= -2
    if measure == "mmasi":
        return baseline > 0 and (follow_up - baseline) / baseline <= -0.5
    return None


class Series(NamedTuple):
    """One patient's values of one measure: ``key`` (pseudonymous), ``group``, the baseline,
    the last session's day (None: no signed session, so no follow-up) and the later values
    as (days after the last session's day, value). A tuple, not a dataclass: an analysis
    builds one per patient, 10,000 at a time."""

    key: str
    group: str
    baseline: float | None
    last_session: date | None
    later: tuple[tuple[int, float], ...]
    link: str = ""


class Row(NamedTuple):
    """One analysed patient (a tuple, like `Series`)."""

    key: str
    group: str
    baseline: float
    follow_up: float
    change: float
    days_since_last_session: int
    carried_forward: bool
    link: str = ""


TIME_POINT_TEXT = gettext_noop(
    "{days} days after the last session, nearest value within ±{window_days} days"
)


@dataclass(frozen=True)
class TimePoint:
    days: int
    window_days: int

    @property
    def text(self) -> str:
        return TIME_POINT_TEXT.format(days=self.days, window_days=self.window_days)


def match(series: Series, point: TimePoint, missing: Missing) -> Row | None:
    """The row of one patient at ``point``: None if they have no follow-up to analyse."""
    rows, _lost = analysed([series], point, missing)
    return rows[0] if rows else None


def pick(
    baseline: float, later: tuple[tuple[int, float], ...], point: TimePoint, missing: Missing
) -> tuple[float, int, bool] | None:
    """The follow-up used at ``point``, as (value, days after the last session, carried):
    the value nearest the point within the window (the earlier of two equally near, then
    the lower), else with ``locf`` the last on or before the window's end (the baseline, at
    day 0, if there is none), else None."""
    target, window = point.days, point.window_days
    near = [(abs(d - target), d, v) for d, v in later if d >= 0 and abs(d - target) <= window]
    if near:
        _distance, days, value = min(near)
        return value, days, False
    if missing == Missing.LOCF:
        before = [(d, v) for d, v in later if 0 <= d <= point.days + point.window_days]
        days, value = max(before) if before else (0, baseline)
        return value, days, True
    return None


def analysed(all_series, point: TimePoint, missing: Missing):
    """The rows and, per group, how many had a baseline but no follow-up in the window
    (a value carried forward counts as missing too: the row says it was carried)."""
    rows: list[Row] = []
    lost: dict[str, int] = {}
    for key, group, baseline, last_session, later, link in all_series:
        if baseline is None:
            continue
        lost.setdefault(group, 0)
        picked = None if last_session is None else pick(baseline, later, point, missing)
        if picked is None:
            lost[group] += 1
            continue
        value, days, carried = picked
        if carried:
            lost[group] += 1
        rows.append(Row(key, group, baseline, value, value - baseline, days, carried, link))
    return rows, lost
