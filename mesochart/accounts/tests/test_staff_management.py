"""An admin adds staff, changes their roles and records their licences; all of it audited."""

from datetime import date

import pytest

import mesochart.settings as real_settings
from mesochart.accounts.models import Credential, Membership, User
from mesochart.accounts.roles import Role
from mesochart.audit.models import Action, AuditEvent, Category

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

PASSWORD = "a-long-test-password-1"
NEW_NURSE = {
    "username": "maria",
    "first_name": "Maria",
    "last_name": "Santos",
    "email": "maria@example.org",
    "role": Role.NURSE,
    "password": "injection-room-2026",
}


@pytest.fixture
def admin(practice, client_for):
    return client_for(practice.admin)


def _last_privilege_change():
    return AuditEvent.objects.filter(action=Action.PRIVILEGE_CHANGE).latest("pk")


def test_the_staff_page_lists_everyone_at_the_clinic_and_no_one_else(practice, admin):
    response = admin.get("/accounts/staff/")

    assert response.status_code == 200
    for role in Role:
        assert f"{role}-user" in response.text
    assert "sister" not in response.text
    assert "outsider" not in response.text


def test_an_admin_adds_a_nurse_who_can_then_sign_in(practice, admin, client):
    response = admin.post("/accounts/staff/", NEW_NURSE)

    assert response.status_code == 302
    maria = User.objects.get(username="maria")
    assert maria.get_full_name() == "Maria Santos"
    membership = Membership.objects.get(user=maria)
    assert (membership.clinic, membership.role) == (practice.clinic, Role.NURSE)
    event = _last_privilege_change()
    assert event.actor_id == practice.admin.pk
    assert event.category == Category.STAFF
    assert event.detail == {"user": "maria", "from": None, "to": "nurse", "sessions_ended": 0}
    signed_in = client.post(
        "/accounts/sign-in/", {"username": "maria", "password": NEW_NURSE["password"]}
    )
    assert signed_in.status_code == 302


def test_a_new_member_of_staff_gets_an_argon2_password(practice, admin, settings):
    settings.PASSWORD_HASHERS = real_settings.PASSWORD_HASHERS

    admin.post("/accounts/staff/", NEW_NURSE)

    assert User.objects.get(username="maria").password.startswith("argon2")


@pytest.mark.parametrize(
    "changes, rule",
    [
        ({"password": "short-pw1"}, "This password is too short."),
        ({"password": "1234567890123"}, "This password is entirely numeric."),
        ({"password": "maria@example.org"}, "The password is too similar to the email address."),
        (
            {"last_name": "Castellanos-Oliveira", "password": "CastellanosOliveira"},
            "The password is too similar to the last name.",
        ),
    ],
)
def test_a_weak_password_is_refused_naming_the_password_box(practice, admin, changes, rule):
    response = admin.post("/accounts/staff/", {**NEW_NURSE, **changes})

    assert response.status_code == 200
    assert f"Password: {rule}" in response.text
    assert not User.objects.filter(username="maria").exists()
    assert not AuditEvent.objects.filter(action=Action.PRIVILEGE_CHANGE).exists()


def test_an_admin_makes_a_nurse_a_practitioner(practice, admin):
    response = admin.post(f"/accounts/staff/{practice.nurse.pk}/", {"role": Role.PRACTITIONER})

    assert response.status_code == 302
    assert practice.actor(practice.nurse).role == Role.PRACTITIONER
    event = _last_privilege_change()
    assert event.detail == {
        "user": "nurse-user",
        "from": "nurse",
        "to": "practitioner",
        "sessions_ended": 0,
    }
    assert event.object_type == "membership"


def test_an_admin_records_a_licence(practice, admin):
    response = admin.post(
        f"/accounts/staff/{practice.nurse.pk}/",
        {
            "profession": "Registered nurse",
            "licence_number": "NMC-12345",
            "issuing_body": "Nursing and Midwifery Council",
            "expires_on": "2027-06-30",
        },
    )

    assert response.status_code == 302
    credential = Credential.objects.get(user=practice.nurse)
    assert credential.licence_number == "NMC-12345"
    assert credential.expires_on == date(2027, 6, 30)
    assert not credential.may_administer_prescription_medicines
    event = _last_privilege_change()
    assert event.object_type == "credential"
    assert event.detail["user"] == "nurse-user"
    assert event.detail["licence"] == "NMC-12345"
    assert event.detail["expires_on"] == "2027-06-30"


def test_a_licence_without_an_expiry_date_is_refused(practice, admin):
    response = admin.post(
        f"/accounts/staff/{practice.nurse.pk}/",
        {"profession": "Nurse", "licence_number": "NMC-1", "issuing_body": "NMC"},
    )

    assert response.status_code == 200
    assert "Expires on: This field is required." in response.text
    assert not Credential.objects.filter(user=practice.nurse).exists()


def test_the_last_admin_cannot_demote_themselves(practice, admin):
    response = admin.post(
        f"/accounts/staff/{practice.admin.pk}/", {"role": Role.PRACTITIONER}, follow=True
    )

    assert "Role: a clinic must keep at least one active admin" in response.text
    assert practice.actor(practice.admin).role == Role.ADMIN
    assert not AuditEvent.objects.filter(action=Action.PRIVILEGE_CHANGE).exists()


def test_an_admin_cannot_disable_their_own_account(practice, admin):
    response = admin.post(f"/accounts/staff/{practice.admin.pk}/", {"active": "0"}, follow=True)

    assert "Account: you cannot disable your own account" in response.text
    practice.admin.refresh_from_db()
    assert practice.admin.is_active
    assert not AuditEvent.objects.filter(action=Action.PRIVILEGE_CHANGE).exists()


def test_an_admin_may_step_down_once_another_admin_exists(practice, admin):
    admin.post(f"/accounts/staff/{practice.practitioner.pk}/", {"role": Role.ADMIN})

    response = admin.post(f"/accounts/staff/{practice.admin.pk}/", {"role": Role.NURSE})

    assert response.status_code == 302
    assert practice.actor(practice.admin).role == Role.NURSE
    assert admin.get("/accounts/staff/").status_code == 403


def test_an_admin_cannot_edit_someone_who_does_not_work_at_their_clinic(practice, admin):
    for stranger in (practice.outsider, practice.sister_practitioner):
        assert admin.get(f"/accounts/staff/{stranger.pk}/").status_code == 404
        posted = admin.post(f"/accounts/staff/{stranger.pk}/", {"active": "0"})
        assert posted.status_code == 404
        stranger.refresh_from_db()
        assert stranger.is_active


def test_a_receptionist_promoted_to_practitioner_must_pass_the_second_factor(
    practice, admin, client
):
    client.post("/accounts/sign-in/", {"username": "reception-user", "password": PASSWORD})
    assert client.get("/patients/").status_code == 200

    admin.post(f"/accounts/staff/{practice.reception.pk}/", {"role": Role.PRACTITIONER})

    assert client.get("/patients/").url == "/accounts/sign-in/?next=/patients/"
    client.post("/accounts/sign-in/", {"username": "reception-user", "password": PASSWORD})
    assert client.get("/patients/").url == "/accounts/two-factor/"
    event = _last_privilege_change()
    assert event.detail["sessions_ended"] == 1


def test_a_change_between_roles_without_the_second_factor_keeps_the_session(
    practice, admin, client
):
    client.post("/accounts/sign-in/", {"username": "reception-user", "password": PASSWORD})

    admin.post(f"/accounts/staff/{practice.reception.pk}/", {"role": Role.NURSE})

    assert client.get("/patients/").status_code == 200
    assert _last_privilege_change().detail["sessions_ended"] == 0
