"""An API edit that does not say which version it read is refused, not silently applied
over whatever changed since (issue 14, Low)."""

import json

import pytest

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


def call(client, method, path, body):
    return getattr(client, method)(
        f"/api/v1{path}", json.dumps(body), content_type="application/json"
    )


def test_a_draft_edit_without_version_is_refused_naming_version(practice, ready, client_for):
    session = ready.start()
    response = call(client_for(practice.nurse), "patch", f"/sessions/{session.pk}", {"notes": "x"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "version"
    session.refresh_from_db()
    assert session.notes != "x"


def test_plan_edits_without_version_are_refused_naming_version(practice, ready, client_for):
    client = client_for(practice.practitioner)
    for method, path, body in (
        ("patch", f"/plans/{ready.plan.pk}", {"notes": "x"}),
        ("put", f"/plans/{ready.plan.pk}/regions", {"regions": []}),
    ):
        response = call(client, method, path, body)
        assert response.status_code == 422, path
        assert response.json()["errors"][0]["field"] == "version", path
