"""A cohort on one cocktail, built in bulk: each patient a plan, one signed session, a
baseline circumference a week before and (unless None) a follow-up 28 days after; their
analytics series derived at the end, as the actions would."""

import hashlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from mesochart.analytics import series_table
from mesochart.conftest import Practice
from mesochart.formulary.actions.cocktails import create_cocktail
from mesochart.outcomes.models import OutcomeValue
from mesochart.patients.models import Patient
from mesochart.planning.models import Plan
from mesochart.treatments.models import TreatmentSession

LAST_SESSION = date(2026, 3, 2)
SITE = "left thigh, marked"


def cocktail(membership, name: str):
    return create_cocktail(membership, {"name": name}, [{"product": "caffeine", "volume_ml": "5"}])


def cohort(membership, version, changes, baseline_cm=60.0, tag="p"):
    clinic, user = membership.clinic, membership.user
    patients = Patient.objects.bulk_create(
        Patient(organisation_id=clinic.organisation_id, clinic=clinic, given_name="Named",
                family_name=f"Person-{tag}{n}", record_number=f"{tag}-{clinic.pk}-{n}",
                date_of_birth=date(1980, 1, 1), sex_at_birth="female")
        for n in range(len(changes))
    )  # fmt: skip
    plans = Plan.objects.bulk_create(
        Plan(clinic=clinic, patient=p, title="Thighs", indication="cellulite",
             cocktail_version=version, created_by=user)
        for p in patients
    )  # fmt: skip
    moment = timezone.make_aware(datetime.combine(LAST_SESSION, time(10)))
    TreatmentSession.objects.bulk_create(
        TreatmentSession(clinic=clinic, patient=plan.patient, plan=plan, cocktail_version=version,
                         practitioner=user, status="signed", started_at=moment, signed_at=moment,
                         signed_by=user, created_by=user,
                         content_hash=hashlib.sha256(str(plan.pk).encode()).hexdigest())
        for plan in plans
    )  # fmt: skip
    values = []
    for plan, change in zip(plans, changes, strict=True):
        common = {
            "clinic": clinic,
            "patient": plan.patient,
            "plan": plan,
            "site": SITE,
            "measure": "circumference",
            "rater_role": "practitioner",
            "recorded_by": user,
        }
        values.append(
            OutcomeValue(
                context="baseline",
                value=Decimal(str(baseline_cm)),
                measured_on=LAST_SESSION - timedelta(days=7),
                **common,
            )
        )
        if change is not None:
            values.append(
                OutcomeValue(
                    context="follow_up",
                    value=Decimal(str(round(baseline_cm + change, 2))),
                    measured_on=LAST_SESSION + timedelta(days=28),
                    **common,
                )
            )
    OutcomeValue.objects.bulk_create(values)  # fmt: skip
    series_table.refresh(plan.pk for plan in plans)
    return plans


CHANGES_A = [-3.1, -2.4, -1.0, -2.2, -0.5, -1.8, -2.9, -0.7, None, None]
CHANGES_B = [-1.2, 0.4, -0.9, -0.3, 0.8, -1.1, 0.0, -0.6, 0.2, None]


@pytest.fixture
def two_cocktails(practice: Practice):
    membership = practice.actor(practice.practitioner)
    a, b = cocktail(membership, "Thigh A"), cocktail(membership, "Thigh B")
    cohort(membership, a, CHANGES_A, tag="a")
    cohort(membership, b, CHANGES_B, tag="b")
    return practice


def analysis_url(**extra) -> str:
    params = {"measure": "circumference", "grouping": "cocktail", "days": 28,
              "window_days": 7} | extra  # fmt: skip
    return "&".join(f"{k}={v}" for k, v in params.items())
