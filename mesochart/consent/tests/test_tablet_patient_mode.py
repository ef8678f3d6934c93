"""Patient mode on a tablet: a member of staff hands it over for one task; the patient sees
that task only, in large print, with nothing from the record but their own answers; sending
it returns the tablet to staff mode; leaving early needs the staff member's password."""

import pytest
from django.test import Client

from mesochart.consent.models import CollectionMode, Consent, QuestionnaireResponse
from mesochart.consent.tablet import SESSION_KEY
from mesochart.patients.models import Allergy, Medication
from mesochart.testing.consent import (
    clear_answers,
    cocktail,
    signature_data_url,
    template,
)

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password-1"


@pytest.fixture
def tablet(practice, client_for):
    Medication.objects.create(patient=practice.patient, name="Warfarin", anticoagulant=True)
    client = client_for(practice.nurse)
    started = client.post(f"/consent/patients/{practice.patient.pk}/tablet/", {"area": "submental"})
    assert started["Location"] == "/consent/tablet/"
    return client


def test_the_patient_sees_only_the_questions(practice, tablet):
    page = tablet.get("/consent/tablet/").content.decode()
    assert "Hello Ana" in page
    assert "Submental" in page
    assert 'aria-label="Main"' not in page  # no staff navigation
    assert "Viewed by" not in page and "MC-000001" not in page
    assert "/patients/" not in page  # no link back into the record
    assert 'name="pregnant"' in page


def test_staff_pages_go_back_to_the_patients_task(practice, tablet):
    for url in (
        f"/consent/patients/{practice.patient.pk}/",
        f"/consent/patients/{practice.patient.pk}/consents/",
    ):
        response = tablet.get(url)
        assert response.status_code == 302
        assert response["Location"] == "/consent/tablet/"


def test_the_lock_middleware_keeps_every_other_page_away(practice, tablet, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "mesochart.consent.tablet.TabletLockMiddleware"]
    browser = Client()  # a new handler loads the new middleware; same session cookie
    browser.cookies = tablet.cookies
    for url in (f"/patients/{practice.patient.pk}/", "/patients/", "/audit/"):
        response = browser.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/consent/tablet/"
    assert browser.get("/consent/tablet/").status_code == 200


def test_sending_the_answers_keeps_the_tablet_locked_on_the_thank_you(practice, tablet):
    response = tablet.post("/consent/tablet/", clear_answers(anticoagulants="yes"))
    assert response.status_code == 302
    assert response["Location"] == "/consent/tablet/"
    saved = QuestionnaireResponse.objects.get()
    assert saved.mode == CollectionMode.PATIENT
    assert saved.area == "submental"
    assert "Thank you, Ana" in tablet.get("/consent/tablet/").content.decode()
    assert SESSION_KEY in tablet.session
    chart = tablet.get(f"/consent/patients/{practice.patient.pk}/")
    assert chart["Location"] == "/consent/tablet/"


def test_missing_answers_keep_the_patient_on_the_questions(practice, tablet):
    page = tablet.post("/consent/tablet/", clear_answers(pregnant=None))
    assert page.status_code == 200
    assert "Pregnancy: please answer" in page.content.decode()
    assert SESSION_KEY in tablet.session


def test_leaving_early_needs_the_staff_password(practice, tablet):
    wrong = tablet.post("/consent/tablet/exit/", {"password": "guess"})
    assert wrong["Location"] == "/consent/tablet/"
    assert SESSION_KEY in tablet.session
    right = tablet.post("/consent/tablet/exit/", {"password": PASSWORD})
    assert right["Location"] == f"/consent/patients/{practice.patient.pk}/"
    assert SESSION_KEY not in tablet.session


def test_guessing_the_staff_password_ends_the_staff_session(practice, tablet):
    for _ in range(4):
        assert tablet.post("/consent/tablet/exit/", {"password": "guess"})["Location"] == (
            "/consent/tablet/"
        )
    last = tablet.post("/consent/tablet/exit/", {"password": "guess"})
    assert last["Location"] == "/accounts/sign-in/"
    assert tablet.get(f"/consent/patients/{practice.patient.pk}/").status_code == 302
    assert "_auth_user_id" not in tablet.session


def test_the_patient_reads_and_signs_the_consent(practice, client_for):
    template(practice)
    version = cocktail(practice, pcdc_lipolysis=4)
    client = client_for(practice.reception)
    target = {"cocktail": version.pk, "area": "submental", "indication": "lipolysis"}
    started = client.post(f"/consent/patients/{practice.patient.pk}/consents/new/", target)
    assert started["Location"] == "/consent/tablet/"
    page = client.get("/consent/tablet/").content.decode()
    assert "Patient: Ana LOPEZ" in page
    assert "signature-pad.js" in page
    sha = page.split('name="document_sha256" value="')[1].split('"')[0]
    signed = client.post(
        "/consent/tablet/",
        {"signer_name": "Ana Lopez", "signature": signature_data_url(), "document_sha256": sha},
        HTTP_USER_AGENT="Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)",
    )
    assert signed["Location"] == "/consent/tablet/"
    consent = Consent.objects.get()
    assert consent.witness == practice.reception
    assert consent.user_agent.startswith("Mozilla/5.0 (iPad")
    assert SESSION_KEY in client.session


def test_reception_starting_patient_mode_shows_no_recorded_allergies(practice, client_for):
    Allergy.objects.create(patient=practice.patient, substance="Zanzibarium")
    client = client_for(practice.reception)
    client.post(f"/consent/patients/{practice.patient.pk}/tablet/", {"area": "chin"})
    assert "Zanzibarium" not in client.get("/consent/tablet/").content.decode()
