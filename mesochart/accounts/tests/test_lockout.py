"""Repeated wrong passwords lock the account for a while; a success starts the count again."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from mesochart.accounts import actions
from mesochart.audit.models import Action, AuditEvent, Outcome

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

PASSWORD = "a-long-test-password-1"
LOCKED = actions.REFUSED
MORNING = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _sign_in_post(rf):
    """A sign-in form's POST as the view gets it: no one signed in yet (the middleware's
    anonymous user)."""
    request = rf.post("/")
    request.user = AnonymousUser()
    return request


def _try(client, password):
    return client.post("/accounts/sign-in/", {"username": "reception-user", "password": password})


def _fail(client, times):
    for _ in range(times):
        response = _try(client, "not-the-password")
        assert actions.REFUSED in response.text


def test_too_many_failures_lock_the_account_even_against_the_right_password(practice, client):
    with time_machine.travel(MORNING, tick=False):
        _fail(client, settings.LOGIN_FAILURE_LIMIT)

        response = _try(client, PASSWORD)

    assert response.status_code == 200
    assert LOCKED in response.text
    assert "_auth_user_id" not in client.session
    refused = AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).latest("pk")
    assert refused.outcome == Outcome.DENIED
    assert refused.actor_label == "reception-user"
    assert refused.detail == {"reason": "locked"}


def test_one_failure_short_of_the_limit_does_not_lock(practice, client):
    with time_machine.travel(MORNING, tick=False):
        _fail(client, settings.LOGIN_FAILURE_LIMIT - 1)

        response = _try(client, PASSWORD)

    assert response.status_code == 302


def test_the_right_password_works_again_once_the_lockout_has_passed(practice, client):
    with time_machine.travel(MORNING, tick=False) as clock:
        _fail(client, settings.LOGIN_FAILURE_LIMIT)
        clock.shift(timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS - 1))
        assert LOCKED in _try(client, PASSWORD).text

        clock.shift(timedelta(seconds=1))
        response = _try(client, PASSWORD)

    assert response.status_code == 302
    assert response.url == "/patients/"


def test_a_successful_sign_in_resets_the_count_of_failures(practice, client):
    with time_machine.travel(MORNING, tick=False):
        _fail(client, settings.LOGIN_FAILURE_LIMIT - 1)
        assert _try(client, PASSWORD).status_code == 302
        client.post("/accounts/sign-out/")

        _fail(client, settings.LOGIN_FAILURE_LIMIT - 1)
        response = _try(client, PASSWORD)

    assert response.status_code == 302
    practice.reception.refresh_from_db()
    assert practice.reception.failed_login_count == 0
    assert practice.reception.locked_until is None


def test_failures_for_one_account_do_not_lock_another(practice, client):
    with time_machine.travel(MORNING, tick=False):
        _fail(client, settings.LOGIN_FAILURE_LIMIT)

        response = client.post(
            "/accounts/sign-in/", {"username": "nurse-user", "password": PASSWORD}
        )

    assert response.status_code == 302


def test_overlapping_failures_each_count(practice, rf, monkeypatch):
    """Two wrong passwords checked at the same moment must not be counted as one."""
    real_authenticate = actions.authenticate
    attempts = []

    def a_second_attempt_lands_meanwhile(request, **credentials):
        attempts.append(credentials["password"])
        if len(attempts) == 1:
            actions.sign_in(_sign_in_post(rf), "reception-user", "also-wrong")
        return real_authenticate(request, **credentials)

    monkeypatch.setattr(actions, "authenticate", a_second_attempt_lands_meanwhile)

    actions.sign_in(_sign_in_post(rf), "reception-user", "not-the-password")

    assert attempts == ["not-the-password", "also-wrong"]
    practice.reception.refresh_from_db()
    assert practice.reception.failed_login_count == 2
