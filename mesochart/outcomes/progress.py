"""The progress of one plan: each measure over time, change from baseline, in plain words.

`build` reads the plan's current values and sessions in a fixed number of queries (values,
sessions, the sessions' lots), whatever the history, and returns dataclasses the template
and the chart data use as they are.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _

from mesochart.core import measures
from mesochart.core.measures import Better, Kind, Measure
from mesochart.core.scores import Change, bmi, change
from mesochart.lib import l10n
from mesochart.outcomes.models import ClinicItem, Context, OutcomeValue, RaterRole
from mesochart.outcomes.protocols import FollowUp, follow_ups_for
from mesochart.treatments.models import SessionProduct, TreatmentSession


@dataclass
class Point:
    day: date
    number: Decimal | None  # the value, a composite's total or an ordinal level's rank
    text: str  # what a person reads: "55.5 cm", "Much improved (1–5 coding: 2)", "8 moderate"
    context: str
    rater: str


@dataclass
class Series:
    measure: Measure
    site: str
    points: list[Point] = field(default_factory=list)
    change: Change | None = None
    sentence: str = ""

    @property
    def key(self) -> str:
        return f"{self.measure.code}:{self.site}"

    def rows(self) -> str:
        """The table rows of the points (built here: a 200-value series renders in a
        fraction of the template loop's time; every value is escaped)."""
        return format_html_join(
            "\n",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((l10n.day(p.day), p.text, p.context, p.rater) for p in self.points),
        )

    @property
    def title(self) -> str:
        name = gettext(self.measure.name)
        return f"{name} ({self.site})" if self.site else name


@dataclass
class SessionMark:
    pk: int
    number: int
    day: date
    cocktail: str
    lots: list[str]

    @property
    def text(self) -> str:
        lots = ", ".join(self.lots) or _("no lot recorded")
        return _("Session %(n)s, %(day)s: %(cocktail)s; lots %(lots)s") % {
            "n": self.number, "day": l10n.day(self.day), "cocktail": self.cocktail, "lots": lots
        }  # fmt: skip


@dataclass
class Progress:
    series: list[Series]
    sessions: list[SessionMark]
    follow_ups: list[FollowUp]


def value_text(measure: Measure, value) -> tuple[Decimal | None, str]:
    """The number plotted and the text shown for ``value`` (a row of `SHOWN`)."""
    if value.not_measured_reason:
        return None, _("not measured: %s") % value.not_measured_reason
    if measure.kind == Kind.ORDINAL:
        level = measure.level(value.level)
        coding = measure.coding(value.coding)
        text = gettext(level.label) if level else value.level
        if coding:
            text += _(" (%(coding)s coding: %(n)s)") % {
                "coding": coding.code, "n": coding.numbers.get(value.level)
            }  # fmt: skip
        return (Decimal(level.rank) if level else None), text
    if value.value is None:
        missing = [i.code for i in measure.items if i.code not in (value.items or {})]
        return None, _("total not computed: item %s missing") % ", ".join(missing)
    number = value.value.normalize()
    text = f"{l10n.number(number, 'f')} {measure.unit}".strip()
    return value.value, f"{text} {value.band}".strip()


def _sessions(plan) -> list[SessionMark]:
    rows = list(
        TreatmentSession.objects.filter(plan=plan)
        .signed()
        .select_related("cocktail_version__cocktail")
        .only("started_at", "cocktail_version")  # not the points: a marker needs none
        .order_by("started_at")
    )
    lots: dict[int, list[str]] = {}
    products = SessionProduct.objects.filter(session__in=rows).order_by("position", "pk")
    for session_id, lot_number in products.values_list("session_id", "lot__lot_number"):
        lots.setdefault(session_id, []).append(lot_number)
    zone = timezone.get_current_timezone()
    return [
        SessionMark(
            s.pk,
            number,
            timezone.localtime(s.started_at, zone).date(),
            str(s.cocktail_version),
            lots.get(s.pk, []),
        )
        for number, s in enumerate(rows, start=1)
    ]


SHOWN = (
    "measure", "site", "measured_on", "value", "level", "coding", "items", "band",
    "not_measured_reason", "context", "rater_role", "clinic_item",
)  # fmt: skip


def own_measures(values) -> dict:
    """The measures of the clinic's own items the values answered, by version (one query):
    each answer reads as the question it was asked with."""
    ids = {value.clinic_item for value in values if value.clinic_item}
    return {row.pk: row.measure() for row in ClinicItem.objects.filter(pk__in=ids)} if ids else {}


def build(plan) -> Progress:
    values = list(
        OutcomeValue.objects.filter(plan=plan)
        .current()
        .order_by("measured_on", "recorded_at")
        .values_list(*SHOWN, named=True)  # rows, not model instances: read, never saved
    )
    contexts = {code: str(label) for code, label in Context.choices}
    raters = {code: str(label) for code, label in RaterRole.choices}
    sessions = _sessions(plan)
    series: dict[tuple[str, str], Series] = {}
    own = own_measures(values)
    for value in values:
        measure = own.get(value.clinic_item) or measures.get(value.measure)
        if measure is None:
            continue
        one = series.setdefault((measure.code, value.site), Series(measure, value.site))
        number, text = value_text(measure, value)
        when, rater = contexts[value.context], raters[value.rater_role]
        one.points.append(Point(value.measured_on, number, text, when, rater))
    _add_bmi(series, plan.patient)
    last = sessions[-1].day if sessions else None
    for one in series.values():
        _describe(one, sessions)
    follow_days = [v.measured_on for v in values if v.context == Context.FOLLOW_UP]
    return Progress(list(series.values()), sessions, follow_ups_for(plan, last, follow_days))


def follow_ups_of(plan, values, sessions) -> list[FollowUp]:
    """The follow-ups due after the plan's last signed session (values and sessions as the
    values page already read them)."""
    signed = [s.started_at for s in sessions if s.status == "signed"]
    last = timezone.localtime(max(signed)).date() if signed else None
    days = [v.measured_on for v in values if v.context == Context.FOLLOW_UP]
    return follow_ups_for(plan, last, days)


def _add_bmi(series: dict, patient) -> None:
    """BMI is computed from each weight and the patient's height, never typed."""
    weights = series.get(("weight", ""))
    if weights is None or not patient.height_cm:
        return
    measure = measures.BY_CODE["bmi"]
    one = series.setdefault(("bmi", ""), Series(measure, ""))
    for point in weights.points:
        value = bmi(point.number, patient.height_cm) if point.number is not None else None
        text = f"{l10n.number(value)} {measure.unit}" if value is not None else point.text
        one.points.append(Point(point.day, value, text, point.context, point.rater))


def _describe(one: Series, sessions: list[SessionMark]) -> None:
    measured = [p for p in one.points if p.number is not None]
    if len(measured) < 2:
        one.sentence = _("%(name)s: one value so far (%(text)s).") % {
            "name": one.title, "text": measured[0].text if measured else _("none measured")
        }  # fmt: skip
        return
    first, latest = measured[0], measured[-1]
    when = _when(latest.day, sessions)
    if one.measure.kind == Kind.ORDINAL:
        one.sentence = _("%(name)s: %(then)s at baseline, %(now)s %(when)s.") % {
            "name": one.title, "then": first.text, "now": latest.text, "when": when
        }  # fmt: skip
        return
    numbers = [p.number for p in measured if p.number is not None]  # all of them
    one.change = change(numbers[0], numbers[-1], one.measure.better)
    amount = f"{l10n.number(abs(one.change.difference).normalize(), 'f')} {one.measure.unit}"
    amount = amount.strip()
    if one.change.difference == 0:
        how = _("%(name)s unchanged since baseline, %(when)s.")
    elif one.change.difference < 0:
        how = _("%(name)s %(amount)s less than at baseline, %(when)s.")
    else:
        how = _("%(name)s %(amount)s more than at baseline, %(when)s.")
    one.sentence = how % {"name": one.title, "amount": amount, "when": when}
    if one.change.percent is not None and one.change.difference != 0:
        one.sentence += " " + _("(%(percent)s %%)") % {
            "percent": l10n.number(one.change.percent, "+")
        }
    if one.change.improved is not None and one.measure.better != Better.NONE:
        one.sentence += " " + (_("Better.") if one.change.improved else _("Not better."))


def _when(day: date, sessions: list[SessionMark]) -> str:
    total = len(sessions)
    if not total:
        return _("before any session")
    done = sum(1 for s in sessions if s.day <= day)
    if done < total:
        return ngettext(
            "after %(done)s of %(total)s session", "after %(done)s of %(total)s sessions", total
        ) % {"done": done, "total": total}
    weeks = (day - sessions[-1].day).days // 7
    return ngettext(
        "%(weeks)s week after the last of %(total)s sessions",
        "%(weeks)s weeks after the last of %(total)s sessions",
        weeks,
    ) % {"weeks": weeks, "total": total}


def chart_data(progress: Progress) -> dict:
    """What the chart script draws: per series the days (Unix seconds, UTC midnight), the
    numbers, the texts shown on hover, and for an ordinal scale its level labels; and the
    sessions as markers with their cocktail and lots."""

    def seconds(day: date) -> int:
        return int((day - date(1970, 1, 1)).total_seconds())

    return {
        "series": [
            {
                "key": one.key,
                "title": one.title,
                "unit": one.measure.unit,
                "levels": [gettext(level.label) for level in one.measure.levels],
                "x": [seconds(p.day) for p in one.points if p.number is not None],
                "y": [float(p.number) for p in one.points if p.number is not None],
                "hover": [
                    f"{l10n.day(p.day)}: {p.text}" for p in one.points if p.number is not None
                ],
            }
            for one in progress.series
        ],
        "sessions": [{"x": seconds(s.day), "text": s.text} for s in progress.sessions],
    }
