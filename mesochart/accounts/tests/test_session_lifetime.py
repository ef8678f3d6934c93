"""A session ends after 15 idle minutes, and after its absolute lifetime whatever the activity."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client

from mesochart.accounts.models import LoginSession
from mesochart.audit.models import Action, AuditEvent

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

PASSWORD = "a-long-test-password-1"
MORNING = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _sign_in(client):
    response = client.post(
        "/accounts/sign-in/", {"username": "reception-user", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_a_request_14_minutes_after_the_last_keeps_the_session(practice, client):
    with time_machine.travel(MORNING, tick=False) as clock:
        _sign_in(client)
        clock.shift(timedelta(minutes=14))
        first = client.get("/patients/")
        clock.shift(timedelta(minutes=14))
        second = client.get("/patients/")

    assert first.status_code == 200
    assert second.status_code == 200
    assert not AuditEvent.objects.filter(action=Action.SIGN_OUT).exists()


def test_a_request_16_idle_minutes_later_is_sent_to_sign_in_and_audited(practice, client):
    with time_machine.travel(MORNING, tick=False) as clock:
        _sign_in(client)
        session_key = client.session.session_key
        clock.shift(timedelta(minutes=14))
        assert client.get("/patients/").status_code == 200
        clock.shift(timedelta(minutes=16))

        response = client.get("/patients/")
        sign_in_page = client.get(response.url)
        again = client.get("/patients/")

    assert response.status_code == 302
    assert response.url == "/accounts/sign-in/"
    assert "You were signed out (idle time-out)" in sign_in_page.text
    assert again.url == "/accounts/sign-in/?next=/patients/"
    event = AuditEvent.objects.get(action=Action.SIGN_OUT)
    assert event.actor_id == practice.reception.pk
    assert event.detail == {"reason": "idle time-out"}
    assert not LoginSession.objects.filter(session_key=session_key).exists()


def test_an_active_session_still_ends_at_its_absolute_lifetime(practice, client):
    lifetime = timedelta(seconds=settings.SESSION_ABSOLUTE_LIFETIME_SECONDS)
    every_ten_minutes = timedelta(minutes=10)
    with time_machine.travel(MORNING, tick=False) as clock:
        _sign_in(client)
        active_for = timedelta(0)
        while active_for + every_ten_minutes < lifetime:
            clock.shift(every_ten_minutes)
            active_for += every_ten_minutes
            assert client.get("/patients/").status_code == 200, active_for
        clock.shift(every_ten_minutes)

        response = client.get("/patients/")

    assert response.status_code == 302
    assert response.url == "/accounts/sign-in/"
    event = AuditEvent.objects.get(action=Action.SIGN_OUT)
    assert event.detail == {"reason": "session lifetime reached"}


def test_an_htmx_search_after_the_idle_time_out_reloads_the_sign_in_page(practice, client):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from mesochart.conftest import signed_in

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        browser = signed_in(practice.reception)
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        response = browser.get("/patients/?q=lo", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/sign-in/"


def test_pages_read_within_a_minute_do_not_rewrite_the_session(practice, client):
    """A page view is no database write: "last seen" moves at most once a minute."""
    from django.contrib.sessions.models import Session
    from django.test.utils import CaptureQueriesContext

    with time_machine.travel(MORNING, tick=False) as clock:
        _sign_in(client)
        clock.shift(timedelta(seconds=70))
        client.get("/patients/")
        seen = client.session["last_seen"]
        clock.shift(timedelta(seconds=50))
        with CaptureQueriesContext(connection) as captured:
            client.get("/patients/")
        assert client.session["last_seen"] == seen
        table = Session._meta.db_table
        assert not [q for q in captured.captured_queries if f'UPDATE "{table}"' in q["sql"]]
        clock.shift(timedelta(seconds=11))
        client.get("/patients/")
        assert client.session["last_seen"] == (MORNING + timedelta(seconds=131)).isoformat()


def test_a_session_abandoned_in_a_closed_browser_is_forgotten_at_the_next_sign_in(practice):
    abandoned, kept_elsewhere = Client(), Client()
    with time_machine.travel(MORNING, tick=False) as clock:
        _sign_in(abandoned)
        old_key = abandoned.session.session_key
        clock.shift(timedelta(seconds=settings.SESSION_ABSOLUTE_LIFETIME_SECONDS + 60))
        _sign_in(kept_elsewhere)
        live_key = kept_elsewhere.session.session_key
        _sign_in(Client())

    mine = set(
        LoginSession.objects.filter(user=practice.reception).values_list("session_key", flat=True)
    )
    assert old_key not in mine and live_key in mine and len(mine) == 2
    assert not Session.objects.filter(session_key=old_key).exists()
    assert Session.objects.filter(session_key=live_key).exists()
