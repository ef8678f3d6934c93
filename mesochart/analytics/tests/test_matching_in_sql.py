"""The time point matched by the database gives the very Analysis the old reading gave.

A seeded, synthetic clinic with what makes matching hard: several signed sessions per plan
(the last counts) and a draft, sessions late in the evening (the clinic's day is not UTC's),
no signed session at all, several baselines and some outside the date filter, follow-ups
missing, before the last session, at another site, equally near on both sides of the time
point, two on one day, amended and not-measured values. Every grouping, both ways of
handling missing data and several windows are compared with ``==`` (floats bit for bit)
against `tests.reference`, the reading as it was before.
"""

import hashlib
import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mesochart.analytics import access, analysis
from mesochart.analytics.rows import GROUPINGS, Query
from mesochart.analytics.tests import reference
from mesochart.analytics.tests.conftest import cocktail
from mesochart.conftest import Practice
from mesochart.core.change import Missing, TimePoint
from mesochart.outcomes.models import OutcomeValue
from mesochart.patients.models import Patient
from mesochart.planning.models import Plan, Protocol
from mesochart.treatments.models import TreatmentSession

POINTS = [TimePoint(28, 7), TimePoint(28, 0), TimePoint(90, 14), TimePoint(0, 3)]
START = date(2026, 1, 5)


def seed_clinic(practice: Practice, plans: int, seed: int = 17) -> Protocol:
    rng = random.Random(seed)
    membership = practice.membership(practice.practitioner)
    clinic, user = practice.clinic, practice.practitioner
    versions = [cocktail(membership, f"Mixed {seed}-{n}") for n in range(3)]
    protocol = Protocol.objects.create(
        clinic=clinic, slug=f"thighs-{seed}", name=f"Thighs {seed}", indication="cellulite"
    )
    patients = Patient.objects.bulk_create(
        Patient(organisation=practice.org, clinic=clinic, given_name="Seeded",
                family_name=f"S{n}", record_number=f"S{seed}-{n:05d}",
                date_of_birth=date(1960 + rng.randrange(40), 1 + rng.randrange(12), 1),
                sex_at_birth=rng.choice(["female", "male"]),
                fitzpatrick_type=rng.choice(["", "II", "IV"]),
                voided_at=datetime(2026, 6, 1, tzinfo=UTC) if n % 29 == 28 else None)
        for n in range(plans)
    )  # fmt: skip
    made = Plan.objects.bulk_create(
        Plan(clinic=clinic, patient=p, title="Seeded", created_by=user,
             indication=rng.choice(["cellulite", "localised_fat"]),
             protocol=protocol if rng.random() < 0.5 else None,
             cocktail_version=rng.choice(versions))
        for p in patients
    )  # fmt: skip
    sessions, values = [], []
    for plan in made:
        first = START + timedelta(days=rng.randrange(60))
        count = rng.choice([0, 1, 1, 2, 3])
        for k in range(count):
            # 22:30 to 01:30 UTC: around midnight in London, next day in Auckland.
            moment = datetime.combine(first + timedelta(days=14 * k), datetime.min.time(), UTC)
            moment += timedelta(hours=22, minutes=30 + 30 * rng.randrange(6))
            sessions.append(session(plan, rng.choice(versions), user, moment, "signed"))
        if rng.random() < 0.2:
            draft = datetime.combine(first + timedelta(days=200), datetime.min.time(), UTC)
            sessions.append(session(plan, plan.cocktail_version, user, draft, "draft"))
        last = first + timedelta(days=14 * max(count - 1, 0))
        values.extend(plan_values(rng, plan, user, first, last))
    TreatmentSession.objects.bulk_create(sessions)
    saved = OutcomeValue.objects.bulk_create(values)
    amend_some([v for v in saved if v.value is not None][::37])
    return protocol


def session(plan, version, user, moment, status):
    return TreatmentSession(
        clinic=plan.clinic, patient=plan.patient, plan=plan, cocktail_version=version,
        practitioner=user, status=status, started_at=moment, created_by=user,
        signed_at=moment if status == "signed" else None,
        deviation_justification="dose" if moment.day % 5 == 0 else "",
        content_hash=hashlib.sha256(f"{plan.pk}{moment}".encode()).hexdigest(),
    )  # fmt: skip


def plan_values(rng, plan, user, first: date, last: date):
    def value(context, day, number, site="left thigh", **extra):
        return OutcomeValue(
            clinic=plan.clinic, patient=plan.patient, plan=plan, measure="circumference",
            site=site, area=rng.choice(["", "thighs", "abdomen"]), rater_role="practitioner",
            recorded_by=user, context=context, measured_on=day,
            value=None if number is None else Decimal(f"{number:.1f}"), **extra,
        )  # fmt: skip

    base = rng.gauss(60, 5)
    for k in range(rng.choice([0, 1, 1, 1, 2])):
        yield value("baseline", first - timedelta(days=7 + 30 * k), base + k)
    if rng.random() < 0.2:
        yield value("baseline", first - timedelta(days=3), base, site="right thigh")
    for _ in range(rng.choice([0, 1, 2, 3, 5])):
        offsets = [-5, 0, 21, 25, 28, 31, 35, 40, 60, 85, 90, 95, 110, rng.randrange(130)]
        offset = rng.choice(offsets)
        day = last + timedelta(days=offset)
        yield value("follow_up", day, base + rng.gauss(-1, 1.5),
                    site="right thigh" if rng.random() < 0.1 else "left thigh")  # fmt: skip
        if rng.random() < 0.15:  # a second value the same day
            yield value("follow_up", day, base + rng.gauss(-1, 1.5))
    if rng.random() < 0.2:  # equally near before and after 28 days
        yield value("follow_up", last + timedelta(days=25), base - 1)
        yield value("follow_up", last + timedelta(days=31), base - 2)
    if rng.random() < 0.1:
        yield value("follow_up", last + timedelta(days=28), None, not_measured_reason="refused")


def amend_some(originals) -> None:
    for old in originals:
        OutcomeValue.objects.create(
            clinic=old.clinic, patient=old.patient, plan=old.plan, measure=old.measure,
            site=old.site, area=old.area, rater_role=old.rater_role, context=old.context,
            recorded_by=old.recorded_by, measured_on=old.measured_on, amends=old,
            value=old.value + Decimal("0.3"), amend_reason="typing error",
        )  # fmt: skip


def both(membership, query: Query, point: TimePoint, missing: Missing):
    values = access.values_for(membership)
    old_series = reference.series(values, query, membership.clinic, True)
    old = analysis.analyse(old_series, query, point, missing)
    new = analysis.run(values, query, point, missing, membership.clinic, with_links=True)
    return old, new


@pytest.fixture
def seeded(practice: Practice):
    protocol = seed_clinic(practice, 160)
    return practice, protocol


@pytest.mark.parametrize("zone", ["Europe/London", "Pacific/Auckland"])
@pytest.mark.parametrize("missing", list(Missing))
def test_every_grouping_and_window_gives_the_same_analysis(seeded, zone, missing):
    practice, _ = seeded
    practice.clinic.time_zone = zone
    practice.clinic.save()
    membership = practice.membership(practice.practitioner)
    carried = lost = 0
    for grouping in GROUPINGS:
        for point in POINTS:
            old, new = both(membership, Query("circumference", grouping), point, missing)
            assert new == old, (grouping, point)
            carried += sum(r.carried_forward for r in new.rows)
            lost += sum(g.missing for g in new.groups)
    assert lost > 0 and (carried > 0) == (missing == Missing.LOCF)


def test_the_date_filter_and_protocol_give_the_same_analysis(seeded):
    practice, protocol = seeded
    membership = practice.membership(practice.practitioner)
    queries = [
        Query("circumference", "cocktail", date(2025, 12, 20), date(2026, 2, 10)),
        Query("circumference", "age_band", date_from=date(2026, 1, 1)),
        Query("circumference", "cocktail_version", protocol=protocol.pk),
        Query("css", "cocktail"),  # no values at all
    ]
    for query in queries:
        for missing in Missing:
            old, new = both(membership, query, TimePoint(28, 7), missing)
            assert new == old, query
    assert new.rows == () and new.groups == ()


def test_the_query_count_is_the_same_at_any_number_of_patients(
    practice, django_assert_max_num_queries
):
    membership = practice.membership(practice.practitioner)
    seed_clinic(practice, 20)

    def count(grouping: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            analysis.run(access.values_for(membership), Query("circumference", grouping),
                         TimePoint(28, 7), Missing.LOCF, membership.clinic)  # fmt: skip
        return len(captured.captured_queries)

    few = {grouping: count(grouping) for grouping in ("cocktail", "lot")}
    seed_clinic(practice, 200, seed=18)
    for grouping, expected in few.items():
        with django_assert_max_num_queries(expected):
            analysis.run(access.values_for(membership), Query("circumference", grouping),
                         TimePoint(28, 7), Missing.LOCF, membership.clinic)  # fmt: skip
    assert few == {"cocktail": 1, "lot": 2}
