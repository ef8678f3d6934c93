"""A burst of sign-ins sent together cannot beat the lockout, and no refusal tells which
usernames exist. The attempts run in threads, each on its own database connection: all at
once on PostgreSQL. The SQLite test database is in memory, reached by threads through
SQLite's shared cache, which reports a held lock at once instead of waiting for it, so
there the burst of wrong passwords runs one after another while the right one is in flight
(the interleaving that beat the lockout)."""

import threading

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client

from mesochart.accounts import actions
from mesochart.accounts.models import User
from mesochart.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password-1"
WRONG_ATTEMPTS = 29


def _attempt(password: str, answers: list, username: str = "reception-user") -> None:
    try:
        response = Client().post("/accounts/sign-in/", {"username": username, "password": password})
        answers.append((password, response.status_code, response.text))
    finally:
        connections.close_all()


def _in_parallel(targets) -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        for target in targets:
            target()
        return
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


def test_the_right_password_checked_while_wrong_ones_lock_the_account_is_refused(
    practice, monkeypatch
):
    """29 wrong passwords and the right one sent together: the right one's password check
    finishes only after the wrong ones have locked the account, as a slow hash would."""
    wrong_done = threading.Event()
    real_authenticate = actions.authenticate

    def slow_for_the_right_password(request, **credentials):
        if credentials["password"] == PASSWORD:
            wrong_done.wait(timeout=60)
        return real_authenticate(request, **credentials)

    monkeypatch.setattr(actions, "authenticate", slow_for_the_right_password)
    answers: list = []
    right = threading.Thread(target=_attempt, args=(PASSWORD, answers))
    right.start()
    _in_parallel([lambda: _attempt("not-the-password", answers)] * WRONG_ATTEMPTS)
    wrong_done.set()
    right.join(timeout=120)

    assert len(answers) == WRONG_ATTEMPTS + 1
    assert all(status == 200 for _, status, _ in answers), "someone was signed in"
    assert not AuditEvent.objects.filter(action=Action.SIGN_IN).exists()
    reasons = list(
        AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED)
        .order_by("pk")
        .values_list("detail__reason", flat=True)
    )
    # Counted one by one: the limit's worth of failures, then refusals during the lockout.
    limit = settings.LOGIN_FAILURE_LIMIT
    assert reasons == ["bad credentials"] * limit + ["locked"] * (WRONG_ATTEMPTS + 1 - limit)
    assert User.objects.get(username="reception-user").is_locked()


def test_parallel_wrong_passwords_are_each_counted(practice):
    answers: list = []
    attempts = settings.LOGIN_FAILURE_LIMIT - 1
    _in_parallel([lambda: _attempt("not-the-password", answers)] * attempts)

    assert len(answers) == attempts
    reception = User.objects.get(username="reception-user")
    assert reception.failed_login_count == attempts
    assert not reception.is_locked()


def test_a_locked_account_an_unknown_user_and_a_wrong_password_get_the_same_answer(
    practice, client
):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/accounts/sign-in/", {"username": "nurse-user", "password": "wrong"})
    answers = [
        client.post("/accounts/sign-in/", {"username": username, "password": password})
        for username, password in [
            ("nurse-user", PASSWORD),  # locked, right password
            ("nobody-by-this-name", PASSWORD),  # no such user
            ("reception-user", "wrong"),  # wrong password
        ]
    ]
    errors = [answer.context["form"].non_field_errors() for answer in answers]
    assert errors[0] == errors[1] == errors[2] == [actions.REFUSED]
