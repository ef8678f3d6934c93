"""Plain rows for `core.change`: one `Series` per plan, read in a fixed number of queries.

Read-only, from `MeasureSeries` (a row per plan and measure, kept by `series_table`), not
from the values themselves: whatever the number of patients, an analysis is one query (the
series joined to their plans, patients and last signed sessions) plus one for the products
and lots when grouping by them. The grouping
is taken from the plan's *last signed session* (cocktail, version, practitioner, products,
lots): the one whose effect the follow-up measures. A series is one measure at one site,
the site of the plan's latest baseline value, as on the progress page.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import connections
from django.db.models import FilteredRelation, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from mesochart.analytics.models import FollowUp
from mesochart.core.change import Missing, Series, TimePoint
from mesochart.patients.models import SexAtBirth
from mesochart.planning.models import Indication, indication_label
from mesochart.treatments.models import SessionProduct

GROUPINGS = {
    "protocol": _("Protocol"),
    "cocktail": _("Cocktail"),
    "cocktail_version": _("Cocktail and version"),
    "product": _("Products"),
    "lot": _("Lots"),
    "practitioner": _("Practitioner"),
    # Whether the last signed session was signed as a deviation from its plan.
    "deviation": _("Deviation from the plan"),
    "clinic": _("Clinic"),
    "indication": _("Indication"),
    "area": _("Area"),
    "fitzpatrick": _("Fitzpatrick skin type"),
    "age_band": _("Age band"),
    "sex": _("Sex at birth"),
}
AGE_BANDS = (
    (0, 30, gettext_noop("under 30")), (30, 40, "30–39"), (40, 50, "40–49"), (50, 60, "50–59")
)  # fmt: skip
OLDEST_BAND = gettext_noop("60 and over")


@dataclass(frozen=True)
class Query:
    measure: str
    grouping: str = "cocktail"
    date_from: date | None = None
    date_to: date | None = None
    protocol: int | None = None


def pseudonym(organisation_id: int, patient_id: int, keyed=None) -> str:
    """A stable key for a patient that says nothing without the secret (HMAC-SHA-256 of
    ``organisation:patient``, 16 hex digits). ``keyed``: `pseudonymiser()`, to reuse."""
    mac = (keyed or pseudonymiser()).copy()
    mac.update(f"{organisation_id}:{patient_id}".encode())
    return mac.hexdigest()[:16]


def pseudonymiser():
    """The HMAC keyed once (copying it is cheaper than keying it again per patient)."""
    return hmac.new(settings.ANALYTICS_PSEUDONYM_KEY.encode(), digestmod=hashlib.sha256)


def age_band(born: date, on: date) -> str:
    """The band of the age on ``on``, in English (`Words.ages` translates it)."""
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return next((label for lo, hi, label in AGE_BANDS if lo <= age < hi), OLDEST_BAND)


def series(
    stored, query: Query, point: TimePoint, missing: Missing, with_links: bool
) -> list[Series]:
    """``stored`` is the clinic's scoped `MeasureSeries` (`analytics.access.series_for`).

    Each series carries as ``later`` only the values `core.change.match` could pick at this
    time point, found by the database: those in the window and, for ``locf``, the last
    before the window's end. `match` choosing among these chooses what it would among all
    the values (the nearest in the window is among them; without one, the last before the
    end is).

    The rows are read from the cursor, not through the ORM's iterator and converters: at
    10,000 series each costs more than the statistics. Only the grouping's own columns are
    joined and read.
    """
    rows = stored.filter(measure=query.measure)
    if query.protocol:
        rows = rows.filter(plan__protocol_id=query.protocol)
    if query.date_from:
        rows = rows.filter(baseline_on__gte=query.date_from)
    if query.date_to:
        rows = rows.filter(baseline_on__lte=query.date_to)
    products = _products(rows) if query.grouping in ("product", "lot") else {}
    lo, hi = point.days - point.window_days, point.days + point.window_days
    window = Q(follow_ups__days__gte=lo, follow_ups__days__lte=hi)
    rows = rows.annotate(near=FilteredRelation("follow_ups", condition=window))
    carried = {}
    if missing == Missing.LOCF:
        before = FollowUp.objects.filter(series=OuterRef("pk"), days__lte=hi)
        before = before.order_by("-days", "-value")
        carried = {"carried_days": Subquery(before.values("days")[:1]),
                   "carried_value": Subquery(before.values("value")[:1])}  # fmt: skip
        rows = rows.annotate(**carried)
    chosen = rows.values_list(
        "plan_id", "patient_key", "baseline", "last_session_id", "last_session_day",
        "near__days", "near__value", *carried, *GROUP_COLUMNS[query.grouping],
    )  # fmt: skip
    sql, params = chosen.query.sql_with_params()
    with connections[chosen.db].cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    # One reverse() for all the links (it costs more than the statistics at 10,000 rows).
    chart = reverse("outcomes:progress", args=[0]).replace("/0/", "/{}/") if with_links else ""
    by = 9 if carried else 7  # where the grouping's columns start
    said = words()
    found: dict[int, Series] = {}
    for row in fetched:
        later: tuple[tuple[int, float], ...] = ((row[5], row[6]),) if row[5] is not None else ()
        seen = found.get(row[0])
        if seen is not None:  # its second value in the window: the join's second row
            found[row[0]] = seen._replace(later=seen.later + later)
            continue
        if carried and row[7] is not None:
            later += ((row[7], row[8]),)
        group = _group(query.grouping, row[3], row[by:], products, said)
        link = chart.format(row[0]) if with_links else ""
        found[row[0]] = Series(row[1], group, row[2], row[4], later, link)
    return list(found.values())


def _products(rows) -> dict[int, tuple[list[str], list[str]]]:
    """Products and lots of the analysed plans' last signed sessions (through a subquery, so
    no list of ids that would grow)."""
    used: dict[int, tuple[list[str], list[str]]] = {}
    chosen = SessionProduct.objects.filter(session__in=rows.values("last_session_id"))
    for session_id, product, lot in chosen.order_by("position").values_list(
        "session_id", "product__name", "lot__lot_number"
    ):
        names, lots = used.setdefault(session_id, ([], []))
        names.append(product)
        lots.append(f"{product} {lot}")
    return used


def _day(value) -> date:
    """A day as the driver returns it: a date (psycopg) or ISO text (sqlite3)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


_SESSION = "last_session__"
# The columns each grouping reads through the series' joins, as they now stand (a renamed
# cocktail or a corrected birth date shows at once); products and lots are read apart.
GROUP_COLUMNS: dict[str, tuple[str, ...]] = {
    "protocol": ("plan__protocol__name",),
    "indication": ("plan__indication",),
    "clinic": ("plan__clinic__name",),
    "area": ("area",),
    "fitzpatrick": ("patient__fitzpatrick_type",),
    "sex": ("patient__sex_at_birth",),
    "age_band": ("patient__date_of_birth", "baseline_on"),
    "cocktail": (f"{_SESSION}cocktail_version__cocktail__name",),
    "cocktail_version": (
        f"{_SESSION}cocktail_version__cocktail__name",
        f"{_SESSION}cocktail_version__number",
    ),
    "deviation": (f"{_SESSION}deviation_justification",),
    "practitioner": tuple(
        f"{_SESSION}practitioner__{name}" for name in ("first_name", "last_name", "username")
    ),
    "product": (),
    "lot": (),
}
_OF_PLAN = ("protocol", "indication", "clinic", "area", "fitzpatrick", "sex", "age_band")


@dataclass(frozen=True)
class Words:
    """The group names mesochart makes itself, in the reader's language: looked up once per
    analysis, not once per patient (a translation costs more than the row it names)."""

    no_session: str
    deviation: str
    as_planned: str
    none_recorded: str
    no_protocol: str
    no_area: str
    not_recorded: str
    sexes: dict[str, str]
    indications: dict[str, str]
    ages: dict[str, str]


def words() -> Words:
    ages = [label for _lo, _hi, label in AGE_BANDS] + [OLDEST_BAND]
    return Words(
        gettext("no signed session"), gettext("with a deviation"), gettext("as planned"),
        gettext("none recorded"), gettext("no protocol"), gettext("no area"),
        gettext("not recorded"),
        {code: str(label) for code, label in SexAtBirth.choices},
        {code: indication_label(code) for code in Indication.values},
        {age: gettext(age) for age in ages},
    )  # fmt: skip


def _group(grouping: str, session_id: int | None, by, products, said: Words) -> str:
    """The group's name, from the grouping's columns ``by`` (`GROUP_COLUMNS`)."""
    if grouping in _OF_PLAN:
        return _of_plan(grouping, said, *by)
    if session_id is None:
        return said.no_session
    if grouping == "cocktail":
        return by[0]
    if grouping == "cocktail_version":
        return f"{by[0]} v{by[1]}"
    if grouping == "deviation":
        return said.deviation if by[0] else said.as_planned
    if grouping == "practitioner":
        first, last, username = by
        return f"{first} {last}".strip() or username
    names, lots = products.get(session_id, ([], []))
    chosen = names if grouping == "product" else lots
    return " + ".join(sorted(set(chosen))) or said.none_recorded


def _of_plan(grouping: str, said: Words, *by) -> str:
    if grouping == "protocol":
        return by[0] or said.no_protocol
    if grouping == "area":
        return by[0] or said.no_area
    if grouping == "fitzpatrick":
        return by[0] or said.not_recorded
    if grouping == "age_band":
        born, on = by
        return said.ages[age_band(_day(born), _day(on))]
    if grouping == "sex":
        return said.sexes.get(by[0], by[0])
    if grouping == "indication":
        return said.indications.get(by[0], by[0])
    return by[0]  # clinic: always named
