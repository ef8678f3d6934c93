"""What a protocol names for its outcomes: the measures taken at baseline (and after), and
the follow-up visits after the last session.

A protocol's measures are a list of groups; a group is one or more codes of
`core.measures`, any one of which serves ("hair density, and Sinclair or Hamilton-Norwood":
``[["hair_density_total"], ["sinclair", "hamilton_norwood"]]``). Follow-ups are offsets after
the last session in weeks or months (``[{"weeks": 4}, {"months": 3}, {"months": 6}]``).

A measure rated against the baseline itself (GAIS: "improved compared with before") has no
baseline value, so it never holds up a plan's approval.

Errors are ``field: rule`` (``outcome_measures[1]: ...``), as every interface prints them.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from mesochart.core import measures
from mesochart.core.measures import Kind

# Rated as a change from the baseline, not as a state: nothing to record before treatment.
RATED_AGAINST_BASELINE = frozenset({"gais_investigator", "gais_subject"})


class OutcomePlanError(ValueError):
    def __init__(self, field: str, rule: str):
        super().__init__(f"{field}: {rule}")
        self.field, self.rule = field, rule


@dataclass(frozen=True)
class FollowUpOffset:
    """One follow-up visit, ``weeks`` and/or ``months`` after the last session."""

    weeks: int = 0
    months: int = 0

    @property
    def label(self) -> str:
        parts = []
        if self.months:
            parts.append(f"{self.months} month{'s' if self.months != 1 else ''}")
        if self.weeks:
            parts.append(f"{self.weeks} week{'s' if self.weeks != 1 else ''}")
        return " and ".join(parts)

    def due_after(self, last_session: date) -> date:
        return add_months(last_session + timedelta(weeks=self.weeks), self.months)

    def as_json(self) -> dict:
        return {k: v for k, v in (("weeks", self.weeks), ("months", self.months)) if v}


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has fewer days."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_measures(value, field: str = "outcome_measures") -> tuple[tuple[str, ...], ...]:
    """A stored or posted list of groups, checked against `core.measures`."""
    if not isinstance(value, list):
        raise OutcomePlanError(field, "must be a list of measure groups")
    groups, seen = [], set()
    for index, group in enumerate(value):
        where = f"{field}[{index}]"
        codes = [group] if isinstance(group, str) else group
        if not isinstance(codes, list) or not codes:
            raise OutcomePlanError(where, "must name at least one measure")
        for code in codes:
            measure = measures.get(code) if isinstance(code, str) else None
            if measure is None:
                raise OutcomePlanError(where, f"'{code}' is not a known measure")
            if measure.kind == Kind.COMPUTED:
                raise OutcomePlanError(where, f"'{code}' is computed from other values")
            if code in seen:
                raise OutcomePlanError(where, f"'{code}' is named twice")
            seen.add(code)
        groups.append(tuple(codes))
    return tuple(groups)


def parse_follow_ups(value, field: str = "follow_ups") -> tuple[FollowUpOffset, ...]:
    if not isinstance(value, list):
        raise OutcomePlanError(field, "must be a list of offsets after the last session")
    offsets = []
    for index, entry in enumerate(value):
        where = f"{field}[{index}]"
        if not isinstance(entry, dict) or set(entry) - {"weeks", "months"}:
            raise OutcomePlanError(where, "must give weeks and/or months")
        numbers = [entry.get("weeks", 0), entry.get("months", 0)]
        if any(isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in numbers):
            raise OutcomePlanError(where, "weeks and months must be whole numbers, 0 or more")
        if not any(numbers) or numbers[0] > 520 or numbers[1] > 120:
            raise OutcomePlanError(where, "must be after the last session, within 10 years")
        offsets.append(FollowUpOffset(*numbers))
    if offsets != sorted(offsets, key=_approximate_days):
        raise OutcomePlanError(field, "must be in order, the earliest first")
    return tuple(offsets)


def _approximate_days(offset: FollowUpOffset) -> float:
    return offset.weeks * 7 + offset.months * 30.44


def measures_text(groups: tuple[tuple[str, ...], ...]) -> str:
    """The edit page's words: measures by name, ``;`` between measures, ``|`` between
    alternatives: "Hair density, total; Sinclair | Hamilton-Norwood". (A name may hold a
    comma, never a semicolon or a bar.)"""
    return "; ".join(" | ".join(measures.BY_CODE[code].name for code in group) for group in groups)


def parse_measures_text(text: str) -> tuple[tuple[str, ...], ...]:
    """What `measures_text` writes, typed back: each measure by its name in any case (or by
    its code); a word that is neither is refused by `parse_measures`, as typed."""
    parts = [part.strip() for part in text.split(";") if part.strip()]
    return parse_measures([[_code_of(c) for c in part.split("|") if c.strip()] for part in parts])


# Each measure's code by its name in any case, for what a person types.
_BY_NAME = {m.name.casefold(): code for code, m in measures.BY_CODE.items()}


def _code_of(typed: str) -> str:
    word = " ".join(typed.split())
    return _BY_NAME.get(word.casefold(), word)


def follow_ups_text(offsets: tuple[FollowUpOffset, ...]) -> str:
    """``4w, 3m, 6m`` (``1m2w``: a month and two weeks)."""
    return ", ".join(
        (f"{o.months}m" if o.months else "") + (f"{o.weeks}w" if o.weeks else "") for o in offsets
    )


def parse_follow_ups_text(text: str) -> tuple[FollowUpOffset, ...]:
    entries = []
    for index, part in enumerate(p.strip().lower() for p in text.split(",") if p.strip()):
        entry, number = {}, ""
        for char in part.replace(" ", ""):
            if char.isdecimal():
                number += char
            elif char in "wm" and number:
                entry["weeks" if char == "w" else "months"] = int(number)
                number = ""
            else:
                number = "x"  # neither a digit nor a unit: refused below
                break
        if number or not entry:
            rule = "write each as weeks or months after the last session, e.g. '4w' or '3m'"
            raise OutcomePlanError(f"follow_ups[{index}]", rule)
        entries.append(entry)
    return parse_follow_ups(entries)


def missing_baselines(
    groups: tuple[tuple[str, ...], ...], at_baseline: set[str]
) -> list[tuple[str, ...]]:
    """The groups with no baseline yet: none of their codes in ``at_baseline`` (the codes
    recorded at baseline, as a value or as "not measured" with a reason). A group of
    measures rated against the baseline needs none."""
    return [
        group
        for group in groups
        if not set(group) <= RATED_AGAINST_BASELINE and not set(group) & at_baseline
    ]


@dataclass(frozen=True)
class FollowUp:
    label: str
    due_on: date
    recorded_on: date | None


def follow_ups(
    last_session: date | None, offsets: tuple[FollowUpOffset, ...], follow_up_days: list[date]
) -> list[FollowUp]:
    """The schedule from the last session; each due date is met by the first follow-up
    value on or after it and before the next due date."""
    if last_session is None:
        return []
    dues = [offset.due_after(last_session) for offset in offsets]
    result = []
    for index, offset in enumerate(offsets):
        end = dues[index + 1] if index + 1 < len(dues) else date.max
        met = min((d for d in follow_up_days if dues[index] <= d < end), default=None)
        result.append(FollowUp(offset.label, dues[index], met))
    return result
