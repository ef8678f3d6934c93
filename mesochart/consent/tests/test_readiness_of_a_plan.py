"""The gate reads a planning Plan: its cocktail version, its regions (the area) and its
indication; ``?plan=`` on the API."""

import pytest

from mesochart.consent.plans import target_of
from mesochart.consent.readiness import session_readiness
from mesochart.planning.models import Plan, PlanRegion
from mesochart.testing.consent import ApiCaller, cocktail, measured, screen

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(practice):
    version = cocktail(practice, "Belly", pcdc_lipolysis=4)
    plan = Plan.objects.create(
        clinic=practice.clinic,
        patient=practice.patient,
        title="Abdomen contouring",
        indication="body_contouring",
        cocktail_version=version,
        created_by=practice.practitioner,
    )
    for region in ("flank-left", "abdomen"):
        PlanRegion.objects.create(plan=plan, view="body-front", region=region)
    return plan


def test_the_plans_regions_are_its_area(plan):
    target = target_of(plan)
    assert target.area == "abdomen, flank-left"
    assert target.indication == "body_contouring"


def test_a_screening_of_the_plan_makes_it_screened(practice, plan):
    measured(practice.patient)
    screen(
        practice, plan.cocktail_version, area="abdomen, flank-left", indication="body_contouring"
    )
    ready = session_readiness(practice.patient, plan, practice.practitioner)
    assert next(i for i in ready if i.key == "screening").ok


def test_body_contouring_is_lipolysis_for_the_bmi_rule(practice, plan):
    measured(practice.patient, weight_kg=95, height_cm=165)
    screening = screen(
        practice, plan.cocktail_version, area="abdomen, flank-left", indication="body_contouring"
    )
    assert [f.key for f in screening.relative] == ["bmi_over_30_lipolysis"]


def test_adding_a_region_makes_the_screening_stale(practice, plan):
    measured(practice.patient)
    screen(
        practice, plan.cocktail_version, area="abdomen, flank-left", indication="body_contouring"
    )
    PlanRegion.objects.create(plan=plan, view="body-front", region="flank-right")
    ready = session_readiness(practice.patient, plan, practice.practitioner)
    assert not next(i for i in ready if i.key == "screening").ok


def test_the_api_takes_a_plan(practice, plan):
    api = ApiCaller(practice.practitioner)
    body = api.get(f"/patients/{practice.patient.pk}/readiness", {"plan": plan.pk}).json()
    assert [i["key"] for i in body["items"]][:1] == ["screening"]
    other = practice.make_patient(practice.clinic, "Bea", "Other", "MC-000099")
    assert api.get(f"/patients/{other.pk}/readiness", {"plan": plan.pk}).status_code == 404


def test_a_plan_without_a_cocktail_is_named_in_the_error(practice, plan):
    Plan.objects.filter(pk=plan.pk).update(cocktail_version=None)
    response = ApiCaller(practice.practitioner).get(
        f"/patients/{practice.patient.pk}/readiness", {"plan": plan.pk}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "plan: has no cocktail yet: choose one in the plan first"
