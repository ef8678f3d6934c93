"""Plain rows for `core.change`: one `Series` per plan, read in a fixed number of queries.

Read-only. Whatever the number of patients, an analysis is three queries (the values, the
plans with their patients and protocols, the signed sessions with their cocktail version
and practitioner) plus one for the products and lots when grouping by them. The grouping
is taken from the plan's *last signed session* (cocktail, version, practitioner, products,
lots): the one whose effect the follow-up measures. A series is one measure at one site,
the site of the plan's latest baseline value, as on the progress page.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import FloatField
from django.db.models.functions import Cast
from django.urls import reverse

from mesochart.core.change import Series
from mesochart.planning.models import Plan
from mesochart.treatments.models import SessionProduct, TreatmentSession

GROUPINGS = {
    "protocol": "Protocol",
    "cocktail": "Cocktail",
    "cocktail_version": "Cocktail and version",
    "product": "Products",
    "lot": "Lots",
    "practitioner": "Practitioner",
    # Whether the last signed session was signed as a deviation from its plan.
    "deviation": "Deviation from the plan",
    "clinic": "Clinic",
    "indication": "Indication",
    "area": "Area",
    "fitzpatrick": "Fitzpatrick skin type",
    "age_band": "Age band",
    "sex": "Sex at birth",
}
AGE_BANDS = ((0, 30, "under 30"), (30, 40, "30–39"), (40, 50, "40–49"), (50, 60, "50–59"))


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
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return next((label for lo, hi, label in AGE_BANDS if lo <= age < hi), "60 and over")


def series(values, query: Query, clinic, with_links: bool) -> list[Series]:
    """``values`` is the clinic's scoped queryset (`analytics.access.values_for`)."""
    rows = values.filter(measure=query.measure, value__isnull=False)
    if query.protocol:
        rows = rows.filter(plan__protocol_id=query.protocol)
    by_plan = _values_by_plan(rows)
    plans = _plans(clinic)
    sessions = _last_sessions(clinic, ZoneInfo(clinic.time_zone))
    products = _products(clinic) if query.grouping in ("product", "lot") else {}
    # One reverse() for all the links (it costs more than the statistics at 10,000 rows).
    chart = reverse("outcomes:progress", args=[0]).replace("/0/", "/{}/") if with_links else ""
    keyed = pseudonymiser()
    found = []
    for plan_id, values_of_plan in by_plan.items():
        baseline = _baseline(values_of_plan, query)
        if baseline is None:
            continue
        plan, session = plans[plan_id], sessions.get(plan_id)
        last_day = session["day"] if session else None
        later = tuple(
            (day, value)
            for day, value, context, site, _area in values_of_plan
            if context != "baseline" and site == baseline[2] and last_day and day >= last_day
        )
        group = _group(query.grouping, plan, session, products, baseline, clinic)
        link = chart.format(plan_id) if with_links else ""
        key = pseudonym(clinic.organisation_id, plan["patient_id"], keyed)
        found.append(Series(key, group, baseline[1], last_day, later, link))
    return found


def _values_by_plan(rows) -> dict[int, list]:
    by_plan: dict[int, list] = {}
    # As a float in SQL: a Decimal per value is the slowest part of reading 50,000 rows.
    fields = ("plan_id", "measured_on", "number", "context", "site", "area")
    ordered = rows.annotate(number=Cast("value", FloatField())).order_by("measured_on", "pk")
    for plan_id, day, value, context, site, area in ordered.values_list(*fields):
        by_plan.setdefault(plan_id, []).append((day, value, context, site, area))
    return by_plan


def _baseline(values_of_plan, query: Query):
    """The plan's latest baseline (day, value, site, area) within the date filter."""
    baselines = [
        (day, value, site, area)
        for day, value, context, site, area in values_of_plan
        if context == "baseline"
        and (query.date_from is None or day >= query.date_from)
        and (query.date_to is None or day <= query.date_to)
    ]
    return baselines[-1] if baselines else None


# Plans and sessions are read for the whole clinic, not "those with a value": a subquery on
# the values (with their voided-patient and amendment joins) costs PostgreSQL 5x more.
def _plans(clinic) -> dict[int, dict]:
    fields = (
        "pk", "patient_id", "indication", "protocol__name", "clinic__name",
        "patient__date_of_birth", "patient__sex_at_birth", "patient__fitzpatrick_type",
    )  # fmt: skip
    plans = Plan.objects.filter(clinic=clinic).values(*fields)
    return {plan["pk"]: plan for plan in plans}


def _last_sessions(clinic, zone) -> dict[int, dict]:
    """Each plan's last signed session."""
    fields = (
        "pk", "plan_id", "started_at", "cocktail_version__number",
        "cocktail_version__cocktail__name", "practitioner__first_name",
        "practitioner__last_name", "practitioner__username", "deviation_justification",
    )  # fmt: skip
    signed = TreatmentSession.objects.filter(clinic=clinic, status="signed")
    found = {}
    for session in signed.order_by("started_at", "pk").values(*fields):
        session["day"] = session["started_at"].astimezone(zone).date()
        found[session["plan_id"]] = session
    return found


def _products(clinic) -> dict[int, tuple[list[str], list[str]]]:
    """Products and lots per signed session of the clinic (no list of ids: it would grow)."""
    used: dict[int, tuple[list[str], list[str]]] = {}
    signed = {"session__clinic": clinic, "session__status": "signed"}
    rows = SessionProduct.objects.filter(**signed).order_by("position")
    for session_id, product, lot in rows.values_list(
        "session_id", "product__name", "lot__lot_number"
    ):
        names, lots = used.setdefault(session_id, ([], []))
        names.append(product)
        lots.append(f"{product} {lot}")
    return used


def _group(grouping: str, plan, session, products, baseline, clinic) -> str:
    if grouping == "protocol":
        return plan["protocol__name"] or "no protocol"
    if grouping == "indication":
        return plan["indication"]
    if grouping == "clinic":
        return plan["clinic__name"]
    if grouping == "area":
        return baseline[3] or "no area"
    if grouping == "fitzpatrick":
        return plan["patient__fitzpatrick_type"] or "not recorded"
    if grouping == "sex":
        return plan["patient__sex_at_birth"]
    if grouping == "age_band":
        return age_band(plan["patient__date_of_birth"], baseline[0])
    if session is None:
        return "no signed session"
    if grouping == "cocktail":
        return session["cocktail_version__cocktail__name"]
    if grouping == "cocktail_version":
        return (
            f"{session['cocktail_version__cocktail__name']} v{session['cocktail_version__number']}"
        )
    if grouping == "deviation":
        return "with a deviation" if session["deviation_justification"] else "as planned"
    if grouping == "practitioner":
        first, last = session["practitioner__first_name"], session["practitioner__last_name"]
        return f"{first} {last}".strip() or session["practitioner__username"]
    names, lots = products.get(session["pk"], ([], []))
    chosen = names if grouping == "product" else lots
    return " + ".join(sorted(set(chosen))) or "none recorded"
