"""``GET /api/v1/scales`` and ``POST /api/v1/scales/{code}/score``: definitions with their
sources, and scoring that stores nothing."""

from mesochart.conftest import signed_in
from mesochart.outcomes.models import OutcomeValue


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
