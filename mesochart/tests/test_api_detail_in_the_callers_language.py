"""The API keeps stable English ``field``/``rule`` codes and says ``detail`` in the language
of Accept-Language (issue 18), whatever the user's or the clinic's interface language."""

from datetime import timedelta

from django.utils import timezone

from mesochart.accounts.models import Clinic, User
from mesochart.testing.patients import ApiCaller

TOMORROW = (timezone.localdate() + timedelta(days=1)).isoformat()
BODY = {
    "given_name": "",
    "family_name": "Nolan",
    "date_of_birth": TOMORROW,
    "sex_at_birth": "female",
}
CODES = [
    {"field": "given_name", "rule": "is required"},
    {"field": "date_of_birth", "rule": "must not be in the future"},
]


def _register(practice, **headers):
    api = ApiCaller(practice.reception)
    return api.client.post(
        "/api/v1/patients", BODY, content_type="application/json", headers=headers
    )


def test_french_detail_english_codes(practice):
    answer = _register(practice, accept_language="fr-FR,fr;q=0.9")
    assert answer.status_code == 422
    assert answer.json()["errors"] == CODES
    assert answer.json()["detail"] == (
        "given_name: est obligatoire; date_of_birth: ne doit pas être dans le futur"
    )


def test_english_by_default_even_for_a_french_user_and_clinic(practice):
    User.objects.filter(pk=practice.reception.pk).update(language="fr")
    Clinic.objects.filter(pk=practice.clinic.pk).update(language="fr")
    answer = _register(practice)
    assert answer.json()["errors"] == CODES
    assert answer.json()["detail"] == (
        "given_name: is required; date_of_birth: must not be in the future"
    )


def test_a_refusal_without_a_field_is_translated_too(practice):
    answer = ApiCaller(practice.reception).client.get(
        "/api/v1/patients/999999", headers={"accept_language": "fr"}
    )
    assert answer.status_code == 404
    assert answer.json()["errors"] == [{"field": "", "rule": "not found"}]
    assert answer.json()["detail"] == "introuvable"
