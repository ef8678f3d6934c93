"""Disabling a member of staff ends every session they hold, on the spot."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.contrib.sessions.models import Session
from django.test import Client

from mesochart.accounts import actions
from mesochart.accounts.models import LoginSession, Membership
from mesochart.accounts.roles import Role
from mesochart.audit.models import Action, AuditEvent, Category

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

PASSWORD = "a-long-test-password-1"


def _nurse_signed_in_on_two_computers(practice):
    computers = [Client(), Client()]
    for computer in computers:
        response = computer.post(
            "/accounts/sign-in/", {"username": "nurse-user", "password": PASSWORD}
        )
        assert response.status_code == 302
        assert computer.get("/patients/").status_code == 200
    return computers


def test_an_admin_disabling_a_nurse_signs_her_out_everywhere(practice, client_for):
    computers = _nurse_signed_in_on_two_computers(practice)
    keys = [computer.session.session_key for computer in computers]

    response = client_for(practice.admin).post(
        f"/accounts/staff/{practice.nurse.pk}/", {"active": "0"}, follow=True
    )

    assert "The account was disabled and its sessions ended." in response.text
    for computer in computers:
        after = computer.get("/patients/")
        assert after.status_code == 302
        assert after.url == "/accounts/sign-in/?next=/patients/"
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not LoginSession.objects.filter(user=practice.nurse).exists()
    practice.nurse.refresh_from_db()
    assert not practice.nurse.is_active


def test_disabling_is_audited_with_the_number_of_sessions_ended(practice, client_for):
    _nurse_signed_in_on_two_computers(practice)

    client_for(practice.admin).post(f"/accounts/staff/{practice.nurse.pk}/", {"active": "0"})

    event = AuditEvent.objects.get(action=Action.PRIVILEGE_CHANGE)
    assert event.category == Category.STAFF
    assert event.actor_id == practice.admin.pk
    assert event.clinic_id == practice.clinic.pk
    assert event.detail == {"user": "nurse-user", "active": False, "sessions_ended": 2}


def test_a_disabled_nurse_cannot_sign_in_until_enabled_again(practice, client, client_for):
    admin = client_for(practice.admin)
    admin.post(f"/accounts/staff/{practice.nurse.pk}/", {"active": "0"})
    credentials = {"username": "nurse-user", "password": PASSWORD}

    refused = client.post("/accounts/sign-in/", credentials)
    admin.post(f"/accounts/staff/{practice.nurse.pk}/", {"active": "1"})
    accepted = client.post("/accounts/sign-in/", credentials)

    assert actions.REFUSED in refused.text
    assert accepted.status_code == 302
    enabled = AuditEvent.objects.filter(action=Action.PRIVILEGE_CHANGE).latest("pk")
    assert enabled.detail == {"user": "nurse-user", "active": True, "sessions_ended": 0}


def test_a_session_that_had_already_expired_is_not_counted_as_ended(practice, client_for):
    monday = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with time_machine.travel(monday, tick=False) as clock:
        forgotten = Client()
        forgotten.post("/accounts/sign-in/", {"username": "nurse-user", "password": PASSWORD})
        clock.shift(timedelta(days=1))

        client_for(practice.admin).post(f"/accounts/staff/{practice.nurse.pk}/", {"active": "0"})

    event = AuditEvent.objects.get(action=Action.PRIVILEGE_CHANGE)
    assert event.detail["sessions_ended"] == 0
    assert not LoginSession.objects.filter(user=practice.nurse).exists()


def test_an_admin_cannot_disable_the_last_admin_of_another_clinic(practice, client_for):
    Membership.objects.create(user=practice.nurse, clinic=practice.sister_clinic, role=Role.ADMIN)

    response = client_for(practice.admin).post(
        f"/accounts/staff/{practice.nurse.pk}/", {"active": "0"}, follow=True
    )

    assert "Account: a clinic must keep at least one active admin" in response.text
    assert "Sister Clinic" in response.text
    practice.nurse.refresh_from_db()
    assert practice.nurse.is_active
    assert not AuditEvent.objects.filter(action=Action.PRIVILEGE_CHANGE).exists()
