"""A plan's series: the scheduler's request from the plan, and the series as iCalendar.

The request comes from the protocol's phases, the clinic's opening days (`ClinicCalendar`,
Monday–Friday when the clinic has none) and every product of the plan's cocktail: a
product's minimum interval and course cap come from its effective limits in the formulary.
A limit in calendar months becomes ``31 × months`` days for the scheduler: the shortest
whole-day gap that is at least that many calendar months after any date, so a proposed
series never breaks the label (the dose engine still checks the real calendar months).
"""

import datetime as dt
from collections import Counter
from decimal import Decimal
from zoneinfo import ZoneInfo

import icalendar

from mesochart.core.dose import Product
from mesochart.core.limits import LimitKind
from mesochart.core.schedule import Phase, ProductRule, Schedule, ScheduleRequest, Session
from mesochart.formulary.engine import core_products
from mesochart.planning.models import ClinicCalendar

DAYS_PER_MONTH_AT_MOST = 31
# A session's time of day when none is chosen, and how long the calendar books it for: the
# clinic's booking defaults, not clinical figures.
DEFAULT_START = dt.time(9, 0)
APPOINTMENT = dt.timedelta(minutes=45)


def opening_of(clinic) -> tuple[frozenset[int], frozenset[dt.date]]:
    calendar = ClinicCalendar.objects.filter(clinic=clinic).first()
    if calendar is None:
        return frozenset(ClinicCalendar.DEFAULT_WEEKDAYS), frozenset()
    closed = frozenset(dt.date.fromisoformat(day) for day in calendar.closed_dates)
    return frozenset(calendar.opening_weekdays), closed


def product_rules(products: dict[str, Product]) -> tuple[ProductRule, ...]:
    """Each product's strictest interval (in days) and course cap, from its limits, named as
    the formulary names it ("why it moved" is read by the clinic; two products of one name are
    told apart by their slugs)."""
    names = Counter(product.name for product in products.values())
    rules = []
    for slug in sorted(products):
        name = products[slug].name
        label = name if names[name] == 1 else f"{name} ({slug})"
        days, cap = 0, None
        for limit in products[slug].limits:
            if limit.kind is LimitKind.MIN_INTERVAL_DAYS:
                days = max(days, limit.day_count)
            elif limit.kind is LimitKind.MIN_INTERVAL_MONTHS:
                days = max(days, limit.month_count * DAYS_PER_MONTH_AT_MOST)
            elif limit.kind is LimitKind.MAX_SESSIONS_PER_COURSE:
                cap = limit.number if cap is None else min(cap, limit.number)
        rules.append(ProductRule(label, min_interval_days=days, max_sessions_per_course=cap))
    return tuple(rules)


def cocktail_products(plan) -> dict[str, Product]:
    if plan.cocktail_version_id is None:
        return {}
    slugs = plan.cocktail_version.components.values_list("product__slug", flat=True)
    return core_products(list(slugs), plan.clinic)


def request_for(plan, first_date: dt.date, phases: list[dict]) -> ScheduleRequest:
    """Raises ``core.schedule.ScheduleError`` (field, rule) for an invalid request."""
    weekdays, closed = opening_of(plan.clinic)
    return ScheduleRequest(
        phases=tuple(Phase(int(p["count"]), int(p["every_days"])) for p in phases),
        first_date=first_date,
        opening_weekdays=weekdays,
        closed_dates=closed,
        products=product_rules(cocktail_products(plan)),
    )


def schedule_from_rows(request: ScheduleRequest, rows) -> Schedule:
    """The stored series as a core Schedule, so `core.schedule.move` can work on it."""
    sessions = tuple(Session(r.date, r.planned_date, tuple(r.reasons)) for r in rows)
    return Schedule(request, sessions)


def ics(plan, sessions, clinic, stamp: dt.datetime) -> bytes:
    """The series as an iCalendar file: one timed event per session, at its time of day in
    the clinic's time zone (written in UTC, which every calendar converts), lasting
    ``APPOINTMENT`` (a booking length, not a clinical figure).

    The summary names the plan and the session, never the patient: calendars are shared and
    synced to phones. UIDs are stable per plan and session, so a re-import updates events.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//mesochart//treatment series//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{plan.title} — series")
    zone = ZoneInfo(clinic.time_zone)
    total = len(sessions)
    for session in sessions:
        event = icalendar.Event()
        event.add("uid", f"plan-{plan.pk}-session-{session.index + 1}@mesochart")
        event.add("dtstamp", stamp)
        start = dt.datetime.combine(session.date, session.start_time, tzinfo=zone)
        event.add("dtstart", start.astimezone(dt.UTC))
        event.add("dtend", (start + APPOINTMENT).astimezone(dt.UTC))
        event.add("summary", f"{plan.title}: session {session.index + 1} of {total}")
        description = f"{clinic.name}. Planned for {session.planned_date.isoformat()}."
        if session.reasons:
            description += " Moved: " + "; ".join(session.reasons) + "."
        event.add("description", description)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def as_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))
