"""Signing in through the page: the right password lets staff in, a wrong one is audited."""

import mesochart.settings as real_settings
from mesochart.accounts import actions
from mesochart.accounts.models import LoginSession, User
from mesochart.audit.models import Action, AuditEvent, Outcome

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

PASSWORD = "a-long-test-password-1"


def test_a_receptionist_with_the_right_password_is_signed_in_and_audited(practice, client):
    response = client.post(
        "/accounts/sign-in/", {"username": "reception-user", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == "/patients/"
    assert client.get("/patients/").status_code == 200
    event = AuditEvent.objects.get(action=Action.SIGN_IN)
    assert event.actor_id == practice.reception.pk
    assert event.outcome == Outcome.SUCCESS
    assert event.detail == {"second_factor_pending": False}
    assert LoginSession.objects.filter(
        user=practice.reception, session_key=client.session.session_key
    ).exists()


def test_a_wrong_password_shows_an_error_and_audits_the_username_only(practice, client):
    response = client.post(
        "/accounts/sign-in/", {"username": "reception-user", "password": "not-the-password"}
    )

    assert response.status_code == 200
    assert actions.REFUSED in response.text
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get()
    assert event.action == Action.SIGN_IN_FAILED
    assert event.outcome == Outcome.FAILURE
    assert event.actor_id is None
    assert event.actor_label == "reception-user"
    assert event.patient_id is None
    assert event.clinic_id is None
    assert "password" not in str(event.detail)


def test_an_unknown_username_gets_the_same_answer_as_a_wrong_password(practice, client):
    response = client.post("/accounts/sign-in/", {"username": "nobody", "password": PASSWORD})

    assert actions.REFUSED in response.text
    assert AuditEvent.objects.get().actor_label == "nobody"


def test_a_page_asks_an_anonymous_visitor_to_sign_in(practice, client):
    response = client.get("/patients/")

    assert response.status_code == 302
    assert response.url == "/accounts/sign-in/?next=/patients/"


def test_passwords_are_stored_with_argon2_under_the_real_settings(practice, settings):
    settings.PASSWORD_HASHERS = real_settings.PASSWORD_HASHERS

    user = User.objects.create_user(username="new-nurse", password="a-brand-new-password-9")

    assert user.password.startswith("argon2")
    assert user.check_password("a-brand-new-password-9")
