"""The points administered on the plan's chart editor: a draft session's page mounts the
editor on the session's own regions, drawn on the plan's measured regions; the editor saves
through the draft endpoint with the version it was given; a signed session shows its points
with no editing control."""

import json
import re

import pytest

from mesochart.treatments import actions
from mesochart.treatments.models import TreatmentSession

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

API = "/api/v1"


def json_block(page: str, block_id: str):
    found = re.search(rf'<script id="{block_id}" type="application/json">(.*?)</script>', page)
    assert found, f"no #{block_id} on the page"
    return json.loads(found.group(1))


def editor_root(page: str) -> str:
    found = re.search(r'<div class="pl-editor" id="pl-editor"[^>]*>', page)
    assert found, "no chart editor on the page"
    return found.group(0)


def csrf_of(page: str) -> str:
    return re.search(r'data-csrf="([^"]+)"', editor_root(page)).group(1)


def editor_client(client_for, user):
    """A signed-in browser that, like the page's script, must send the CSRF token."""
    client = client_for(user)
    client.handler.enforce_csrf_checks = True
    return client


def patch(client, session_pk, body, csrf):
    return client.patch(
        f"{API}/sessions/{session_pk}",
        json.dumps(body),
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )


def as_the_editor_sends(regions: list[dict]) -> list[dict]:
    """The editor's payload: each region with the measurements it drew it with."""
    return [{**r, "width_cm": 16.0, "height_cm": 12.0, "circumference_cm": None} for r in regions]


def test_the_draft_page_mounts_the_editor_on_the_sessions_points(practice, ready, client_for):
    session = ready.start()
    page = client_for(practice.practitioner).get(f"/sessions/{session.pk}/").content.decode()

    root = editor_root(page)
    assert f'data-save="/sessions/{session.pk}"' in root
    assert 'data-save-method="PATCH"' in root
    assert 'data-measure="fixed"' in root
    assert "data-check" not in root  # the pre-flight checklist runs the engine instead
    assert 'src="/static/mesochart/chart-editor.js"' in page
    state = json_block(page, "pl-state")
    assert state == {
        "session": session.pk,
        "version": session.version,
        "locked": False,
        "view": "neck-submental",
        "defaults": {"spacing_cm": 1.0, "volume_ml": 0.2},
    }
    (region,) = json_block(page, "pl-regions")
    assert region["points"] == session.regions[0]["points"] and len(region["points"]) == 20
    # Drawn on the plan's measured submental region (the session stores no measurements).
    assert (region["width_cm"], region["height_cm"]) == (16.0, 12.0)
    assert "width_cm" not in session.regions[0]
    for control in ('name="pl-mode"', 'data-form="region"', 'data-action="add-row"', "Save points"):
        assert control in page, control
    # The session form follows the version the editor's saves return; no JSON textarea.
    assert re.search(r'name="version" value="1" data-bind="version"', page)
    assert re.search(r'<form [^>]*class="card tx-draft" data-saves-chart', page)
    assert 'name="regions"' not in page


def test_a_signed_session_shows_its_points_with_no_editing_control(practice, ready, client_for):
    session = ready.signed()
    page = client_for(practice.practitioner).get(f"/sessions/{session.pk}/").content.decode()

    editor_root(page)
    assert json_block(page, "pl-state")["locked"] is True
    assert len(json_block(page, "pl-regions")[0]["points"]) == 20
    for control in (
        'name="pl-mode"',
        'data-form="region"',
        'data-action="save"',
        'data-action="add-row"',
        'data-action="generate"',
        'data-action="drop"',
        "data-saves-chart",
    ):
        assert control not in page, control


def test_saving_points_through_the_editors_path_changes_the_draft(practice, ready, client_for):
    session = ready.start()
    client = editor_client(client_for, practice.nurse)
    csrf = csrf_of(client.get(f"/sessions/{session.pk}/").content.decode())
    regions = as_the_editor_sends(session.regions)
    removed = regions[0]["points"].pop(3)
    regions[0]["points"].append([0.5, 2.0, 5.0, None])  # one moved, with its own depth

    refused = client.patch(
        f"{API}/sessions/{session.pk}",
        json.dumps({"regions": regions, "version": 1}),
        content_type="application/json",
    )
    assert refused.status_code == 403  # no CSRF token: not the page's own script
    response = patch(client, session.pk, {"regions": regions, "version": 1}, csrf)

    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    session.refresh_from_db()
    assert session.version == 2
    assert session.point_count == 20
    assert removed not in session.regions[0]["points"]
    assert session.regions[0]["points"][-1] == [0.5, 2.0, 5.0, None]
    page = client.get(f"/sessions/{session.pk}/").content.decode()
    assert json_block(page, "pl-state")["version"] == 2
    assert 'name="version" value="2" data-bind="version"' in page


def test_a_save_from_a_stale_version_is_refused_naming_version(practice, ready, client_for):
    session = ready.start()
    client = editor_client(client_for, practice.practitioner)
    csrf = csrf_of(client.get(f"/sessions/{session.pk}/").content.decode())
    actions.save_draft(ready.nurse, session, {"notes": "the nurse saved first"}, version=1)
    regions = as_the_editor_sends(session.regions)
    regions[0]["points"] = regions[0]["points"][:5]

    response = patch(client, session.pk, {"regions": regions, "version": 1}, csrf)

    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("version: someone else saved this session")
    assert [e["field"] for e in body["errors"]] == ["version"]
    fresh = TreatmentSession.objects.get(pk=session.pk)
    assert (fresh.point_count, fresh.version) == (20, 2)


def test_htmx_gets_the_checklist_judged_on_the_saved_points(practice, ready, client_for):
    session = ready.start()
    regions = [dict(session.regions[0], points=session.regions[0]["points"][:7])]
    actions.save_draft(ready.membership, session, {"regions": regions}, version=1)
    client = client_for(practice.nurse)

    fragment = client.get(f"/sessions/{session.pk}/", headers={"HX-Request": "true"})
    page = client.get(f"/sessions/{session.pk}/").content.decode()

    body = fragment.content.decode()
    assert fragment.status_code == 200
    assert body.lstrip().startswith('<section class="card tx-checklist" id="tx-checklist"')
    assert "<html" not in body and "pl-editor" not in body
    assert "Dose engine: 7 points, 1.4 mL" in body
    # The page's checklist asks for that fragment whenever the editor saves.
    assert 'hx-trigger="pl-saved from:body"' in page
    assert f'hx-get="/sessions/{session.pk}/"' in page


@pytest.mark.parametrize(
    ("who", "page_status", "api_status"),
    [("outsider", 404, 404), ("sister_practitioner", 404, 404), ("reception", 403, 403)],
)
def test_other_clinics_and_reception_cannot_see_or_save_the_points(
    practice, ready, client_for, who, page_status, api_status
):
    session = ready.start()
    user = getattr(practice, who)
    client = client_for(user)

    page = client.get(f"/sessions/{session.pk}/")
    response = patch(client, session.pk, {"regions": [], "version": 1}, "")

    assert page.status_code == page_status
    assert "pl-regions" not in page.content.decode()
    assert response.status_code == api_status
    session.refresh_from_db()
    assert (session.point_count, session.version) == (20, 1)


def test_a_reason_the_saved_points_ask_for_gets_its_box_without_a_reload(
    practice, ready, client_for
):
    """The page asks for the checklist after each save of the points; the answer carries the
    draft form's boxes for reasons too (out of band), each kept as typed across saves."""
    session = ready.drafted()
    client = client_for(practice.practitioner)
    page = client.get(f"/sessions/{session.pk}/").content.decode()
    assert '<div id="tx-acks">' in page and "Reason to proceed despite" not in page

    region = session.regions[0]
    moved = dict(region, points=[*region["points"], [40.0, 40.0]])
    actions.save_draft(ready.membership, session, {"regions": [moved]})
    body = client.get(f"/sessions/{session.pk}/", headers={"HX-Request": "true"}).content
    boxes = body.decode().split('<div id="tx-acks" hx-swap-oob="true">', 1)[1]
    key = "placement.outside_region.neck-submental.submental"
    assert f'name="ack:{key}"' in boxes
    assert 'id="ack-placementoutside_regionneck-submentalsubmental"' in boxes
    assert "hx-preserve" in boxes


def test_a_signed_sessions_checklist_answer_has_no_reason_boxes(practice, ready, client_for):
    session = ready.signed()
    body = client_for(practice.practitioner).get(
        f"/sessions/{session.pk}/", headers={"HX-Request": "true"}
    )
    assert "tx-acks" not in body.content.decode()
