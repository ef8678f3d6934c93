"""Screening and consent started from the plan: a plan of both posterior thighs is screened
from the plan's own areas, and the chart and the session's pre-flight give one answer."""

import re
from decimal import Decimal

import pytest

from mesochart.planning import actions as planning
from mesochart.planning import approval as planning_approval
from mesochart.planning import grids
from mesochart.testing.consent import HTMX, respond, screen, sign, template
from mesochart.testing.plans import PCDC, cocktail, new_plan, region
from mesochart.testing.sessions import TODAY, receive
from mesochart.treatments import actions

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db
THIGHS = ("thigh-posterior-left", "thigh-posterior-right")
BOTH = "thigh-posterior-left, thigh-posterior-right"


def thigh(slug):
    grid = grids.generate("body-back", slug, 1.5, circumference_cm=55)
    points = grid.result.points[:10]
    return region("body-back", slug, points, volume_ml=0.2, depth_mm=4, circumference_cm=55)


@pytest.fixture
def thigh_plan(practice, frozen):
    practice.patient.weight_kg, practice.patient.height_cm = Decimal("64"), Decimal("170")
    practice.patient.weight_measured_on = TODAY
    practice.patient.save()
    membership = practice.actor(practice.practitioner)
    version = cocktail(membership, "Lipo thighs", **{PCDC: 10})
    plan = new_plan(practice, "lipolysis-pcdc", version, title="Posterior thighs")
    planning.save_regions(membership, plan, [thigh(slug) for slug in THIGHS])
    planning.propose_series(membership, plan, {"first_date": TODAY})
    planning_approval.approve_plan(membership, plan, version=plan.version)
    plan.refresh_from_db()
    template(practice, "body_contouring")
    return plan


def screen_from_the_plan(practice, client_for, plan, regions):
    response = respond(practice, area=BOTH)
    page = f"/consent/patients/{practice.patient.pk}/screenings/new/"
    posted = client_for(practice.nurse).post(
        page, {"response": response.pk, "plan": plan.pk, "regions": list(regions)}
    )
    assert posted.status_code == 302, posted.content.decode()


def chart_readiness(practice, client_for) -> str:
    path = f"/consent/patients/{practice.patient.pk}/readiness/"
    return client_for(practice.practitioner).get(path, headers=HTMX).content.decode()


def preflight(practice, plan):
    membership = practice.actor(practice.practitioner)
    lot = receive(practice, lot_number="PC-001", product=PCDC, gtin="")
    session = actions.start_session(membership, plan, {})
    rows = [{"lot": lot.pk, "volume_drawn_ml": "4", "volume_wasted_ml": "0"}]
    session = actions.save_draft(membership, session, {"products": rows})
    return actions.checklist(session)


def test_the_screening_page_offers_the_plans_areas_in_clinical_words(
    practice, thigh_plan, client_for
):
    respond(practice, area=BOTH)
    page = client_for(practice.nurse).get(
        f"/consent/patients/{practice.patient.pk}/screenings/new/?plan={thigh_plan.pk}"
    )
    body = page.content.decode()
    assert "Thigh (posterior), left" in body and "Thigh (posterior), right" in body
    for slug in THIGHS:  # the plan's own areas come ticked
        assert re.search(rf'value="{slug}"[^>]*checked', body)
    assert not re.search(r'value="buttock-left"[^>]*checked', body)
    assert 'name="area"' not in body  # no area to type


def test_the_consent_is_prepared_from_the_plan(practice, thigh_plan, client_for):
    page = client_for(practice.practitioner).get(
        f"/consent/patients/{practice.patient.pk}/consents/new/?plan={thigh_plan.pk}"
    )
    body = page.content.decode()
    assert f'name="cocktail" value="{thigh_plan.cocktail_version_id}"' in body
    assert f'name="area" value="{BOTH}"' in body
    assert "Thigh (posterior), left; Thigh (posterior), right" in body
    assert "Treatment area: Thigh (posterior), left; Thigh (posterior), right" in body


def test_both_thighs_screened_from_the_plan_are_ready_on_the_chart_and_in_the_preflight(
    practice, thigh_plan, client_for
):
    screen_from_the_plan(practice, client_for, thigh_plan, THIGHS)
    sign(practice, thigh_plan.cocktail_version, area=BOTH, indication="body_contouring")
    assert "Ready for the session" in chart_readiness(practice, client_for)
    checklist = preflight(practice, thigh_plan)
    readiness = [item for item in checklist if item.key.startswith("readiness")]
    assert readiness and all(item.ok for item in readiness), checklist.problems()
    assert checklist.ready, checklist.problems()


def test_a_plan_area_left_unscreened_is_named_on_the_chart_and_in_the_preflight(
    practice, thigh_plan, client_for
):
    screen_from_the_plan(practice, client_for, thigh_plan, THIGHS[:1])
    sign(practice, thigh_plan.cocktail_version, area=BOTH, indication="body_contouring")
    chart = chart_readiness(practice, client_for)
    assert "Not ready" in chart
    assert "does not cover Thigh (posterior), right" in chart
    (screening,) = [item for item in preflight(practice, thigh_plan) if "screening" in item.key]
    assert not screening.ok
    assert "does not cover Thigh (posterior), right" in screening.message
    assert "thigh-posterior" not in screening.message


def test_a_screening_typed_as_thighs_does_not_make_the_chart_say_ready(
    practice, thigh_plan, client_for
):
    screen(practice, thigh_plan.cocktail_version, area="thighs", indication="body_contouring")
    sign(practice, thigh_plan.cocktail_version, area=BOTH, indication="body_contouring")
    chart = chart_readiness(practice, client_for)
    assert "Not ready" in chart and "Thigh (posterior), left; Thigh (posterior), right" in chart
    (screening,) = [item for item in preflight(practice, thigh_plan) if "screening" in item.key]
    assert not screening.ok
