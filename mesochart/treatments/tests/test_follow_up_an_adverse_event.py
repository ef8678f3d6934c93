"""Following an adverse event up: the event row takes the new outcome, actions, follow-up
dates, causality or seriousness, its version goes up, and a follow-up row keeps what changed
(from → to) so the first report stays readable; the report exports the current outcome.
What was reported (type, onset, severity) cannot be changed; a stale version, an invalid
value and a follow-up that changes nothing are refused and write nothing; only this clinic's
clinical staff may follow up, and every refused access to an event or a session is audited."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError

from mesochart.audit.models import AuditEvent
from mesochart.testing.plans import ApiCaller
from mesochart.treatments import events
from mesochart.treatments.access import get_event, get_session
from mesochart.treatments.models import AdverseEvent, AdverseEventUpdate

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

NODULE = {
    "event_type": "nodule",
    "severity": "moderate",
    "onset_on": "2026-03-02",
    "causality": "probable",
    "outcome": "recovering",
    "description": "Firm nodule at two injection sites",
    "actions_taken": "Massage",
    "follow_up_dates": "2026-03-09",
}
# The page's follow-up form as it is filled in: every evolving field, changed or not.
FORM = {
    "version": "1",
    "outcome": "recovered",
    "causality": "probable",
    "actions_taken": "Massage",
    "follow_up_dates": "2026-03-09, 2026-04-13",
    "note": "Seen at week 6: no nodule on palpation",
}


@pytest.fixture
def nodule(practice, ready) -> AdverseEvent:
    data = {**NODULE, "session": ready.signed().pk}
    return events.record_event(ready.membership, practice.patient, data)


def _page(event) -> str:
    return f"/sessions/adverse-events/{event.pk}/follow-up/"


def _csv(content: bytes) -> dict[tuple[str, str], str]:
    rows = list(csv.reader(io.StringIO(content.decode())))
    return {(section, name): value for section, name, value in rows[1:]}


def test_a_practitioner_follows_up_a_nodule_that_has_recovered(practice, nodule, client_for):
    client = client_for(practice.practitioner)
    updates = AuditEvent.objects.filter(action="update", object_type="adverseevent")

    response = client.post(_page(nodule), FORM)

    assert response.status_code == 302
    event = AdverseEvent.objects.get(pk=nodule.pk)
    assert event.outcome == "recovered"
    assert event.follow_up_dates == ["2026-03-09", "2026-04-13"]
    assert event.version == 2
    # What was reported is what it was.
    assert (event.event_type, event.severity, event.onset_on.isoformat()) == (
        "nodule",
        "moderate",
        "2026-03-02",
    )
    assert event.description == NODULE["description"]
    assert list(event.lots.values_list("lot_number", flat=True)) == ["DCA-001"]
    (update,) = AdverseEventUpdate.objects.filter(event=event)
    assert update.changes == {
        "outcome": {"from": "recovering", "to": "recovered"},
        "follow_up_dates": {"from": ["2026-03-09"], "to": ["2026-03-09", "2026-04-13"]},
    }
    assert update.note == FORM["note"]
    assert update.by == practice.practitioner
    (audit,) = updates
    assert audit.actor_id == practice.practitioner.pk
    assert audit.category == "treatment" and audit.outcome == "success"
    assert audit.patient_id == practice.patient.pk
    assert audit.detail["fields"] == ["follow_up_dates", "outcome"]

    page = client.get(response["Location"]).content.decode()
    assert "Outcome: Recovering → Recovered" in page
    assert FORM["note"] in page
    report = _csv(client.get(f"/sessions/adverse-events/{event.pk}/report.csv").content)
    assert report[("B. Adverse event", "Outcome")] == "Recovered"
    assert report[("B. Adverse event", "Follow-up dates")] == "2026-03-09, 2026-04-13"
    assert report[("B. Adverse event", "Type")] == "Nodule"
    assert report[("B. Adverse event", "Date of event")] == "2026-03-02"


def test_an_event_followed_up_through_the_api_becomes_serious(practice, nodule):
    api = ApiCaller(practice.nurse)
    url = f"/adverse-events/{nodule.pk}"
    body = {
        "version": 1,
        "seriousness": ["intervention"],
        "causality": "certain",
        "actions_taken": "Massage; hyaluronidase",
    }

    response = api.post(url, body, "patch")

    assert response.status_code == 200, response.content
    event = response.json()
    assert event["version"] == 2
    assert event["serious"] is True and event["seriousness"] == ["intervention"]
    assert event["outcome"] == "recovering"  # not named: unchanged
    (update,) = event["updates"]
    assert update["by"] == practice.nurse.pk
    assert update["changes"] == {
        "seriousness": {"from": [], "to": ["intervention"]},
        "causality": {"from": "probable", "to": "certain"},
        "actions_taken": {"from": "Massage", "to": "Massage; hyaluronidase"},
    }
    assert api.get(url).json() == event
    assert api.get(f"/patients/{practice.patient.pk}/adverse-events").json() == [event]


def _followed_up_once(ready, nodule):
    """Version 2: someone recorded the recovery; a caller still holding version 1 is stale."""
    return events.follow_up(ready.membership, nodule, {"version": 1, "outcome": "recovered"})


REFUSED = [
    ({"version": 1, "actions_taken": "Drained"}, "version", None),
    ({"version": 2, "event_type": "pain"}, "event_type", "extra inputs are not permitted"),
    ({"version": 2, "onset_on": "2026-03-01"}, "onset_on", "extra inputs are not permitted"),
    ({"version": 2, "outcome": "cured"}, "outcome", "must be one of the listed choices"),
    ({"version": 2, "follow_up_dates": ["soon"]}, "follow_up_dates.0", None),
    ({"outcome": "sequelae"}, "version", "field required"),
    ({"version": 2, "outcome": "recovered"}, "", events.NO_CHANGE),
    ({"version": 2, "note": "Phoned: fine"}, "", events.NO_CHANGE),
]


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    REFUSED,
    ids=[
        "stale version",
        "type",
        "onset",
        "invalid outcome",
        "not a date",
        "no version",
        "no-op",
        "a note alone",
    ],
)
def test_a_refused_follow_up_names_the_field_and_writes_nothing(
    practice, ready, nodule, body, field, rule
):
    _followed_up_once(ready, nodule)
    audit_rows = AuditEvent.objects.count()

    response = ApiCaller(practice.practitioner).post(f"/adverse-events/{nodule.pk}", body, "patch")

    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == field
    if rule is not None:
        assert error["rule"] == rule
    event = AdverseEvent.objects.get(pk=nodule.pk)
    assert (event.version, event.outcome, event.actions_taken) == (2, "recovered", "Massage")
    assert (event.event_type, event.onset_on.isoformat()) == ("nodule", "2026-03-02")
    assert AdverseEventUpdate.objects.count() == 1
    assert AuditEvent.objects.count() == audit_rows


def test_a_stale_follow_up_says_which_version_is_current(ready, nodule):
    _followed_up_once(ready, nodule)
    stale = AdverseEvent.objects.get(pk=nodule.pk)
    with pytest.raises(ValidationError) as refused:
        events.follow_up(ready.membership, stale, {"version": "1", "outcome": "sequelae"})
    assert refused.value.message_dict == {"version": [events.STALE.format(2)]}


def test_a_follow_up_whose_audit_row_fails_is_not_half_written(ready, nodule, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(events, "record", broken)
    with pytest.raises(RuntimeError):
        events.follow_up(ready.membership, nodule, {"version": 1, "outcome": "recovered"})
    event = AdverseEvent.objects.get(pk=nodule.pk)
    assert (event.version, event.outcome) == (1, "recovering")
    assert not AdverseEventUpdate.objects.exists()


def test_the_page_shows_a_refused_follow_up_by_its_label_and_rule(practice, nodule, client_for):
    client = client_for(practice.nurse)
    audit_rows = AuditEvent.objects.count()

    response = client.post(_page(nodule), {**FORM, "outcome": "cured"})

    assert response.status_code == 422
    page = response.content.decode()
    assert "Outcome: must be one of the listed choices" in page
    assert "outcome: " not in page
    assert "2026-04-13" in page  # what was typed is kept
    assert AdverseEvent.objects.get(pk=nodule.pk).version == 1
    assert not AdverseEventUpdate.objects.exists()
    assert AuditEvent.objects.count() == audit_rows


@pytest.fixture
def callers(practice, nodule, client_for):
    """Each caller, as the page's form and as the API: both send the current version and
    flip the outcome, so that every allowed call changes something."""

    def current():
        version = AdverseEvent.objects.get(pk=nodule.pk).version
        return version, "recovered" if version % 2 else "recovering"

    def page(user):
        version, outcome = current()
        data = {**FORM, "version": version, "outcome": outcome, "note": f"by {user.username}"}
        return client_for(user).post(_page(nodule), data)

    def patch(user):
        version, outcome = current()
        body = {"version": version, "outcome": outcome, "note": f"by {user.username}"}
        return ApiCaller(user).post(f"/adverse-events/{nodule.pk}", body, "patch")

    return {"page": page, "patch": patch}


@pytest.mark.parametrize("way", ["page", "patch"])
def test_only_this_clinics_clinical_staff_follow_up_and_refusals_are_audited(
    practice, nodule, callers, way
):
    call = callers[way]
    for role in ("admin", "practitioner", "nurse"):
        before = AdverseEventUpdate.objects.count()
        response = call(getattr(practice, role))
        assert response.status_code in (200, 302), (role, response.content)
        assert AdverseEventUpdate.objects.count() == before + 1, role

    version = AdverseEvent.objects.get(pk=nodule.pk).version
    refusals = [
        (practice.reception, 403, "a too-junior role"),
        (practice.sister_practitioner, 404, "the sister clinic"),
        (practice.outsider, 404, "another organisation"),
    ]
    for user, status, who in refusals:
        response = call(user)
        assert response.status_code == status, who
        body = response.content.decode(errors="replace")
        assert "Lopez" not in body and "LOPEZ" not in body and "nodule" not in body, who
        (denied,) = AuditEvent.objects.filter(actor_id=user.pk, outcome="denied")
        assert denied.category == "treatment", who
        if status == 403:
            assert denied.patient_id == practice.patient.pk
            assert denied.detail == {"event_id": str(nodule.pk), "permission": "adverse.record"}
        else:
            assert denied.patient_id is None
            assert denied.detail == {"event_id": str(nodule.pk), "reason": "not in this clinic"}
    assert AdverseEvent.objects.get(pk=nodule.pk).version == version
    assert AdverseEventUpdate.objects.count() == 3
    assert not AdverseEventUpdate.objects.filter(by__in=[u for u, _, _ in refusals]).exists()


def test_a_refused_look_at_a_session_is_audited(practice, ready, client_for):
    session = ready.signed()
    reception = client_for(practice.reception).get(f"/sessions/{session.pk}/")
    outsider = client_for(practice.outsider).get(f"/sessions/{session.pk}/")

    assert (reception.status_code, outsider.status_code) == (403, 404)
    (junior,) = AuditEvent.objects.filter(actor_id=practice.reception.pk, outcome="denied")
    assert junior.patient_id == practice.patient.pk
    assert junior.detail == {"session_id": str(session.pk), "permission": "session.view"}
    (other,) = AuditEvent.objects.filter(actor_id=practice.outsider.pk, outcome="denied")
    assert other.detail == {"session_id": str(session.pk), "reason": "not in this clinic"}
    assert other.patient_id is None and other.clinic_id == practice.other_clinic.pk


def test_an_allowed_look_still_costs_one_query_and_writes_no_refusal(
    practice, ready, nodule, django_assert_num_queries
):
    session = nodule.session
    with django_assert_num_queries(1):
        assert get_session(ready.membership, session.pk).patient.clinic == practice.clinic
    with django_assert_num_queries(1):
        assert get_event(ready.membership, nodule.pk).session == session
    assert not AuditEvent.objects.filter(outcome="denied").exists()
