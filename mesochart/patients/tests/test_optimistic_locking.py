"""Two people editing the same chart: the second save is refused, nothing is overwritten.

The receptionist and the nurse both open Ana's record at version 1. The receptionist saves a
new phone number; the nurse's save, made from what she saw before, must not silently put the
old number back.
"""

import re

from mesochart.audit.models import Action, AuditEvent
from mesochart.patients.models import Patient
from mesochart.testing.patients import ApiCaller, edit_form

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

CONFLICT = (
    "someone else changed this record since you opened it; reload and apply your changes again"
)
NEW_PHONE = "+44 20 7946 0001"


def _updates(patient) -> int:
    return AuditEvent.objects.filter(patient_id=patient.pk, action=Action.UPDATE).count()


def _version_in_form(body: str) -> str:
    return re.search(r'name="version" value="(\d+)"', body).group(1)


def test_the_second_of_two_page_edits_from_the_same_version_is_refused(practice, client_for):
    ana = practice.patient
    receptionist = client_for(practice.reception)
    nurse = client_for(practice.nurse)
    opened = _version_in_form(nurse.get(f"/patients/{ana.pk}/edit/").content.decode())

    first = receptionist.post(f"/patients/{ana.pk}/edit/", edit_form(ana, phone=NEW_PHONE))
    second = nurse.post(
        f"/patients/{ana.pk}/edit/", edit_form(ana, given_name="Anna", version=opened)
    )

    assert first.status_code == 302
    assert second.status_code == 200
    assert f"Version: {CONFLICT}" in second.content.decode()
    saved = Patient.objects.get(pk=ana.pk)
    assert (saved.version, saved.phone, saved.given_name) == (2, NEW_PHONE, "Ana")
    assert _updates(ana) == 1


def test_the_refused_form_still_carries_the_version_it_was_opened_at(practice, client_for):
    """Saving the refused form again must not overwrite the colleague's change either."""
    ana = practice.patient
    nurse = client_for(practice.nurse)
    client_for(practice.reception).post(
        f"/patients/{ana.pk}/edit/", edit_form(ana, phone=NEW_PHONE)
    )
    refused = nurse.post(f"/patients/{ana.pk}/edit/", edit_form(ana, given_name="Anna"))

    resubmitted = nurse.post(
        f"/patients/{ana.pk}/edit/",
        edit_form(ana, given_name="Anna", version=_version_in_form(refused.content.decode())),
    )

    assert f"Version: {CONFLICT}" in resubmitted.content.decode()
    assert Patient.objects.get(pk=ana.pk).phone == NEW_PHONE


def test_the_second_of_two_api_edits_from_the_same_version_is_refused(practice):
    ana = practice.patient
    version = ApiCaller(practice.nurse).get(f"/patients/{ana.pk}").json()["version"]

    first = ApiCaller(practice.reception).patch(
        f"/patients/{ana.pk}", {"phone": NEW_PHONE, "version": version}
    )
    second = ApiCaller(practice.nurse).patch(
        f"/patients/{ana.pk}", {"given_name": "Anna", "version": version}
    )

    assert first.status_code == 200 and first.json()["version"] == 2
    assert second.status_code == 422
    assert second.json() == {
        "detail": f"version: {CONFLICT}",
        "errors": [{"field": "version", "rule": CONFLICT}],
    }
    saved = Patient.objects.get(pk=ana.pk)
    assert (saved.version, saved.phone, saved.given_name) == (2, NEW_PHONE, "Ana")
    assert _updates(ana) == 1


def test_a_page_edit_refuses_an_api_edit_made_from_the_old_version(practice, client_for):
    ana = practice.patient

    client_for(practice.reception).post(
        f"/patients/{ana.pk}/edit/", edit_form(ana, phone=NEW_PHONE)
    )
    late = ApiCaller(practice.nurse).patch(f"/patients/{ana.pk}", {"phone": "0", "version": 1})

    assert late.status_code == 422
    assert late.json()["errors"][0]["field"] == "version"
    assert Patient.objects.get(pk=ana.pk).phone == NEW_PHONE


def test_each_saved_edit_moves_the_version_on(practice, client_for):
    ana = practice.patient
    client = client_for(practice.reception)

    client.post(f"/patients/{ana.pk}/edit/", edit_form(ana, phone=NEW_PHONE))
    ana.refresh_from_db()
    client.post(f"/patients/{ana.pk}/edit/", edit_form(ana, address="1 High Street"))

    saved = Patient.objects.get(pk=ana.pk)
    assert (saved.version, saved.phone, saved.address) == (3, NEW_PHONE, "1 High Street")
    assert _updates(ana) == 2


def test_a_version_that_is_not_a_number_is_refused_by_name(practice, client_for):
    ana = practice.patient

    response = client_for(practice.reception).post(
        f"/patients/{ana.pk}/edit/", edit_form(ana, phone=NEW_PHONE, version="latest")
    )

    assert response.status_code == 200
    assert "Version: must be a whole number" in response.content.decode()
    assert Patient.objects.get(pk=ana.pk).version == 1


def test_an_api_change_without_the_version_read_is_refused_naming_version(practice):
    response = ApiCaller(practice.reception).client.patch(
        f"/api/v1/patients/{practice.patient.pk}",
        {"phone": "0"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "version"
