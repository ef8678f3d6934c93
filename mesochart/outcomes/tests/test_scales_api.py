"""``GET /api/v1/scales`` and ``POST /api/v1/scales/{code}/score``: definitions with their
sources, and scoring that stores nothing."""

import pytest
import time_machine

from mesochart.conftest import signed_in
from mesochart.outcomes.models import OutcomeValue

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def score(client, code, items):
    return client.post(f"/api/v1/scales/{code}/score", {"items": items},
                       content_type="application/json")  # fmt: skip


def test_scales_list_every_measure_with_its_source(practice):
    scales = signed_in(practice.reception).get("/api/v1/scales").json()
    css = next(s for s in scales if s["code"] == "css")
    assert css["source"].endswith("Hexsel 2009, JEADV")
    assert [i["code"] for i in css["items"]] == ["A", "B", "C", "D", "E"]
    gais = next(s for s in scales if s["code"] == "gais_subject")
    assert [c["code"] for c in gais["codings"]] == ["1-5", "-1-3"]
    assert "face_q" not in {s["code"] for s in scales}


def test_css_is_scored_without_storing_anything(practice):
    result = score(signed_in(practice.nurse), "css", {"A": 3, "B": 3, "C": 2, "D": 2, "E": 1})
    assert result.json() == {
        "code": "css", "total": "11", "band": "severe", "missing": [], "findings": []
    }  # fmt: skip
    assert not OutcomeValue.objects.exists()


def test_a_missing_item_leaves_the_total_missing_and_is_named(practice):
    result = score(signed_in(practice.nurse), "mmasi", {"forehead_area": 2}).json()
    assert result["total"] is None
    assert "chin_darkness" in result["missing"]


def test_an_item_of_another_scale_is_refused_as_field_rule(practice):
    result = score(signed_in(practice.nurse), "masi", {"A": 2})
    assert result.status_code == 422
    assert result.json()["detail"] == "items.A: is not an item of MASI"


def test_an_unknown_or_non_composite_scale_is_not_found(practice):
    client = signed_in(practice.nurse)
    assert score(client, "face_q", {}).status_code == 404
    assert score(client, "weight", {}).status_code == 404


def test_a_css_recorded_over_the_api_has_its_total_computed_and_amends_keep_history(ready):
    client = signed_in(ready.practice.practitioner)
    url = f"/api/v1/patients/{ready.practice.patient.pk}/outcomes"
    body = {"plan": ready.plan.pk, "measure": "css", "context": "baseline",
            "measured_on": "2026-03-01", "site": "left thigh", "rater_role": "practitioner",
            "items": {"A": 3, "B": 2, "C": 2, "D": 2, "E": 2}}  # fmt: skip
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201
    assert (created.json()["value"], created.json()["band"]) == ("11.00", "severe")
    typed = client.post(url, body | {"value": "3"}, content_type="application/json")
    assert typed.json()["detail"] == "value: is not given for this measure"
    amend = client.post(
        f"/api/v1/outcomes/{created.json()['id']}/amend",
        {"amend_reason": "re-rated item A", "items": {"A": 2, "B": 2, "C": 2, "D": 2, "E": 2}},
        content_type="application/json",
    )
    assert amend.json()["value"] == "10.00"
    # (the plan's fat thickness, taken before its approval, is listed too)
    assert [r["value"] for r in client.get(url).json() if r["measure"] == "css"] == ["10.00"]
    history = client.get(url, {"history": "true"}).json()
    assert [r["value"] for r in history if r["measure"] == "css"] == ["11.00", "10.00"]


@pytest.fixture
def ready(practice):
    from mesochart.testing.sessions import TODAY, Ready

    with time_machine.travel(TODAY, tick=False):
        yield Ready(practice)
