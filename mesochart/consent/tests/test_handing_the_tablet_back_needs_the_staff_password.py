"""The patient finishes, and the tablet stays theirs until staff prove who they are: "Staff:
continue" on the thank-you screen asks for the staff member's password (or authenticator
code) every time, and a wrong one keeps the tablet locked."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mesochart.audit.models import AuditEvent
from mesochart.consent.tablet import SESSION_KEY
from mesochart.testing.consent import clear_answers

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password-1"


@pytest.fixture
def finished(practice, client_for):
    """A tablet whose patient has just sent their answers."""
    client = client_for(practice.nurse)
    client.post(f"/consent/patients/{practice.patient.pk}/tablet/", {"area": "submental"})
    client.post("/consent/tablet/", clear_answers())
    return client


def test_the_thank_you_screen_offers_no_way_out_without_the_password(practice, finished):
    page = finished.get("/consent/tablet/").content.decode()
    assert "Thank you, Ana" in page
    assert 'name="password"' in page and "Staff: continue" in page
    assert f"/consent/patients/{practice.patient.pk}/" not in page  # no bare link onwards
    old_link = finished.get(f"/consent/tablet/done/{practice.patient.pk}/questionnaire/")
    assert old_link["Location"] == "/consent/tablet/"
    assert SESSION_KEY in finished.session


def test_a_wrong_password_keeps_the_tablet_locked_and_is_audited(practice, finished):
    refused = finished.post("/consent/tablet/exit/", {"password": "guess"})
    assert refused["Location"] == "/consent/tablet/"
    assert SESSION_KEY in finished.session
    assert finished.get(f"/consent/patients/{practice.patient.pk}/")["Location"] == (
        "/consent/tablet/"
    )
    assert AuditEvent.objects.filter(
        action="sign_in_failed", actor_id=practice.nurse.pk, detail__purpose="leave patient mode"
    ).exists()


def test_the_staff_password_continues_to_the_screening(practice, finished):
    response = finished.post("/consent/tablet/exit/", {"password": PASSWORD})
    assert response["Location"] == f"/consent/patients/{practice.patient.pk}/screenings/new/"
    assert SESSION_KEY not in finished.session


def test_the_staff_authenticator_code_continues_too(practice, finished):
    device = TOTPDevice.objects.create(user=practice.nurse, name="phone", confirmed=True)
    response = finished.post("/consent/tablet/exit/", {"password": f"{totp(device.bin_key):06d}"})
    assert response["Location"] == f"/consent/patients/{practice.patient.pk}/screenings/new/"


def test_the_password_is_asked_every_time(practice, finished, client_for):
    finished.post("/consent/tablet/exit/", {"password": PASSWORD})
    finished.post(f"/consent/patients/{practice.patient.pk}/tablet/", {"area": "submental"})
    finished.post("/consent/tablet/", clear_answers())
    assert finished.get(f"/consent/patients/{practice.patient.pk}/")["Location"] == (
        "/consent/tablet/"
    )
    assert finished.post("/consent/tablet/exit/", {"password": ""})["Location"] == (
        "/consent/tablet/"
    )
    assert SESSION_KEY in finished.session
