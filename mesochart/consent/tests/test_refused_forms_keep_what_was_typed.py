"""A refused screening or consent form comes back with everything that was entered: one bad
field, the others kept (screening against a typed target or from a plan, the clinic's
policy, a consent template)."""

import pytest

from mesochart.planning.models import Plan, PlanRegion
from mesochart.testing.consent import cocktail, respond
from mesochart.tests.kept import assert_kept

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


def test_a_refused_screening_keeps_its_answers_cocktail_and_indication(practice, client_for):
    version = cocktail(practice)
    response = respond(practice, area="submental")
    typed = {
        "response": response.pk,
        "cocktail": version.pk,
        "area": "   ",  # the one bad field
        "indication": "lipolysis",
    }
    page = client_for(practice.nurse).post(
        f"/consent/patients/{practice.patient.pk}/screenings/new/", typed
    )
    assert_kept(page.content.decode(), typed, except_=("area",))


def test_a_refused_screening_from_a_plan_keeps_the_plan_and_its_ticked_areas(practice, client_for):
    version = cocktail(practice)
    plan = Plan.objects.create(
        clinic=practice.clinic,
        patient=practice.patient,
        title="Chin",
        indication="body_contouring",
        cocktail_version=version,
        created_by=practice.practitioner,
    )
    PlanRegion.objects.create(plan=plan, view="neck-submental", region="submental")
    answers = respond(practice, area="submental")
    typed = {"response": answers.pk, "plan": plan.pk, "regions": []}  # the bad field: no area
    page = client_for(practice.nurse).post(
        f"/consent/patients/{practice.patient.pk}/screenings/new/", typed
    )
    body = page.content.decode()
    assert "Treatment areas: tick at least one area" in body
    assert_kept(body, typed, except_=("regions",))


def test_a_refused_policy_keeps_the_rules_typed(practice, client_for):
    typed = {"valid_days": "0", "rules": '{"rules": []}'}  # valid_days is the bad field
    page = client_for(practice.admin).post("/consent/policy/", typed)
    body = page.content.decode()
    assert "must be at least 1" in body
    assert "{&quot;rules&quot;: []}" in body


def test_a_refused_consent_template_keeps_the_other_fields(practice, client_for):
    typed = {
        "scope": "indication",
        "subject": "lipolysis",
        "title": "   ",  # the one bad field
        "risks": "Swelling and bruising for a few days.",
        "alternatives": "No treatment; surgery.",
        "expected_sessions": "2 to 4",
        "aftercare": "Cool packs.",
    }
    page = client_for(practice.practitioner).post("/consent/templates/new/", typed)
    assert_kept(page.content.decode(), typed, except_=("title",))
