"""A photo page shows the patient and their photo consents even before the first photo is
taken: opening it is a read of their record, audited like every other (one ``read`` row in
the photo category, with the caller's address, written by `audit.log.record_read`)."""

import pytest

from mesochart.audit.models import Action, AuditEvent, Category, Outcome
from mesochart.testing.plans import ApiCaller

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

PAGES = ["/photos/patient/{pk}/", "/photos/patient/{pk}/capture/", "/photos/patient/{pk}/compare/"]
API = ["/patients/{pk}/photos", "/patients/{pk}/photo-consents"]


def _reads(practice):
    return AuditEvent.objects.filter(
        action=Action.READ, outcome=Outcome.SUCCESS, patient_id=practice.patient.pk
    )


@pytest.mark.parametrize("page", PAGES)
def test_a_photo_page_of_a_patient_with_no_photos_yet_is_an_audited_read(
    practice, client_for, page
):
    answer = client_for(practice.nurse).get(page.format(pk=practice.patient.pk))
    assert answer.status_code == 200
    (read,) = _reads(practice)
    assert (read.category, read.actor_id) == (Category.PHOTO, practice.nurse.pk)
    assert read.detail["photo_ids"] == [] and read.ip_address == "127.0.0.1"


@pytest.mark.parametrize("path", API)
def test_the_photo_endpoints_of_a_patient_with_no_photos_yet_are_audited_reads(practice, path):
    answer = ApiCaller(practice.nurse).get(path.format(pk=practice.patient.pk))
    assert answer.status_code == 200
    (read,) = _reads(practice)
    assert read.category == Category.PHOTO


def test_the_photo_consents_endpoint_names_what_it_showed(practice):
    ApiCaller(practice.nurse).get(f"/patients/{practice.patient.pk}/photo-consents")
    (read,) = _reads(practice)
    assert read.detail == {
        "what": "api photo consents",
        "consents": {"education": False, "marketing": False},
    }


def test_the_compare_page_listing_the_photos_to_choose_audits_them(practice, client_for, take):
    first, second = take(), take(view="profile_left")
    client_for(practice.practitioner).get(f"/photos/patient/{practice.patient.pk}/compare/")
    read = _reads(practice).latest("pk")
    assert read.detail["what"] == "compare choice"
    assert read.detail["photo_ids"] == [first.pk, second.pk]
