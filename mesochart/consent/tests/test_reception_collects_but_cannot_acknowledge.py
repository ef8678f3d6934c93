"""Reception may collect the answers and witness the signature, but may not acknowledge a
finding: accepting a relative contraindication is the practitioner's decision."""

import pytest
from django.core.exceptions import PermissionDenied

from mesochart.audit.models import AuditEvent
from mesochart.consent import actions
from mesochart.consent.models import Acknowledgement, Consent, QuestionnaireResponse
from mesochart.testing.consent import (
    ApiCaller,
    actor_of,
    clear_answers,
    cocktail,
    measured,
    screen,
    sign,
    template,
)

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


@pytest.fixture
def screening(practice):
    measured(practice.patient)
    return screen(
        practice,
        cocktail(practice, pcdc_lipolysis=4),
        user=practice.reception,
        keloid_tendency="yes",
    )


def test_reception_collects_the_answers_on_the_page(practice, client_for):
    client = client_for(practice.reception)
    response = client.post(
        f"/consent/patients/{practice.patient.pk}/questionnaire/",
        {"area": "submental", **clear_answers()},
    )
    assert response.status_code == 302
    collected = QuestionnaireResponse.objects.get()
    assert collected.collected_by == practice.reception


def test_reception_witnesses_a_signature(practice):
    template(practice)
    consent = sign(practice, cocktail(practice, pcdc_lipolysis=4), user=practice.reception)
    assert Consent.objects.get().witness == practice.reception
    assert consent.witness == practice.reception


def test_reception_sees_that_there_are_findings_but_not_what_they_say(
    practice, screening, client_for
):
    page = client_for(practice.reception).get(
        f"/consent/patients/{practice.patient.pk}/screenings/{screening.pk}/"
    )
    body = page.content.decode()
    assert "1 finding" in body
    assert "keloid" not in body.lower()
    assert "Acknowledge" not in body


def test_reception_cannot_acknowledge_by_action_page_or_api(practice, screening, client_for):
    data = {"key": "keloid_tendency", "reason": "The patient says it is fine"}
    with pytest.raises(PermissionDenied):
        actions.acknowledge(actor_of(practice.reception), screening, data)

    pk = practice.patient.pk
    page = client_for(practice.reception).post(
        f"/consent/patients/{pk}/screenings/{screening.pk}/acknowledge/", data
    )
    assert page.status_code == 403
    api = ApiCaller(practice.reception).post(
        f"/patients/{pk}/screenings/{screening.pk}/acknowledgements", data
    )
    assert api.status_code == 403
    assert api.json()["detail"] == "Your role may not do this (screening.acknowledge)."
    assert not Acknowledgement.objects.exists()
    assert not AuditEvent.objects.filter(object_type="screening", action="update").exists()


def test_a_nurse_cannot_acknowledge_either_but_the_practitioner_can(
    practice, screening, client_for
):
    data = {"key": "keloid_tendency", "reason": "Reviewed the scars on examination"}
    with pytest.raises(PermissionDenied):
        actions.acknowledge(actor_of(practice.nurse), screening, data)
    actions.acknowledge(actor_of(practice.practitioner), screening, data)
    assert Acknowledgement.objects.get().acknowledged_by == practice.practitioner
