"""Which outcome measures a plan's indication names, and its follow-up schedule.

Both are the examples of issue 15 (cellulite → CSS + thigh circumference; melasma → mMASI;
hair → density + Sinclair or Norwood; skin quality → GAIS; follow-ups 4 weeks after the last
session, then 3 and 6 months). They are defaults, not sourced clinical limits: reference.md
gives no follow-up schedule.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

MEASURES_BY_INDICATION: dict[str, tuple[str, ...]] = {
    "cellulite": ("css", "circumference"),
    "body_contouring": ("circumference", "weight", "fat_thickness"),
    "pigmentation": ("mmasi",),
    "hair_loss": ("hair_density_total", "sinclair", "hamilton_norwood"),
    "skin_rejuvenation": ("gais_investigator", "gais_subject"),
}

# (label, weeks, months) after the last signed session.
FOLLOW_UPS = (("4 weeks", 4, 0), ("3 months", 0, 3), ("6 months", 0, 6))


def measures_for(indication: str) -> tuple[str, ...]:
    return MEASURES_BY_INDICATION.get(indication, ())


def missing_baselines(indication: str, baseline_measures: set[str]) -> list[str]:
    """The measures the indication names that have no baseline yet, neither a value nor an
    explicit "not measured" with a reason (``baseline_measures``: the codes recorded at
    baseline). The gate the approval of a plan is to consult (not wired in yet)."""
    return [code for code in measures_for(indication) if code not in baseline_measures]


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class FollowUp:
    label: str
    due_on: date
    recorded_on: date | None


def follow_ups(last_session: date | None, follow_up_days: list[date]) -> list[FollowUp]:
    """The schedule from the last session; each due date is met by the first follow-up
    value on or after it and before the next due date."""
    if last_session is None:
        return []
    dues = [
        _add_months(last_session + timedelta(weeks=weeks), months)
        for _label, weeks, months in FOLLOW_UPS
    ]
    result = []
    for index, (label, _w, _m) in enumerate(FOLLOW_UPS):
        end = dues[index + 1] if index + 1 < len(dues) else date.max
        met = min((d for d in follow_up_days if dues[index] <= d < end), default=None)
        result.append(FollowUp(label, dues[index], met))
    return result
