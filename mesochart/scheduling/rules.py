"""The clinical rules a session appointment keeps when it is booked or moved.

The same engine as the plan's series: the dose engine's interval and course-cap findings
(`planning.dosecheck.check_plan`, which the plan's approval runs on every session of the
series) for the plan's booked session dates with this one on its new date. A blocking
finding refuses the booking with its rule and source; a warning needs a written reason.
Before a session can be booked the plan must be approved and the patient's consent valid on
the day (`consent.readiness.session_readiness`, the gate every session passes).
"""

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from mesochart.consent.readiness import session_readiness
from mesochart.core.limits import LimitKind
from mesochart.planning.review import cocktail_of, review, saved_regions

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise  # a rule may be gettext_lazy's

SERIES_RULES = {
    LimitKind.MIN_INTERVAL_DAYS,
    LimitKind.MIN_INTERVAL_MONTHS,
    LimitKind.MAX_SESSIONS_PER_COURSE,
}


@dataclass(frozen=True)
class Verdict:
    blocks: tuple[str, ...]
    warnings: tuple[str, ...]


def _text(finding: dict) -> str:
    return f"{finding['message']} ({finding['source']})"


def series_verdict(plan, dates: list[dt.date], today: dt.date, focus=None) -> Verdict:
    """The engine's interval and cap findings for the plan's sessions on ``dates``; with a
    ``focus`` date (a session booked or moved), only those of that session and the next
    (the ones a move can newly break)."""
    weight = plan.patient.weight_kg
    result = review(
        saved_regions(plan),
        cocktail_of(plan),
        plan.clinic,
        None if weight is None else float(weight),
        sorted(dates),
        today,
    )
    found = [f for f in result["findings"] if f["rule"] in SERIES_RULES]
    if focus is not None and len(dates) > 1:
        position = sorted(dates).index(focus) + 1  # the engine counts sessions from 1
        found = [f for f in found if f["session"] in (position, position + 1)]
    return Verdict(
        tuple(_text(f) for f in found if f["severity"] == "block"),
        tuple(_text(f) for f in found if f["severity"] != "block"),
    )


def missing_before_session(plan, practitioner, days) -> list[tuple[str, "_StrOrPromise"]]:
    """What stops a session of ``plan`` on any of ``days`` (a date or several):
    ``(field, rule)`` pairs, empty if none.

    The gate is read once for all the days: the only item the calendar keeps from it, the
    covering consent, is in force until withdrawn and has no date of its own, so one reading
    holds for every day of a series (six readings would be six times the same queries)."""
    if not plan.approved:
        return [("plan", _("is not approved yet"))]
    days = sorted({days} if isinstance(days, dt.date) else set(days))
    readiness = session_readiness(plan.patient, plan, practitioner, on=days[0])
    return [("consent", item.message) for item in readiness.missing if item.key == "consent"]
