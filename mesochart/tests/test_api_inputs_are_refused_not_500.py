"""What the fuzzing sent that ended in a 500 is now a 4xx naming the field and the rule
(issue 14, Low): integers past 64 bits, NUL bytes, lone surrogates, bodies over the size
limit, endless text; API errors are JSON, a 500 included; a refused token on a write is a
401, not a CSRF failure; a recall's download name cannot be steered by the lot number."""

import json

import pytest
from django.test import Client

from mesochart.testing.plans import ApiCaller

pytestmark = pytest.mark.django_db


def create_patient(caller, **fields):
    body = {
        "given_name": "Nadia",
        "family_name": "Fuzz",
        "date_of_birth": "1990-01-01",
        "sex_at_birth": "female",
        **fields,
    }
    return caller.post("/patients", body)


def test_a_nul_byte_in_a_json_field_is_refused_naming_it(practice):
    response = create_patient(ApiCaller(practice.reception), family_name="Fu\x00zz")
    assert response.status_code == 422
    assert response.json()["detail"] == "family_name: must not contain NUL characters"


def test_a_lone_surrogate_is_refused_naming_the_field(practice):
    caller = ApiCaller(practice.reception)
    body = '{"given_name": "\\ud800", "family_name": "Fuzz", "date_of_birth": "1990-01-01"}'
    response = caller.client.post("/api/v1/patients", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == "given_name: must be valid Unicode (no lone surrogates)"


def test_an_integer_past_64_bits_is_refused_in_a_body_and_a_query(practice):
    caller = ApiCaller(practice.nurse)
    body = caller.post("/schedule", {"first_date": "2026-03-02", "protocol": 2**64})
    assert body.status_code == 422
    assert body.json()["detail"] == "protocol: must be a whole number that fits in 64 bits"
    query = caller.get(f"/patients?limit={2**70}")
    assert query.status_code == 422
    assert query.json()["errors"][0]["field"] == "limit"


def test_a_two_megabyte_address_is_refused_naming_the_bound(practice):
    response = create_patient(ApiCaller(practice.reception), address="x" * 2_000_000)
    assert response.status_code == 422
    assert response.json()["detail"] == "address: must be at most 20000 characters"


def test_a_body_over_the_size_limit_is_413_in_json(practice, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = create_patient(ApiCaller(practice.reception), notes="x" * 2000)
    assert response.status_code == 413
    assert response.json()["errors"][0]["field"] == "body"


def test_a_body_that_is_not_json_is_named(practice):
    caller = ApiCaller(practice.reception)
    response = caller.client.post("/api/v1/patients", "{", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["rule"]


def test_a_server_error_in_the_api_is_json_naming_nothing_of_it(practice, monkeypatch):
    from mesochart.planning import api

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(api, "core_products", broken)
    response = ApiCaller(practice.nurse).post(
        "/schedule", {"first_date": "2026-03-02", "phases": [{"count": 2, "every_days": 7}]}
    )
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "detail": "internal server error",
        "errors": [{"field": "", "rule": "internal server error"}],
    }


def test_a_bad_token_on_a_write_is_401_not_a_csrf_failure(practice, client_for):
    for client in (Client(), client_for(practice.nurse)):
        client.handler.enforce_csrf_checks = True
        response = client.post(
            "/api/v1/patients",
            json.dumps({"given_name": "A"}),
            content_type="application/json",
            headers={"Authorization": "Bearer mc_not-a-token"},
        )
        assert response.status_code == 401, response.content
        assert response.json()["detail"] == "authentication required"


def test_the_recall_download_name_keeps_only_safe_characters(practice, client_for):
    lot = 'X"; filename=evil.html'
    response = client_for(practice.practitioner).get(
        "/sessions/recall/", {"lot": lot, "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="recall-X___filename_evil.html.csv"'
    )
