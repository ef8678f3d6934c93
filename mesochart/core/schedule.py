"""Series scheduler: propose the session dates of a course and move them safely.

Dates are calendar days (``datetime.date``), intervals whole days. A protocol's plan is a
list of phases, e.g. "weekly × 6 then monthly × 3" is
``(Phase(count=6, every_days=7), Phase(count=3, every_days=30))``. Phases chain like this:

- session 1 is planned on ``first_date``;
- within a phase, each session is planned ``every_days`` after the one before it;
- the first session of a later phase is planned that phase's ``every_days`` after the last
  session of the phase before.

So the example plans days 0, 7, 14, 21, 28, 35, then 65, 95, 125. Planned dates keep the
protocol's rhythm: a session pushed to another day does not push the plan. The proposed
date is the planned date, moved later (never earlier) only as far as the rules require:
every product of the cocktail is given at every session, so each session keeps every
product's minimum interval from the session before (or from the patient's history for the
first) and is at least a day after it, then moves on to the next day the clinic is open.
When those rules push a session past the next planned dates, the next sessions follow at
the least gap the rules allow; each session's reasons say what moved it. Each product's
maximum sessions per course caps the series; a capped proposal says which product and rule
cut it.

Pure dates, no Django and no time zones: the clinical app translates to and from models.
"""

import datetime as dt
from dataclasses import dataclass, replace

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MOVED_BY_HAND = "moved by hand"
# The most a series may hold and span: a course (with its maintenance) is a few dozen
# sessions over a year or two; anything past these is a typo, and proposing it would cost
# the server work in proportion to the number typed.
MAX_SESSIONS = 100
MAX_SPAN_DAYS = 3 * 366
MAX_EVERY_DAYS = 366
MAX_PHASES = 20
AFTER_PREVIOUS = "after the previous session"


class ScheduleError(ValueError):
    """Invalid scheduling input or move; names the field and the rule it breaks."""

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule


@dataclass(frozen=True)
class Phase:
    """``count`` sessions, each planned ``every_days`` after the one before."""

    count: int
    every_days: int


@dataclass(frozen=True)
class ProductRule:
    """What one product of the cocktail demands of the schedule.

    ``min_interval_days`` is the least gap since the previous session with the product
    (0: none); ``max_sessions_per_course`` caps the course (``None``: no cap).
    ``previous_dates`` are the patient's earlier sessions with the product, all before the
    first date: the latest one anchors the minimum interval of the first session, and those
    within the course (see ``ScheduleRequest.course_start``) count toward the cap.
    """

    product: str
    min_interval_days: int = 0
    max_sessions_per_course: int | None = None
    previous_dates: tuple[dt.date, ...] = ()


@dataclass(frozen=True)
class ScheduleRequest:
    """Everything a proposal depends on; validated on construction.

    ``opening_weekdays`` are 0 (Monday) to 6 (Sunday). ``closed_dates`` are whole days the
    clinic is shut although its weekday is open (holidays). History on or after
    ``course_start`` counts toward each product's cap; ``None`` counts all history, the
    safe reading when the course boundary is unknown.
    """

    phases: tuple[Phase, ...]
    first_date: dt.date
    opening_weekdays: frozenset[int]
    closed_dates: frozenset[dt.date] = frozenset()
    products: tuple[ProductRule, ...] = ()
    course_start: dt.date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "phases", tuple(self.phases))
        object.__setattr__(self, "opening_weekdays", frozenset(self.opening_weekdays))
        object.__setattr__(self, "closed_dates", frozenset(self.closed_dates))
        object.__setattr__(self, "products", tuple(self.products))
        _check_date(self.first_date, "first_date")
        self._check_phases()
        self._check_opening()
        self._check_products()
        if self.course_start is not None:
            _check_date(self.course_start, "course_start")
            if self.course_start > self.first_date:
                raise ScheduleError("course_start", "must be on or before first_date")

    def _check_phases(self) -> None:
        if not self.phases:
            raise ScheduleError("phases", "needs at least one phase")
        if len(self.phases) > MAX_PHASES:
            raise ScheduleError("phases", f"must have at most {MAX_PHASES} phases")
        for i, phase in enumerate(self.phases):
            if not isinstance(phase, Phase):
                raise ScheduleError(f"phases[{i}]", "must be a Phase")
            _check_whole(phase.count, f"phases[{i}].count", 1, MAX_SESSIONS)
            _check_whole(phase.every_days, f"phases[{i}].every_days", 1, MAX_EVERY_DAYS)
        sessions = sum(p.count for p in self.phases)
        if sessions > MAX_SESSIONS:
            raise ScheduleError("phases", f"must plan at most {MAX_SESSIONS} sessions")
        span = sum(p.count * p.every_days for p in self.phases) - self.phases[0].every_days
        if span > MAX_SPAN_DAYS:
            raise ScheduleError("phases", f"must span at most {MAX_SPAN_DAYS} days")
        if (dt.date.max - self.first_date).days < 2 * MAX_SPAN_DAYS:
            # Room for the span and the products' intervals, so no date overflows.
            last = dt.date.max - dt.timedelta(days=2 * MAX_SPAN_DAYS)
            raise ScheduleError("first_date", f"must be on or before {last.isoformat()}")

    def _check_opening(self) -> None:
        if not self.opening_weekdays:
            raise ScheduleError("opening_weekdays", "needs at least one open weekday")
        if not self.opening_weekdays <= set(range(7)):
            raise ScheduleError("opening_weekdays", "must be 0 (Monday) to 6 (Sunday)")
        for day in self.closed_dates:
            _check_date(day, "closed_dates")

    def _check_products(self) -> None:
        for i, rule in enumerate(self.products):
            if not isinstance(rule, ProductRule):
                raise ScheduleError(f"products[{i}]", "must be a ProductRule")
        # Lists of history dates are accepted and stored as tuples, like the other fields.
        products = tuple(replace(r, previous_dates=tuple(r.previous_dates)) for r in self.products)
        object.__setattr__(self, "products", products)
        names = [r.product for r in products]
        for i, rule in enumerate(products):
            field = f"products[{i}]"
            if not isinstance(rule.product, str) or not rule.product.strip():
                raise ScheduleError(f"{field}.product", "must be a product name")
            if names.count(rule.product) > 1:
                raise ScheduleError(f"{field}.product", "must appear only once")
            _check_whole(rule.min_interval_days, f"{field}.min_interval_days", 0, MAX_EVERY_DAYS)
            if rule.max_sessions_per_course is not None:
                _check_whole(rule.max_sessions_per_course, f"{field}.max_sessions_per_course", 1)
            for day in rule.previous_dates:
                _check_date(day, f"{field}.previous_dates")
                if day >= self.first_date:
                    raise ScheduleError(f"{field}.previous_dates", "must be before first_date")


@dataclass(frozen=True)
class Session:
    """One proposed session: its ``date``, the protocol's ``planned_date``, and why it moved.

    ``reasons`` is empty when the session is on its planned date; otherwise, in the order
    applied, e.g. ``("min interval 28 days for pcdc-lipolysis", "closed: holiday")``.
    """

    date: dt.date
    planned_date: dt.date
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Truncation:
    """Why a proposal holds fewer sessions than the plan: the product and its cap."""

    product: str
    rule: str
    planned: int
    kept: int


@dataclass(frozen=True)
class Schedule:
    """A proposal: its sessions in date order, and the cap that cut it short, if any."""

    request: ScheduleRequest
    sessions: tuple[Session, ...]
    truncation: Truncation | None = None

    @property
    def dates(self) -> tuple[dt.date, ...]:
        return tuple(s.date for s in self.sessions)


def propose(request: ScheduleRequest) -> Schedule:
    """Propose the course's session dates from the request's plan and rules."""
    planned = planned_dates(request.phases, request.first_date)
    kept, truncation = _cap(request, len(planned))
    sessions: list[Session] = []
    previous: dt.date | None = None
    for planned_date in planned[:kept]:
        earliest, why = _earliest(request, previous)
        day, reasons = planned_date, []
        if earliest is not None and earliest > day:
            day, reasons = earliest, [why]
        day, closed = _next_open(request, day)
        if closed:
            reasons.append(f"closed: {closed}")
        sessions.append(Session(day, planned_date, tuple(reasons)))
        previous = day
    return Schedule(request, tuple(sessions), truncation)


def move(schedule: Schedule, index: int, new_date: dt.date) -> Schedule:
    """Move session ``index`` (0-based) to ``new_date``; later sessions follow only as needed.

    A later session that already keeps its minimum gap from the one before stays where it
    is; one that does not moves to the earliest date that keeps it, then to the next open
    day. A new date that is closed, or too close to the session before (or to the patient's
    history, for the first session), is refused with a ``ScheduleError`` naming the rule.
    """
    request, sessions = schedule.request, list(schedule.sessions)
    if not isinstance(index, int) or not 0 <= index < len(sessions):
        raise ScheduleError("index", f"must be between 0 and {len(sessions) - 1}")
    _check_date(new_date, "new_date")
    latest = request.first_date + dt.timedelta(days=MAX_SPAN_DAYS)
    if new_date > latest:
        raise ScheduleError("new_date", f"must be on or before {latest.isoformat()}")
    previous = sessions[index - 1].date if index else None
    earliest, why = _earliest(request, previous)
    if earliest is not None and new_date < earliest:
        raise ScheduleError("new_date", f"{why}: earliest {earliest.isoformat()}")
    closed = _closed_reason(request, new_date)
    if closed:
        raise ScheduleError("new_date", f"the clinic is closed: {closed}")

    moved = sessions[index]
    hand = () if new_date == moved.planned_date else (MOVED_BY_HAND,)
    sessions[index] = Session(new_date, moved.planned_date, hand)
    for j in range(index + 1, len(sessions)):
        earliest, why = _earliest(request, sessions[j - 1].date)
        if earliest is not None and sessions[j].date < earliest:
            day, closed = _next_open(request, earliest)
            reasons = (why, f"closed: {closed}") if closed else (why,)
            sessions[j] = Session(day, sessions[j].planned_date, reasons)
    return replace(schedule, sessions=tuple(sessions))


def planned_dates(phases: tuple[Phase, ...], first_date: dt.date) -> tuple[dt.date, ...]:
    """The protocol's dates before any rule moves them (see the module docstring)."""
    dates = [first_date]
    for i, phase in enumerate(phases):
        # The first phase's first session is first_date itself; every other session is
        # its phase's interval after the session before.
        for _ in range(phase.count - 1 if i == 0 else phase.count):
            dates.append(dates[-1] + dt.timedelta(days=phase.every_days))
    return tuple(dates)


def _cap(request: ScheduleRequest, planned: int) -> tuple[int, Truncation | None]:
    """How many planned sessions the products' course caps allow, and the binding cap."""
    kept, truncation = planned, None
    for rule in request.products:
        if rule.max_sessions_per_course is None:
            continue
        given = sum(
            1
            for day in rule.previous_dates
            if request.course_start is None or day >= request.course_start
        )
        allowed = max(0, rule.max_sessions_per_course - given)
        if allowed < kept:
            text = f"max {rule.max_sessions_per_course} sessions per course for {rule.product}"
            if given:
                text += f" ({given} already given)"
            kept, truncation = allowed, Truncation(rule.product, text, planned, allowed)
    return kept, truncation


def _earliest(request: ScheduleRequest, previous: dt.date | None) -> tuple[dt.date | None, str]:
    """The earliest date the next session may take, and the rule that sets it.

    ``previous`` is the session before (``None`` for the first, which is held to the
    patient's history instead). Every session is at least a day after the one before; a
    product's minimum interval that reaches further wins, the first listed on a tie.
    """
    anchors = {r.product: previous or max(r.previous_dates, default=None) for r in request.products}
    last = previous or max((d for d in anchors.values() if d is not None), default=None)
    if last is None:
        return None, ""
    earliest, why = last + dt.timedelta(days=1), AFTER_PREVIOUS
    for rule in request.products:
        anchor = anchors[rule.product]
        if anchor is None or rule.min_interval_days == 0:
            continue
        candidate = anchor + dt.timedelta(days=rule.min_interval_days)
        if candidate > earliest or (candidate == earliest and why == AFTER_PREVIOUS):
            earliest = candidate
            why = f"min interval {rule.min_interval_days} days for {rule.product}"
    return earliest, why


def _closed_reason(request: ScheduleRequest, day: dt.date) -> str | None:
    """Why the clinic is shut on ``day`` ("holiday" or the weekday), or ``None`` if open."""
    if day in request.closed_dates:
        return "holiday"
    if day.weekday() not in request.opening_weekdays:
        return WEEKDAY_NAMES[day.weekday()]
    return None


def _next_open(request: ScheduleRequest, day: dt.date) -> tuple[dt.date, str | None]:
    """The first open day on or after ``day``, and why ``day`` itself was closed."""
    reason = _closed_reason(request, day)
    while _closed_reason(request, day):
        day += dt.timedelta(days=1)
    return day, reason


def _check_date(value: object, field: str) -> None:
    # datetime is a subclass of date; a time of day here would be a caller's mistake.
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ScheduleError(field, "must be a date")


def _check_whole(value: object, field: str, minimum: int, maximum: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScheduleError(field, "must be a whole number")
    if value < minimum:
        raise ScheduleError(field, f"must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise ScheduleError(field, f"must be at most {maximum}")
