"""Voiding a record or a history item: it leaves every list but stays, with who, when and why.

A record registered twice or an allergy entered on the wrong chart is voided with a reason,
never deleted: the row and its audit entry remain for the medico-legal record.
"""

import pytest

from mesochart.audit.models import Action, AuditEvent, Category
from mesochart.patients.models import Allergy, Condition, Medication, Patient
from mesochart.testing.patients import HTMX, ApiCaller, add_history

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

REASON = "Registered twice; the chart to keep is MC-000002."
RULE = "is required: say why the record is voided"
HISTORY = {"allergy": Allergy, "medication": Medication, "condition": Condition}
API_KINDS = {"allergy": "allergies", "medication": "medications", "condition": "conditions"}


def _void_events(patient):
    return AuditEvent.objects.filter(patient_id=patient.pk, action=Action.VOID)


@pytest.fixture
def ana(practice):
    return practice.patient


@pytest.mark.parametrize("via", ["page", "api"])
def test_a_voided_record_leaves_the_lists_but_is_kept_with_who_when_and_why(
    practice, client_for, ana, via
):
    client = client_for(practice.practitioner)
    api = ApiCaller(practice.practitioner)

    if via == "page":
        response = client.post(f"/patients/{ana.pk}/void/", {"reason": REASON})
        assert response.status_code == 302 and response["Location"] == "/patients/"
    else:
        response = api.post(f"/patients/{ana.pk}/void", {"reason": REASON})
        assert response.status_code == 200

    chart = f'href="/patients/{ana.pk}/"'
    assert chart not in client.get("/patients/").content.decode()
    assert chart not in client.get("/patients/", {"q": "lopez"}, headers=HTMX).content.decode()
    assert api.get("/patients", {"q": "lopez"}).json() == []
    assert client.get(f"/patients/{ana.pk}/").status_code == 404
    assert api.get(f"/patients/{ana.pk}").status_code == 404
    kept = Patient.objects.get(pk=ana.pk)
    assert kept.voided_by == practice.practitioner
    assert kept.voided_at is not None
    assert kept.void_reason == REASON
    [event] = _void_events(ana)
    assert (event.actor_id, event.detail) == (practice.practitioner.pk, {"reason": REASON})


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "spaces"])
def test_a_record_is_not_voided_without_a_reason(practice, client_for, ana, reason):
    client = client_for(practice.admin)

    page = client.post(f"/patients/{ana.pk}/void/", {"reason": reason}, follow=True)
    api = ApiCaller(practice.admin).post(f"/patients/{ana.pk}/void", {"reason": reason})

    assert f"Reason: {RULE}" in page.content.decode()
    assert f"reason: {RULE}" not in page.content.decode()
    assert api.status_code == 422
    assert api.json()["errors"] == [
        {"field": "reason", "rule": "is required: say why the record is voided"}
    ]
    assert Patient.objects.current().filter(pk=ana.pk).exists()
    assert not _void_events(ana).exists()


def test_the_api_names_a_reason_left_out_altogether(practice, ana):
    response = ApiCaller(practice.admin).post(f"/patients/{ana.pk}/void", {})

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["reason"]
    assert Patient.objects.current().filter(pk=ana.pk).exists()


def test_an_over_long_reason_is_refused_by_name(practice, client_for, ana):
    response = ApiCaller(practice.admin).post(f"/patients/{ana.pk}/void", {"reason": "x" * 1001})

    assert response.json()["errors"] == [
        {"field": "reason", "rule": "must be at most 1000 characters"}
    ]
    assert Patient.objects.current().filter(pk=ana.pk).exists()


def test_a_voided_record_can_be_neither_voided_again_nor_edited(practice, client_for, ana):
    client = client_for(practice.admin)
    client.post(f"/patients/{ana.pk}/void/", {"reason": REASON})

    again = client.post(f"/patients/{ana.pk}/void/", {"reason": "again"})
    edit = client.get(f"/patients/{ana.pk}/edit/")
    api_edit = ApiCaller(practice.admin).patch(f"/patients/{ana.pk}", {"phone": "1"})

    assert (again.status_code, edit.status_code, api_edit.status_code) == (404, 404, 404)
    assert _void_events(ana).count() == 1
    assert Patient.objects.get(pk=ana.pk).void_reason == REASON


@pytest.mark.parametrize("kind", list(HISTORY))
def test_a_voided_history_item_leaves_the_chart_but_is_kept_with_who_when_and_why(
    practice, client_for, ana, kind
):
    item = add_history(ana, "wrong-chart")[kind]
    text = str(item)
    client = client_for(practice.nurse)

    response = client.post(f"/patients/{ana.pk}/{kind}/{item.pk}/void/", {"reason": REASON})

    assert response.status_code == 302
    assert text not in client.get(f"/patients/{ana.pk}/").content.decode()
    clinical = ApiCaller(practice.nurse).get(f"/patients/{ana.pk}").json()["clinical"]
    assert clinical[API_KINDS[kind]] == []
    item.refresh_from_db()
    assert (item.voided_by, item.void_reason) == (practice.nurse, REASON)
    assert item.voided_at is not None
    [event] = _void_events(ana)
    assert (event.category, event.object_type, event.object_id) == (
        Category.CLINICAL,
        kind,
        str(item.pk),
    )
    assert event.detail == {"reason": REASON}


@pytest.mark.parametrize("kind", list(HISTORY))
def test_a_history_item_is_not_voided_without_a_reason(practice, client_for, ana, kind):
    item = add_history(ana, "kept")[kind]

    page = client_for(practice.nurse).post(
        f"/patients/{ana.pk}/{kind}/{item.pk}/void/", {"reason": ""}, follow=True
    )

    body = page.content.decode()
    assert f"Reason for voiding: {RULE}" in body
    assert f"{kind}.reason" not in body
    assert str(item) in body
    assert HISTORY[kind].objects.get(pk=item.pk).voided_at is None
    assert not _void_events(ana).exists()


def test_voiding_an_allergy_twice_is_not_found_the_second_time(practice, client_for, ana):
    allergy = add_history(ana, "once")["allergy"]
    client = client_for(practice.nurse)
    url = f"/patients/{ana.pk}/allergy/{allergy.pk}/void/"

    first = client.post(url, {"reason": REASON})
    second = client.post(url, {"reason": "and again"})

    assert (first.status_code, second.status_code) == (302, 404)
    assert Allergy.objects.get(pk=allergy.pk).void_reason == REASON
    assert _void_events(ana).count() == 1


def test_an_item_of_another_chart_cannot_be_voided_through_this_one(practice, client_for, ana):
    other = practice.make_patient(practice.clinic, "Brigid", "Nolan", "MC-000777")
    theirs = add_history(other, "theirs")["allergy"]

    response = client_for(practice.nurse).post(
        f"/patients/{ana.pk}/allergy/{theirs.pk}/void/", {"reason": REASON}
    )

    assert response.status_code == 404
    assert Allergy.objects.get(pk=theirs.pk).voided_at is None
    assert not AuditEvent.objects.filter(action=Action.VOID).exists()
