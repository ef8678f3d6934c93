"""Every page and endpoint × every role × another organisation: a role without the right is
refused (403), another organisation's caller finds nothing (404), and neither response
carries the patient's data."""

import pytest

from mesochart.testing.plans import ApiCaller
from mesochart.testing.sessions import GTIN
from mesochart.treatments import events

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

ROLES = ("admin", "practitioner", "nurse", "reception")
VIEW = {"admin", "practitioner", "nurse"}
RECORD = {"practitioner", "nurse"}
SIGN = {"practitioner"}
RECALL = {"admin", "practitioner"}


@pytest.fixture
def world(practice, ready):
    signed = ready.signed()
    draft = ready.drafted()
    event = events.record_event(
        ready.membership,
        practice.patient,
        {
            "event_type": "bruising",
            "severity": "mild",
            "onset_on": "2026-03-02",
            "causality": "probable",
            "outcome": "recovering",
            "session": signed.pk,
        },
    )
    return {
        "signed": signed.pk,
        "draft": draft.pk,
        "plan": ready.plan.pk,
        "patient": practice.patient.pk,
        "event": event.pk,
    }


PAGES = [
    ("get", "/sessions/{signed}/", VIEW, {}),
    ("post", "/sessions/{draft}/save/", RECORD, {"notes": "x"}),
    ("post", "/sessions/{draft}/sign/", SIGN, {}),
    ("post", "/sessions/{signed}/amend/", RECORD, {"kind": "addendum", "text": "x"}),
    ("post", "/sessions/{signed}/correct-lot/", SIGN, {"position": "0", "volume_drawn_ml": "5"}),
    ("post", "/sessions/{draft}/void/", RECORD, {"reason": "left"}),
    ("post", "/sessions/plan/{plan}/start/", RECORD, {"ad_hoc": "1"}),
    ("get", "/sessions/patient/{patient}/timeline/", VIEW, {}),
    ("get", "/sessions/patient/{patient}/adverse-events/new/", VIEW, {}),
    ("get", "/sessions/adverse-events/{event}/", VIEW, {}),
    ("get", "/sessions/adverse-events/{event}/report.csv", VIEW, {}),
    ("get", "/sessions/adverse-events/{event}/report.pdf", VIEW, {}),
    ("get", "/sessions/{signed}/record.pdf", VIEW, {}),
    ("get", "/sessions/{draft}/record.pdf", VIEW, {}),
    ("get", "/sessions/{signed}/aftercare.pdf", VIEW, {}),
]


def _no_data(response):
    body = response.content.decode(errors="replace")
    assert "LOPEZ" not in body and "Lopez" not in body and "DCA-001" not in body


@pytest.mark.parametrize(("method", "path", "allowed", "data"), PAGES, ids=[p[1] for p in PAGES])
def test_pages(practice, world, client_for, method, path, allowed, data):
    url = path.format(**world)
    for role in sorted(ROLES, key=lambda r: r in allowed):
        response = getattr(client_for(getattr(practice, role)), method)(url, data)
        if role in allowed:
            assert response.status_code not in (403, 404), (role, url)
        else:
            assert response.status_code == 403, (role, url)
            _no_data(response)
    response = getattr(client_for(practice.outsider), method)(url, data)
    assert response.status_code == 404, url
    _no_data(response)


def test_the_recall_page(practice, world, client_for):
    for role in ROLES:
        response = client_for(getattr(practice, role)).get("/sessions/recall/", {"lot": "DCA-001"})
        assert response.status_code == (200 if role in RECALL else 403), role
        if role in RECALL:
            assert "LOPEZ, Ana" in response.content.decode()
        else:
            _no_data(response)
    outsider = client_for(practice.outsider).get("/sessions/recall/", {"lot": "DCA-001"})
    assert outsider.status_code == 200
    body = outsider.content.decode()
    assert "Lot DCA-001: 0 patients, 0 sessions" in body
    assert "LOPEZ" not in body
    csv = client_for(practice.admin).get("/sessions/recall/", {"lot": "DCA-001", "format": "csv"})
    assert csv["Content-Type"] == "text/csv"


API = [
    ("get", "/sessions/{signed}", VIEW, None),
    ("patch", "/sessions/{draft}", RECORD, {"notes": "x", "version": 1}),
    ("post", "/sessions/{draft}/sign", SIGN, {"password": "a-long-test-password-1"}),
    ("post", "/sessions/{signed}/amendments", RECORD, {"kind": "addendum", "text": "x"}),
    (
        "post",
        "/sessions/{signed}/corrections",
        SIGN,
        {
            "password": "a-long-test-password-1",
            "position": 0,
            "volume_drawn_ml": "5",
            "reason": "x",
        },
    ),
    ("post", "/sessions/{draft}/void", RECORD, {"reason": "left"}),
    ("post", "/plans/{plan}/sessions", RECORD, {"ad_hoc": True}),
]


@pytest.mark.parametrize(("method", "path", "allowed", "body"), API, ids=[p[1] for p in API])
def test_api(practice, world, method, path, allowed, body):
    url = path.format(**world)
    for role in sorted(ROLES, key=lambda r: r in allowed):
        api = ApiCaller(getattr(practice, role))
        response = api.get(url) if method == "get" else api.post(url, body, method)
        if role in allowed:
            assert response.status_code not in (403, 404), (role, url, response.content)
        else:
            assert response.status_code == 403, (role, url)
            _no_data(response)
    api = ApiCaller(practice.outsider)
    response = api.get(url) if method == "get" else api.post(url, body, method)
    assert response.status_code == 404, url
    _no_data(response)


def test_the_scan_endpoint_is_for_staff_who_record(practice, world):
    for role in ROLES:
        response = ApiCaller(getattr(practice, role)).client.get(
            "/api/v1/lots/scan", {"code": f"01{GTIN}10DCA-001"}
        )
        assert response.status_code == (200 if role in RECORD else 403), role
    outsider = ApiCaller(practice.outsider).client.get(
        "/api/v1/lots/scan", {"code": f"01{GTIN}10DCA-001"}
    )
    assert outsider.status_code == 422
    assert outsider.json()["detail"].endswith("is not stock of this clinic")
