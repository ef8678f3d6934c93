"""Signing out ends the session at once, and only a deliberate POST can do it."""

from mesochart.accounts.models import LoginSession
from mesochart.audit.models import Action, AuditEvent

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

PASSWORD = "a-long-test-password-1"


def _sign_in(client):
    response = client.post("/accounts/sign-in/", {"username": "nurse-user", "password": PASSWORD})
    assert response.status_code == 302


def test_signing_out_ends_the_session(practice, client):
    _sign_in(client)
    session_key = client.session.session_key

    response = client.post("/accounts/sign-out/")
    sign_in_page = client.get(response.url)
    after = client.get("/patients/")

    assert response.status_code == 302
    assert response.url == "/accounts/sign-in/"
    assert "You are signed out." in sign_in_page.text
    assert after.status_code == 302
    assert after.url == "/accounts/sign-in/?next=/patients/"
    assert not LoginSession.objects.filter(session_key=session_key).exists()
    event = AuditEvent.objects.get(action=Action.SIGN_OUT)
    assert event.actor_id == practice.nurse.pk
    assert event.detail == {"reason": "signed out"}


def test_a_link_cannot_sign_anyone_out(practice, client):
    _sign_in(client)

    response = client.get("/accounts/sign-out/")

    assert response.status_code == 405
    assert client.get("/patients/").status_code == 200
