"""Lidocaine by weight through ``POST /api/v1/plans/check`` (Xylocaine MPF label):
4.5 mg/kg up to 300 mg without epinephrine, 7 mg/kg up to 500 mg with it; 1% = 10 mg/mL."""

import pytest

from mesochart.formulary.tests.conftest import LIDOCAINE_LABEL, face_session

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


def check(api, plan):
    response = api.post("/plans/check", plan)
    assert response.status_code == 200, response.content
    return response.json()


def lidocaine_findings(body):
    return [f for f in body["findings"] if f["rule"] == "dose_per_kg"]


@pytest.mark.parametrize(
    ("case", "weight_kg", "volumes", "blocked", "allowed_mg"),
    [
        ("plain, at 4.5 mg/kg", 60, {"lidocaine_1pct": 27.0}, False, None),
        ("plain, just under", 60, {"lidocaine_1pct": 26.9}, False, None),
        ("plain, just over", 60, {"lidocaine_1pct": 27.1}, True, 270),
        ("with epinephrine, at 7 mg/kg", 60, {"lidocaine_1pct_epinephrine": 42.0}, False, None),
        ("with epinephrine, just under", 60, {"lidocaine_1pct_epinephrine": 41.9}, False, None),
        ("with epinephrine, just over", 60, {"lidocaine_1pct_epinephrine": 42.1}, True, 420),
        ("plain, heavy patient: capped at 300 mg", 100, {"lidocaine_1pct": 30.0}, False, None),
        ("plain, heavy patient: over the cap", 100, {"lidocaine_1pct": 30.1}, True, 300),
        (
            "epinephrine, heavy patient: at the 500 mg cap",
            100,
            {"lidocaine_1pct_epinephrine": 50.0},
            False,
            None,
        ),
        (
            "epinephrine, heavy patient: over the cap",
            100,
            {"lidocaine_1pct_epinephrine": 50.1},
            True,
            500,
        ),
        ("2%: 13.5 mL is 270 mg", 60, {"lidocaine_2pct": 13.5}, False, None),
        ("2%: 13.6 mL is over", 60, {"lidocaine_2pct": 13.6}, True, 270),
    ],
)
def test_lidocaine_by_weight(api_for, practice, case, weight_kg, volumes, blocked, allowed_mg):
    body = check(api_for(practice.practitioner), face_session(weight_kg, **volumes))
    assert body["blocked"] is blocked, case
    found = lidocaine_findings(body)
    assert len(found) == int(blocked), body["findings"]
    if blocked:
        (finding,) = found
        assert finding["severity"] == "block"
        assert finding["origin"] == "label"
        assert finding["source"] == LIDOCAINE_LABEL
        assert finding["limit"] == {"value": allowed_mg, "unit": "mg"}


def test_lidocaine_from_two_products_counts_together(api_for, practice):
    # 20 mL of 1% (200 mg) + 5 mL of 2% (100 mg) = 300 mg, over 4.5 mg/kg × 60 kg = 270 mg.
    body = check(
        api_for(practice.practitioner), face_session(60, lidocaine_1pct=20, lidocaine_2pct=5)
    )
    totals = {t["ingredient"]: t for t in body["totals"]}
    assert totals["lidocaine"]["amount"] == {"value": 300.0, "unit": "mg"}
    assert totals["lidocaine"]["per_kg"] == {"value": 5.0, "unit": "mg/kg"}
    assert body["blocked"]


def test_without_a_weight_the_limit_cannot_be_checked_and_blocks(api_for, practice):
    plan = face_session(60, lidocaine_1pct=10)
    del plan["patient"]
    body = check(api_for(practice.practitioner), plan)
    (finding,) = lidocaine_findings(body)
    assert "weight is needed" in finding["message"]
    assert finding["actual"] is None
    assert body["blocked"]


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        (
            {"cocktail": [{"product": "foo", "volume_ml": 10}]},
            "cocktail[0].product: unknown product 'foo'",
        ),
        (
            {"cocktail": [{"product": "lidocaine-1pct", "volume_ml": 0}]},
            "cocktail[0].volume_ml: must be greater than 0",
        ),
        ({"date": "03/11/2026"}, "date: must be a date written YYYY-MM-DD"),
    ],
)
def test_an_invalid_plan_is_a_422_naming_the_field(api_for, practice, change, detail):
    plan = {**face_session(60, lidocaine_1pct=10), **change}
    response = api_for(practice.practitioner).post("/plans/check", plan)
    assert response.status_code == 422
    assert response.json()["detail"] == detail
    field, rule = detail.split(": ", 1)
    assert response.json()["errors"] == [{"field": field, "rule": rule}]


def test_a_body_that_is_not_json_is_a_422(api_for, practice):
    response = api_for(practice.practitioner).client.post(
        "/api/v1/plans/check", "{not json", content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("file: is not valid JSON")


def test_every_role_may_check_a_plan_and_strangers_may_not(api_for, practice):
    plan = face_session(60, lidocaine_1pct=10)
    for user in practice.users.values():
        assert api_for(user).post("/plans/check", plan).status_code == 200
    assert api_for(None).post("/plans/check", plan).status_code == 401
