"""Plain rows for `core.change`: one `Series` per plan, read in a fixed number of queries.

Read-only. Whatever the number of patients, an analysis is one query (`matching`: per plan
its baseline, last signed session, grouping fields and the time point's candidates) plus
one for the products and lots when grouping by them. The grouping
is taken from the plan's *last signed session* (cocktail, version, practitioner, products,
lots): the one whose effect the follow-up measures. A series is one measure at one site,
the site of the plan's latest baseline value, as on the progress page.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.urls import reverse

from mesochart.analytics import matching
from mesochart.core.change import Series, TimePoint
from mesochart.treatments.models import SessionProduct

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


def series(values, query: Query, point: TimePoint, clinic, with_links: bool) -> list[Series]:
    """``values`` is the clinic's scoped queryset (`analytics.access.values_for`). Each
    series carries only the later values that can be the time point's follow-up
    (`matching`): `core.change.match` picks among them as it would among all."""
    products = _products(clinic) if query.grouping in ("product", "lot") else {}
    # One reverse() for all the links (it costs more than the statistics at 10,000 rows).
    chart = reverse("outcomes:progress", args=[0]).replace("/0/", "/{}/") if with_links else ""
    keyed = pseudonymiser()
    found = matching.found(values, query, clinic, point.days, point.window_days)
    return [
        Series(
            pseudonym(clinic.organisation_id, plan.patient_id, keyed),
            _group(query.grouping, plan, products),
            plan.baseline,
            plan.session_day,
            plan.candidates,
            chart.format(plan.plan_id),
        )
        for plan in found
    ]


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


def _group(grouping: str, plan: matching.Found, products) -> str:
    if grouping == "protocol":
        return plan.protocol or "no protocol"
    if grouping == "indication":
        return plan.indication
    if grouping == "clinic":
        return plan.clinic
    if grouping == "area":
        return plan.area or "no area"
    if grouping == "fitzpatrick":
        return plan.fitzpatrick or "not recorded"
    if grouping == "sex":
        return plan.sex
    if grouping == "age_band":
        return age_band(plan.born, plan.baseline_day)
    if plan.session_id is None:
        return "no signed session"
    if grouping == "cocktail":
        return str(plan.cocktail)
    if grouping == "cocktail_version":
        return f"{plan.cocktail} v{plan.cocktail_version}"
    if grouping == "deviation":
        return "with a deviation" if plan.deviation else "as planned"
    if grouping == "practitioner":
        return f"{plan.first_name} {plan.last_name}".strip() or str(plan.username)
    names, lots = products.get(plan.session_id, ([], []))
    chosen = names if grouping == "product" else lots
    return " + ".join(sorted(set(chosen))) or "none recorded"
