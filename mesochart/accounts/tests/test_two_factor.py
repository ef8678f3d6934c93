"""Practitioners and admins pass a TOTP check after their password; reception may skip it.

The clock is frozen so that codes are computed for a known 30-second step; django-otp
accepts one step either side, refuses a code already used, and after a wrong code waits
before it will check another one.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mesochart.accounts.roles import Role
from mesochart.audit.models import Action, AuditEvent, Outcome

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

PASSWORD = "a-long-test-password-1"
MORNING = datetime(2026, 3, 2, 9, 0, 5, tzinfo=UTC)


def _code(device) -> str:
    return f"{totp(device.bin_key):06d}"


def _a_code_that_is_not_accepted_now(device) -> str:
    clock = TOTP(device.bin_key)
    accepted = set()
    for drift in (-1, 0, 1):
        clock.drift = drift
        accepted.add(clock.token())
    wrong = next(n for n in range(10**6) if n not in accepted)
    return f"{wrong:06d}"


def _phone(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def _past_the_password(client, user):
    response = client.post("/accounts/sign-in/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.ADMIN])
def test_after_the_password_every_page_leads_to_the_two_factor_check(practice, client, role):
    user = practice.users[role]
    _phone(user)

    response = _past_the_password(client, user)

    assert response.url == "/accounts/two-factor/"
    for page in ("/patients/", "/accounts/staff/", "/accounts/tokens/", "/audit/"):
        redirected = client.get(page)
        assert redirected.status_code == 302, page
        assert redirected.url == "/accounts/two-factor/", page


def test_the_api_refuses_a_session_that_has_not_passed_the_second_factor(practice, client):
    _phone(practice.practitioner)
    _past_the_password(client, practice.practitioner)

    assert client.get("/api/v1/patients").status_code == 401


def test_a_wrong_code_is_refused_and_audited(practice, client):
    device = _phone(practice.practitioner)
    with time_machine.travel(MORNING, tick=False):
        _past_the_password(client, practice.practitioner)
        response = client.post(
            "/accounts/two-factor/", {"code": _a_code_that_is_not_accepted_now(device)}
        )

        assert response.status_code == 200
        assert "is not the current code from your authenticator app" in response.text
        assert client.get("/patients/").url == "/accounts/two-factor/"
    event = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert event.actor_id == practice.practitioner.pk
    assert event.outcome == Outcome.FAILURE
    assert event.detail == {"reason": "wrong TOTP code"}


def test_the_right_code_lets_the_practitioner_in(practice, client):
    device = _phone(practice.practitioner)
    with time_machine.travel(MORNING, tick=False):
        _past_the_password(client, practice.practitioner)
        response = client.post("/accounts/two-factor/", {"code": _code(device)})

        assert response.status_code == 302
        assert response.url == "/patients/"
        assert client.get("/patients/").status_code == 200
    event = AuditEvent.objects.filter(action=Action.SIGN_IN).latest("pk")
    assert event.detail == {"second_factor": "totp", "enrolled": False}


def test_the_right_code_after_a_wrong_one_works_once_the_throttle_has_passed(practice, client):
    device = _phone(practice.practitioner)
    with time_machine.travel(MORNING, tick=False) as clock:
        _past_the_password(client, practice.practitioner)
        client.post("/accounts/two-factor/", {"code": _a_code_that_is_not_accepted_now(device)})

        refused = client.post("/accounts/two-factor/", {"code": _code(device)})
        assert refused.status_code == 200
        clock.shift(timedelta(seconds=5))
        accepted = client.post("/accounts/two-factor/", {"code": _code(device)})

    assert accepted.status_code == 302
    assert accepted.url == "/patients/"


def test_a_code_cannot_be_used_twice(practice, client):
    device = _phone(practice.practitioner)
    with time_machine.travel(MORNING, tick=False):
        code = _code(device)
        _past_the_password(client, practice.practitioner)
        assert client.post("/accounts/two-factor/", {"code": code}).status_code == 302

        again = type(client)()
        _past_the_password(again, practice.practitioner)
        replayed = again.post("/accounts/two-factor/", {"code": code})

        assert replayed.status_code == 200
        assert again.get("/patients/").url == "/accounts/two-factor/"


def test_a_practitioner_without_a_device_enrols_with_a_qr_code(practice, client):
    with time_machine.travel(MORNING, tick=False):
        _past_the_password(client, practice.practitioner)
        page = client.get("/accounts/two-factor/")

        assert page.status_code == 200
        assert "Set up two-factor sign-in" in page.text
        assert "<svg" in page.text
        device = TOTPDevice.objects.get(user=practice.practitioner)
        assert not device.confirmed
        assert device.key in page.text

        response = client.post("/accounts/two-factor/", {"code": _code(device)})

        assert response.status_code == 302
        assert client.get("/patients/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    event = AuditEvent.objects.filter(action=Action.SIGN_IN).latest("pk")
    assert event.detail == {"second_factor": "totp", "enrolled": True}


def test_an_unconfirmed_device_does_not_count_as_enrolled(practice, client):
    with time_machine.travel(MORNING, tick=False):
        _past_the_password(client, practice.practitioner)
        client.get("/accounts/two-factor/")
        device = TOTPDevice.objects.get(user=practice.practitioner)
        client.post("/accounts/two-factor/", {"code": _a_code_that_is_not_accepted_now(device)})

        assert client.get("/patients/").url == "/accounts/two-factor/"
    assert not TOTPDevice.objects.get(user=practice.practitioner).confirmed


def test_a_receptionist_without_a_device_goes_straight_in(practice, client):
    response = _past_the_password(client, practice.reception)

    assert response.url == "/patients/"
    assert client.get("/patients/").status_code == 200
    assert not TOTPDevice.objects.filter(user=practice.reception).exists()


def test_a_receptionist_who_enrolled_a_device_must_use_it(practice, client):
    _phone(practice.reception)

    response = _past_the_password(client, practice.reception)

    assert response.url == "/accounts/two-factor/"
    assert client.get("/patients/").url == "/accounts/two-factor/"


def test_after_a_wrong_code_the_next_try_says_to_wait_instead_of_calling_it_wrong(practice):
    from django.test import Client
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=practice.practitioner, name="app", confirmed=True)
    client = Client()
    client.post(
        "/accounts/sign-in/",
        {"username": practice.practitioner.username, "password": "a-long-test-password-1"},
    )
    client.post("/accounts/two-factor/", {"code": "000000"})
    right = f"{totp(device.bin_key):06d}"
    response = client.post("/accounts/two-factor/", {"code": right})
    assert "too many wrong codes, wait" in response.content.decode()
