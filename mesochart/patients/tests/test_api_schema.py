"""The patients API describes itself, and every refusal it gives names the field and the rule.

Integrators build against /api/v1/openapi.json; their code reads ``errors`` to put each
message beside the right field, so every error, from the schema or from the clinic's
rules, comes in the one format: ``{"detail": ..., "errors": [{"field", "rule"}]}``.
"""

import pytest
from django.test import Client

from mesochart.patients.models import Patient
from mesochart.testing.patients import API, ApiCaller

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

PATIENT = {
    "given_name": "Brigid",
    "family_name": "Nolan",
    "date_of_birth": "1990-02-03",
    "sex_at_birth": "female",
}


def _assert_one_error_format(body: dict) -> None:
    assert set(body) == {"detail", "errors"}
    assert body["errors"]
    for error in body["errors"]:
        assert set(error) == {"field", "rule"}
        assert error["rule"]
        assert (f"{error['field']}: {error['rule']}" if error["field"] else error["rule"]) in body[
            "detail"
        ]


def test_the_openapi_schema_is_served_with_the_patients_paths(db):
    response = Client().get(f"{API}/openapi.json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/patients",
        "/api/v1/patients/{patient_id}",
        "/api/v1/patients/{patient_id}/void",
        "/api/v1/patients/{patient_id}/{kind}",
    } <= set(schema["paths"])
    assert set(schema["paths"]["/api/v1/patients/{patient_id}"]) == {"get", "patch"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("date_of_birth", "not-a-date"),
        ("date_of_birth", "31/02/1990"),
        ("sex_at_birth", "x"),
        ("weight_kg", "heavy"),
        ("fitzpatrick_type", "VII"),
        ("pregnancy_status", "maybe"),
        ("version", "two"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_naming_its_field(practice, field, value):
    response = ApiCaller(practice.practitioner).post("/patients", {**PATIENT, field: value})

    assert response.status_code == 422
    body = response.json()
    _assert_one_error_format(body)
    assert [e["field"] for e in body["errors"]] == [field]
    assert Patient.objects.count() == 2  # the fixture's two patients only


def test_every_wrong_field_is_named_at_once(practice):
    body = {**PATIENT, "date_of_birth": "not-a-date", "sex_at_birth": "x"}

    response = ApiCaller(practice.practitioner).post("/patients", body)

    assert [e["field"] for e in response.json()["errors"]] == ["date_of_birth", "sex_at_birth"]


def test_a_history_item_of_the_wrong_kind_or_severity_is_refused_by_name(practice):
    api = ApiCaller(practice.nurse)
    chart = f"/patients/{practice.patient.pk}"

    wrong_kind = api.post(f"{chart}/allergy", {"substance": "Latex"})
    wrong_severity = api.post(f"{chart}/allergies", {"substance": "Latex", "severity": "fatal"})
    no_name = api.post(f"{chart}/medications", {"dose": "5 mg"})

    assert [e["field"] for e in wrong_kind.json()["errors"]] == ["kind"]
    assert [e["field"] for e in wrong_severity.json()["errors"]] == ["severity"]
    assert no_name.json()["errors"] == [{"field": "name", "rule": "is required"}]
    assert not practice.patient.allergies.exists()


@pytest.mark.parametrize(
    ("what", "call", "status"),
    [
        ("not signed in", lambda p: ApiCaller.anonymous().get("/patients"), 401),
        (
            "a role without the right",
            lambda p: ApiCaller(p.reception).post(
                f"/patients/{p.patient.pk}/void", {"reason": "x"}
            ),
            403,
        ),
        (
            "a chart of another clinic",
            lambda p: ApiCaller(p.admin).get(f"/patients/{p.other_patient.pk}"),
            404,
        ),
        ("a chart that never existed", lambda p: ApiCaller(p.admin).get("/patients/999999"), 404),
        ("an id that is no number", lambda p: ApiCaller(p.admin).get("/patients/abc"), 422),
        (
            "a body that is not JSON",
            lambda p: ApiCaller(p.admin).client.post(
                f"{API}/patients", "{not json", content_type="application/json"
            ),
            400,
        ),
    ],
)
def test_every_refusal_comes_in_the_one_error_format(practice, what, call, status):
    response = call(practice)

    assert response.status_code == status
    _assert_one_error_format(response.json())


def test_a_chart_of_another_clinic_and_one_that_never_existed_look_the_same(practice):
    api = ApiCaller(practice.admin)

    elsewhere = api.get(f"/patients/{practice.other_patient.pk}")
    nowhere = api.get("/patients/999999")

    assert elsewhere.json() == nowhere.json()


def test_an_unknown_field_is_refused_not_silently_dropped(practice):
    from mesochart.testing.patients import ApiCaller

    response = ApiCaller(practice.reception).post(
        "/patients",
        {
            "given_name": "Ana",
            "family_name": "Ruiz",
            "date_of_birth": "1990-01-01",
            "sex_at_birth": "female",
            "shoe_size": 38,
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "shoe_size"
