"""One row per plan, the time point's candidates chosen by the database (issue 17's benchmark).

Reading every value of a measure into Python cost most of an analysis (60,000 rows: the
database's scan, a date and a float converted per value, then a loop per plan). This module
asks one query for what the analysis keeps per plan: the latest baseline (within the date
filter), the last signed session, the grouping fields and, among the later values at the
baseline's site, at most two candidates: the value nearest the time point within the window
and the last value on or before the window's end. `core.change.match` then decides between
them exactly as it decides over all the values, since the one it would pick is always one
of the two (nearest in the window: earlier day, then smaller value, on a tie; carried
forward: the latest day, then the larger value).

The query is composed from the ORM's own SQL of the scoped querysets (the values through
`analytics.access`, the clinic's plans and signed sessions), so scoping is not repeated by
hand; only the windows and ranks are written here. Day differences are the one thing the
two databases spell differently.
"""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import F, FloatField, QuerySet
from django.db.models.functions import Cast, TruncDate

from mesochart.planning.models import Plan
from mesochart.treatments.models import TreatmentSession

if TYPE_CHECKING:
    from mesochart.analytics.rows import Query


@dataclass(frozen=True)
class Found:
    """What one plan contributes; dates are dates on both databases."""

    plan_id: int
    patient_id: int
    indication: str
    protocol: str | None
    clinic: str
    born: date
    sex: str
    fitzpatrick: str
    baseline: float
    baseline_day: date
    area: str
    session_id: int | None
    session_day: date | None
    cocktail: str | None
    cocktail_version: int | None
    first_name: str | None
    last_name: str | None
    username: str | None
    deviation: str | None
    candidates: tuple[tuple[date, float], ...]


def _values(values: QuerySet, query: "Query") -> QuerySet:
    rows = values.filter(measure=query.measure, value__isnull=False)
    if query.protocol:
        rows = rows.filter(plan__protocol_id=query.protocol)
    return rows.order_by().values(
        v_plan=F("plan_id"), v_pk=F("pk"), v_day=F("measured_on"),
        v_number=Cast("value", FloatField()), v_context=F("context"), v_site=F("site"),
        v_area=F("area"),
    )  # fmt: skip


def _sessions(clinic) -> QuerySet:
    signed = TreatmentSession.objects.filter(clinic=clinic, status="signed").order_by()
    return signed.values(
        s_pk=F("pk"), s_plan=F("plan_id"), s_started=F("started_at"),
        s_day=TruncDate("started_at", tzinfo=ZoneInfo(clinic.time_zone)),
        s_cocktail=F("cocktail_version__cocktail__name"),
        s_version=F("cocktail_version__number"), s_first=F("practitioner__first_name"),
        s_last=F("practitioner__last_name"), s_username=F("practitioner__username"),
        s_deviation=F("deviation_justification"),
    )  # fmt: skip


def _plans(clinic) -> QuerySet:
    plans = Plan.objects.filter(clinic=clinic).order_by()
    return plans.values(
        p_pk=F("pk"), p_patient=F("patient_id"), p_indication=F("indication"),
        p_protocol=F("protocol__name"), p_clinic=F("clinic__name"),
        p_born=F("patient__date_of_birth"), p_sex=F("patient__sex_at_birth"),
        p_fitzpatrick=F("patient__fitzpatrick_type"),
    )  # fmt: skip


def _days_between(later: str, earlier: str) -> str:
    """Whole days from ``earlier`` to ``later`` (two date expressions), as an integer."""
    if connection.vendor == "sqlite":
        # julianday() of a date is a whole day plus .5, so the difference is exact.
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"
    return f"({later} - {earlier})"


def _sql(values: QuerySet, query: "Query", clinic, days: int, window_days: int):
    values_sql, values_params = values.query.sql_with_params()
    sessions_sql, sessions_params = _sessions(clinic).query.sql_with_params()
    plans_sql, plans_params = _plans(clinic).query.sql_with_params()
    in_range, range_params = "", []
    for bound, op in ((query.date_from, ">="), (query.date_to, "<=")):
        if bound is not None:
            in_range += f" AND v_day {op} %s"
            range_params.append(connection.ops.adapt_datefield_value(bound))
    since = _days_between("v_day", "s_day")
    # Interpolated: the ORM's compiled SQL and this module's fixed fragments; every value,
    # the dates and numbers of the query included, is a parameter.
    sql = f"""
WITH v AS ({values_sql}),
s AS (SELECT s0.*, ROW_NUMBER() OVER (PARTITION BY s_plan ORDER BY s_started DESC, s_pk DESC)
      AS s_rank FROM ({sessions_sql}) s0),
b AS (SELECT v_plan AS b_plan, v_number AS b_value, v_day AS b_day, v_site AS b_site,
      v_area AS b_area,
      ROW_NUMBER() OVER (PARTITION BY v_plan ORDER BY v_day DESC, v_pk DESC) AS b_rank
      FROM v WHERE v_context = 'baseline'{in_range}),
f AS (SELECT v_plan AS f_plan, v_day AS f_day, v_pk AS f_pk,
      ROW_NUMBER() OVER (PARTITION BY v_plan ORDER BY v_day, v_pk) AS f_rank FROM v),
p AS (SELECT * FROM b LEFT JOIN s ON s_plan = b_plan AND s_rank = 1 WHERE b_rank = 1),
c AS (SELECT v_plan AS c_plan, v_day AS c_day, v_number AS c_value, {since} AS c_since
      FROM v JOIN p ON v_plan = b_plan
      WHERE v_context <> 'baseline' AND v_site = b_site AND {since} BETWEEN 0 AND %s),
n AS (SELECT c_plan AS n_plan, c_day AS n_day, c_value AS n_value,
      ROW_NUMBER() OVER (PARTITION BY c_plan ORDER BY ABS(c_since - %s), c_since, c_value)
      AS n_rank FROM c WHERE ABS(c_since - %s) <= %s),
l AS (SELECT c_plan AS l_plan, c_day AS l_day, c_value AS l_value,
      ROW_NUMBER() OVER (PARTITION BY c_plan ORDER BY c_day DESC, c_value DESC) AS l_rank
      FROM c),
pl AS ({plans_sql})
SELECT b_plan, p_patient, p_indication, p_protocol, p_clinic, p_born, p_sex, p_fitzpatrick,
       b_value, b_day, b_area, s_pk, s_day, s_cocktail, s_version, s_first, s_last,
       s_username, s_deviation, n_day, n_value, l_day, l_value
FROM p
JOIN f ON f_plan = b_plan AND f_rank = 1
JOIN pl ON p_pk = b_plan
LEFT JOIN n ON n_plan = b_plan AND n_rank = 1
LEFT JOIN l ON l_plan = b_plan AND l_rank = 1
ORDER BY f_day, f_pk
"""  # noqa: S608
    params = [
        *values_params, *sessions_params, *range_params, days + window_days,
        days, days, window_days, *plans_params,
    ]  # fmt: skip
    return sql, params


def _day(value: Any) -> Any:
    """A date from the database: SQLite returns the ISO text."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def found(values: QuerySet, query: "Query", clinic, days: int, window_days: int) -> list[Found]:
    """Per plan with a baseline in range, in the order of the plan's first value."""
    sql, params = _sql(_values(values, query), query, clinic, days, window_days)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [_found(row) for row in rows]


def _found(row) -> Found:
    *head, n_day, n_value, l_day, l_value = row
    candidates = tuple(
        (_day(day), value) for day, value in ((n_day, n_value), (l_day, l_value)) if day
    )
    head[5], head[9], head[12] = _day(head[5]), _day(head[9]), _day(head[12])
    return Found(*head, candidates=candidates)
