"""The rows as `rows.series` read them before the time point was matched in SQL (issue 17's
benchmark), kept unchanged as the oracle the faster path must equal: every value of the
measure read into Python, grouped by plan, the follow-ups filtered there."""

from zoneinfo import ZoneInfo

from django.db.models import FloatField
from django.db.models.functions import Cast
from django.urls import reverse

from mesochart.analytics.rows import Query, _products, age_band, pseudonym, pseudonymiser
from mesochart.core.change import Series
from mesochart.planning.models import Plan
from mesochart.treatments.models import TreatmentSession


def series(values, query: Query, clinic, with_links: bool) -> list[Series]:
    rows = values.filter(measure=query.measure, value__isnull=False)
    if query.protocol:
        rows = rows.filter(plan__protocol_id=query.protocol)
    by_plan = _values_by_plan(rows)
    plans = _plans(clinic)
    sessions = _last_sessions(clinic, ZoneInfo(clinic.time_zone))
    products = _products(clinic) if query.grouping in ("product", "lot") else {}
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
        group = _group(query.grouping, plan, session, products, baseline)
        link = chart.format(plan_id) if with_links else ""
        key = pseudonym(clinic.organisation_id, plan["patient_id"], keyed)
        found.append(Series(key, group, baseline[1], last_day, later, link))
    return found


def _values_by_plan(rows) -> dict[int, list]:
    by_plan: dict[int, list] = {}
    fields = ("plan_id", "measured_on", "number", "context", "site", "area")
    ordered = rows.annotate(number=Cast("value", FloatField())).order_by("measured_on", "pk")
    for plan_id, day, value, context, site, area in ordered.values_list(*fields):
        by_plan.setdefault(plan_id, []).append((day, value, context, site, area))
    return by_plan


def _baseline(values_of_plan, query: Query):
    baselines = [
        (day, value, site, area)
        for day, value, context, site, area in values_of_plan
        if context == "baseline"
        and (query.date_from is None or day >= query.date_from)
        and (query.date_to is None or day <= query.date_to)
    ]
    return baselines[-1] if baselines else None


def _plans(clinic) -> dict[int, dict]:
    fields = (
        "pk", "patient_id", "indication", "protocol__name", "clinic__name",
        "patient__date_of_birth", "patient__sex_at_birth", "patient__fitzpatrick_type",
    )  # fmt: skip
    plans = Plan.objects.filter(clinic=clinic).values(*fields)
    return {plan["pk"]: plan for plan in plans}


def _last_sessions(clinic, zone) -> dict[int, dict]:
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


def _group(grouping: str, plan, session, products, baseline) -> str:
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
