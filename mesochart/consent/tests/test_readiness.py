"""The gate: one checklist of everything between the patient and a session, on the API and
on the patient's chart."""

import pytest

from mesochart.accounts.models import Credential
from mesochart.consent import actions
from mesochart.consent.facts import Target
from mesochart.consent.readiness import KEYS, session_readiness
from mesochart.testing.consent import (
    HTMX,
    ApiCaller,
    actor_of,
    cocktail,
    measured,
    screen,
    sign,
    template,
)

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready_plan(practice):
    measured(practice.patient)
    template(practice)
    version = cocktail(practice, "Chin", deoxycholic_acid_10mg_ml=2)
    screen(practice, version)
    sign(practice, version)
    return Target(version, "submental", "lipolysis")


def _items(practice, target, practitioner):
    return {i.key: i for i in session_readiness(practice.patient, target, practitioner)}


def test_a_screened_and_consented_patient_is_ready(practice, ready_plan):
    ready = session_readiness(practice.patient, ready_plan, practice.practitioner)
    assert ready.ready
    assert [item.key for item in ready] == list(KEYS)


def test_nothing_done_lists_every_missing_step(practice):
    version = cocktail(practice, "Chin", deoxycholic_acid_10mg_ml=2)
    ready = session_readiness(
        practice.patient, Target(version, "submental", "lipolysis"), practice.practitioner
    )
    assert [i.key for i in ready.missing] == [
        "screening",
        "absolute",
        "acknowledgements",
        "consent",
    ]
    assert ready.items[0].message == "Not screened: ask the questionnaire and screen"


def test_a_nurse_may_not_administer(practice, ready_plan):
    item = _items(practice, ready_plan, practice.nurse)["practitioner"]
    assert not item.ok
    assert "prescription-medicine scope" in item.message


def test_a_prescription_product_needs_the_prescription_scope(practice, ready_plan):
    Credential.objects.filter(user=practice.practitioner).update(
        may_administer_prescription_medicines=False
    )
    assert not _items(practice, ready_plan, practice.practitioner)["practitioner"].ok


def test_a_product_without_prescription_ingredients_does_not_need_the_scope(practice):
    Credential.objects.filter(user=practice.practitioner).update(
        may_administer_prescription_medicines=False
    )
    version = cocktail(practice, "Glow", vitamin_c=2)
    item = _items(practice, Target(version, "face", "skin quality"), practice.practitioner)
    assert item["practitioner"].ok


def test_unacknowledged_relative_findings_hold_the_session(practice):
    measured(practice.patient)
    template(practice)
    version = cocktail(practice, pcdc_lipolysis=4)
    screening = screen(practice, version, keloid_tendency="yes")
    sign(practice, version)
    target = Target(version, "submental", "lipolysis")
    item = _items(practice, target, practice.practitioner)["acknowledgements"]
    assert not item.ok
    assert item.details == ("Tendency to keloid scarring: keloid_tendency = yes (answered)",)
    actions.acknowledge(
        actor_of(practice.practitioner), screening, {"key": "keloid_tendency", "reason": "Ok"}
    )
    assert session_readiness(practice.patient, target, practice.practitioner).ready


def test_the_api_returns_the_checklist(practice, ready_plan):
    api = ApiCaller(practice.practitioner)
    query = {
        "cocktail": ready_plan.cocktail_version.pk,
        "area": "submental",
        "indication": "lipolysis",
    }
    body = api.get(f"/patients/{practice.patient.pk}/readiness", query).json()
    assert body["ready"] is True
    assert [item["key"] for item in body["items"]] == list(KEYS)

    refused = api.get(f"/patients/{practice.patient.pk}/readiness", {"area": "submental"})
    assert refused.status_code == 422
    assert refused.json()["detail"] == "cocktail: is required; indication: is required"


def test_reception_gets_the_verdicts_without_clinical_details(practice):
    measured(practice.patient)
    version = cocktail(practice, pcdc_lipolysis=4)
    screen(practice, version, keloid_tendency="yes")
    query = {"cocktail": version.pk, "area": "submental", "indication": "lipolysis"}
    body = (
        ApiCaller(practice.reception)
        .get(f"/patients/{practice.patient.pk}/readiness", query)
        .json()
    )
    acknowledgements = next(i for i in body["items"] if i["key"] == "acknowledgements")
    assert not acknowledgements["ok"]
    assert acknowledgements["details"] == []


def test_the_chart_loads_the_checklist_for_the_last_plan_screened(practice, ready_plan, client_for):
    client = client_for(practice.practitioner)
    chart = client.get(f"/patients/{practice.patient.pk}/").content.decode()
    assert f'hx-get="/consent/patients/{practice.patient.pk}/readiness/"' in chart
    fragment = client.get(f"/consent/patients/{practice.patient.pk}/readiness/", headers=HTMX)
    body = fragment.content.decode()
    assert "<html" not in body
    assert "Ready for the session" in body
    full = client.get(f"/consent/patients/{practice.patient.pk}/readiness/")
    assert "<html" in full.content.decode()
