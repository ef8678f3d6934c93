"""Adverse events and the patient timeline over the JSON API: an event recorded by an
integrator reads back, lists, and exports the same pre-filled MedWatch CSV as the page; a
refused event leaves no row and no audit row; the timeline has the page's entries in the
page's order, in as many queries for 30 sessions as for 2; and every endpoint refuses
another clinic, another organisation and a too-junior role without showing the patient, and
writes the refusal to the audit log."""

import csv
import io
from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client

from mesochart.audit.models import AuditEvent
from mesochart.testing.plans import API, ApiCaller
from mesochart.testing.sessions import signed_history
from mesochart.treatments import actions, events
from mesochart.treatments.models import AdverseEvent
from mesochart.treatments.timeline import timeline

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

EVENT = {
    "event_type": "nodule",
    "severity": "moderate",
    "seriousness": ["intervention"],
    "onset_on": "2026-03-02",
    "causality": "probable",
    "outcome": "recovering",
    "description": "Firm nodule at two injection sites",
    "actions_taken": "Massage; review in a week",
    "follow_up_dates": ["2026-03-16", "2026-03-09"],
}


def _csv(response) -> dict[tuple[str, str], str]:
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["section", "field", "value"]
    return {(section, name): value for section, name, value in rows[1:]}


def test_an_event_recorded_through_the_api_reads_back_lists_and_exports(practice, ready):
    session = ready.signed()
    api = ApiCaller(practice.nurse)
    patient = practice.patient.pk

    created = api.post(f"/patients/{patient}/adverse-events", {**EVENT, "session": session.pk})

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["session"] == session.pk and body["patient"] == patient
    assert body["serious"] is True and body["seriousness"] == ["intervention"]
    assert body["follow_up_dates"] == ["2026-03-09", "2026-03-16"]
    assert [(lot["lot_number"], lot["expires_on"]) for lot in body["lots"]] == [
        ("DCA-001", "2027-01-31")
    ]
    reads = AuditEvent.objects.filter(actor_id=practice.nurse.pk, action="read", patient_id=patient)
    assert api.get(f"/adverse-events/{body['id']}").json() == body
    assert api.get(f"/patients/{patient}/adverse-events").json() == [body]
    assert reads.filter(category="clinical", outcome="success").count() == 2

    exports = AuditEvent.objects.filter(action="export", object_type="adverseevent")
    report = api.get(f"/adverse-events/{body['id']}/report.csv")

    assert report.status_code == 200
    assert report["Content-Type"] == "text/csv"
    fields = _csv(report)
    assert fields[("A. Patient", "Age at time of event (years)")] == "40"
    assert fields[("A. Patient", "Sex")] == "Female"
    assert fields[("D. Suspect product 1", "Name")] == ready.lot.product.name
    assert fields[("D. Suspect product 1", "Lot number")] == "DCA-001"
    assert fields[("D. Suspect product 1", "Expiration date")] == "2027-01-31"
    assert fields[("B. Adverse event", "Type")] == "Nodule"
    (export,) = exports.filter(actor_id=practice.nurse.pk)
    assert export.detail == {"report": "medwatch-3500", "format": "csv"}
    assert export.patient_id == patient


def _recorded(ready):
    """An event recorded as the page records it (follow-up dates as the form's text)."""
    data = {**EVENT, "follow_up_dates": "2026-03-16, 2026-03-09", "session": ready.signed().pk}
    return events.record_event(ready.membership, ready.practice.patient, data)


def test_the_api_csv_is_the_pages_csv(practice, ready, client_for):
    event = _recorded(ready)
    page = client_for(practice.practitioner).get(f"/sessions/adverse-events/{event.pk}/report.csv")
    api = ApiCaller(practice.practitioner).get(f"/adverse-events/{event.pk}/report.csv")
    assert api.content == page.content


@pytest.mark.parametrize(
    ("change", "field", "rule"),
    [
        ({"event_type": "sneeze"}, "event_type", "must be one of the listed choices"),
        ({"causality": None}, "causality", "is required"),
        ({"onset_on": "2026-03-03"}, "onset_on", "must not be in the future"),
        ({"seriousness": ["embarrassing"]}, "seriousness", "must be one of the listed choices"),
        ({"shoe_size": 38}, "shoe_size", "extra inputs are not permitted"),
    ],
    ids=["unknown type", "missing causality", "future onset", "unknown outcome", "unknown field"],
)
def test_a_refused_event_names_the_field_and_the_rule_and_writes_nothing(
    practice, ready, change, field, rule
):
    api = ApiCaller(practice.practitioner)
    audit_rows = AuditEvent.objects.count()
    body = {key: value for key, value in {**EVENT, **change}.items() if value is not None}

    response = api.post(f"/patients/{practice.patient.pk}/adverse-events", body)

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": field, "rule": rule}]
    assert response.json()["detail"] == f"{field}: {rule}"
    assert not AdverseEvent.objects.exists()
    assert AuditEvent.objects.count() == audit_rows


def test_the_timeline_lists_a_session_its_amendment_and_an_event_newest_first(practice, ready):
    api = ApiCaller(practice.nurse)
    session = ready.signed()  # 2 March, the frozen day
    with time_machine.travel(datetime(2026, 3, 3, 9, tzinfo=UTC), tick=False):
        actions.amend_session(ready.nurse, session, {"kind": "addendum", "text": "Called: fine"})
    with time_machine.travel(datetime(2026, 3, 5, 9, tzinfo=UTC), tick=False):
        created = api.post(
            f"/patients/{practice.patient.pk}/adverse-events",
            {**EVENT, "onset_on": "2026-03-04", "session": session.pk},
        )
        assert created.status_code == 201
        response = api.get(f"/patients/{practice.patient.pk}/timeline")

    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        actor_id=practice.nurse.pk,
        action="read",
        category="clinical",
        patient_id=practice.patient.pk,
    ).exists()
    entries = response.json()
    mine = [e for e in entries if e["kind"] in {"session", "amendment", "adverse_event"}]
    assert [(e["kind"], e["title"]) for e in mine] == [
        ("adverse_event", "Adverse event: nodule"),
        ("amendment", "Addendum to the session"),
        ("session", f"Session: Submental area ({ready.plan.title})"),  # the chart's words
    ]
    assert mine[1]["detail"] == "by nurse-user: Called: fine"
    assert mine[2]["lines"] == ["Deoxycholic acid injection 10 mg/mL, lot DCA-001, 4 mL drawn"]
    # The page's entries, all of them, in the page's order.
    page = timeline(practice.patient)
    assert [(e["kind"], e["title"], e["status"]) for e in entries] == [
        (e.kind, e.title, e.status) for e in page
    ]
    assert {e["kind"] for e in entries} == {
        "plan",
        "session",
        "amendment",
        "adverse_event",
        "screening",
        "consent",
    }


# Token and membership (3), the patient and its clinic (2), one query per kind of entry (7),
# the audited read (5 with its savepoint).
TIMELINE_QUERIES = 17


def test_the_timeline_costs_as_many_queries_for_30_sessions_as_for_2(
    practice, ready, django_assert_max_num_queries
):
    api = ApiCaller(practice.practitioner)
    url = f"/patients/{practice.patient.pk}/timeline"
    signed_history(ready, 2, points=60, addenda=True)
    api.get(url)  # the token's first use of the minute also writes its last use
    with django_assert_max_num_queries(TIMELINE_QUERIES) as two:
        short = api.get(url)
    signed_history(ready, 28, points=60, addenda=True)
    with django_assert_max_num_queries(TIMELINE_QUERIES) as thirty:
        long = api.get(url)

    assert [e["kind"] for e in short.json()].count("session") == 2
    assert [e["kind"] for e in long.json()].count("session") == 30
    assert [e["kind"] for e in long.json()].count("amendment") == 30
    assert len(thirty.captured_queries) == len(two.captured_queries)


@pytest.fixture
def world(practice, ready):
    return {"patient": practice.patient.pk, "event": _recorded(ready).pk}


CLINICAL = {"admin", "practitioner", "nurse"}  # session.view and adverse.record
ENDPOINTS = [
    ("get", "/patients/{patient}/adverse-events", 200),
    ("post", "/patients/{patient}/adverse-events", 201),
    ("get", "/adverse-events/{event}", 200),
    ("get", "/adverse-events/{event}/report.csv", 200),
    ("get", "/patients/{patient}/timeline", 200),
]


def _call(user, method, url):
    api = ApiCaller(user)
    return api.get(url) if method == "get" else api.post(url, EVENT)


def _no_patient_data(response):
    body = response.content.decode(errors="replace")
    for secret in ("Lopez", "LOPEZ", "MC-000001", "1985-04-12", "DCA-001", "nodule", "Nodule"):
        assert secret not in body


@pytest.mark.parametrize(
    ("method", "path", "ok"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _ in ENDPOINTS]
)
def test_every_endpoint_is_for_this_clinics_clinical_staff_only(practice, world, method, path, ok):
    url = path.format(**world)
    events_before = AdverseEvent.objects.count()
    for role in ("admin", "practitioner", "nurse"):  # admin: the owner role
        assert _call(getattr(practice, role), method, url).status_code == ok, role

    refusals = [
        (practice.reception, 403, "a too-junior role"),
        (practice.sister_practitioner, 404, "the sister clinic"),
        (practice.outsider, 404, "another organisation"),
    ]
    for user, status, who in refusals:
        denied = AuditEvent.objects.filter(actor_id=user.pk, outcome="denied")
        response = _call(user, method, url)
        assert response.status_code == status, who
        assert set(response.json()) == {"detail", "errors"}
        _no_patient_data(response)
        # Written once, by patients.access.get_patient or treatments.access.get_event.
        assert denied.count() == 1, who
    created = AdverseEvent.objects.count() - events_before
    assert created == (3 if method == "post" else 0)


def test_the_schema_describes_the_new_endpoints(db):
    schema = Client().get(f"{API}/openapi.json").json()
    paths = schema["paths"]
    assert set(paths[f"{API}/patients/{{patient_id}}/adverse-events"]) == {"get", "post"}
    assert set(paths[f"{API}/adverse-events/{{event_id}}"]) == {"get", "patch"}  # follow-up
    assert set(paths[f"{API}/patients/{{patient_id}}/timeline"]) == {"get"}
    report = paths[f"{API}/adverse-events/{{event_id}}/report.csv"]["get"]
    assert "text/csv" in report["responses"]["200"]["content"]
    body = schema["components"]["schemas"]["AdverseEventIn"]
    assert body["additionalProperties"] is False
    assert "nodule" in body["properties"]["event_type"]["anyOf"][0]["enum"]
    follow_up = schema["components"]["schemas"]["FollowUpIn"]
    assert follow_up["additionalProperties"] is False
    assert follow_up["required"] == ["version"]
    assert "event_type" not in follow_up["properties"]
    assert "onset_on" not in follow_up["properties"]
    event = schema["components"]["schemas"]["AdverseEventOut"]["properties"]
    assert {"version", "updates"} <= set(event)
    # The patients router's "/{patient_id}/{kind}" is still there, and still POST only.
    assert set(paths[f"{API}/patients/{{patient_id}}/{{kind}}"]) == {"post"}
