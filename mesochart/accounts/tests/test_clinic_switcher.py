"""Staff who work at several clinics switch between them; nobody switches into a stranger's."""

import pytest

from mesochart.accounts.models import Membership
from mesochart.accounts.roles import Role

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


@pytest.fixture
def nurse_at_two_clinics(practice, client_for):
    Membership.objects.create(user=practice.nurse, clinic=practice.sister_clinic, role=Role.NURSE)
    practice.make_patient(practice.sister_clinic, "Sara", "Sister", "MC-000002")
    return client_for(practice.nurse)


def test_a_nurse_at_two_clinics_switches_and_sees_that_clinics_patients(
    practice, nurse_at_two_clinics
):
    browser = nurse_at_two_clinics
    assert "LOPEZ" in browser.get("/patients/").text

    response = browser.post("/accounts/clinic/", {"clinic": practice.sister_clinic.pk})
    after = browser.get("/patients/")

    assert response.status_code == 302
    assert response.url == "/patients/"
    assert after.wsgi_request.clinic == practice.sister_clinic
    assert "SISTER" in after.text
    assert "LOPEZ" not in after.text


def test_switching_to_a_clinic_without_a_membership_is_not_found(practice, nurse_at_two_clinics):
    browser = nurse_at_two_clinics

    response = browser.post("/accounts/clinic/", {"clinic": practice.other_clinic.pk})

    assert response.status_code == 404
    assert browser.get("/patients/").wsgi_request.clinic == practice.clinic


def test_switching_to_a_clinic_where_the_membership_was_withdrawn_is_not_found(
    practice, nurse_at_two_clinics
):
    Membership.objects.filter(user=practice.nurse, clinic=practice.sister_clinic).update(
        active=False
    )

    response = nurse_at_two_clinics.post("/accounts/clinic/", {"clinic": practice.sister_clinic.pk})

    assert response.status_code == 404


def test_a_clinic_that_is_not_a_number_is_not_found(practice, nurse_at_two_clinics):
    response = nurse_at_two_clinics.post("/accounts/clinic/", {"clinic": "main-street"})

    assert response.status_code == 404


def test_switching_returns_to_the_page_the_nurse_was_on(practice, nurse_at_two_clinics):
    response = nurse_at_two_clinics.post(
        "/accounts/clinic/", {"clinic": practice.sister_clinic.pk, "next": "/accounts/tokens/"}
    )

    assert response.url == "/accounts/tokens/"


def test_switching_never_sends_the_browser_to_another_site(practice, nurse_at_two_clinics):
    response = nurse_at_two_clinics.post(
        "/accounts/clinic/",
        {"clinic": practice.sister_clinic.pk, "next": "https://phishing.example/sign-in"},
    )

    assert response.status_code == 302
    assert response.url == "/patients/"
