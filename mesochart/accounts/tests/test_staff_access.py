"""Only an admin of this clinic may see or change its staff."""

import pytest

from mesochart.accounts.models import Membership, User
from mesochart.accounts.roles import Role
from mesochart.audit.models import Action, AuditEvent

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

NOT_ADMINS = [Role.NURSE, Role.PRACTITIONER, Role.RECEPTION]
A_NEW_ADMIN = {
    "username": "intruder",
    "first_name": "In",
    "last_name": "Truder",
    "email": "",
    "role": Role.ADMIN,
    "password": "a-long-intruder-password-1",
}


@pytest.mark.parametrize("role", NOT_ADMINS)
def test_only_admins_see_the_staff_pages(practice, client_for, role):
    browser = client_for(practice.users[role])

    assert browser.get("/accounts/staff/").status_code == 403
    assert browser.get(f"/accounts/staff/{practice.nurse.pk}/").status_code == 403


@pytest.mark.parametrize("role", NOT_ADMINS)
def test_no_one_but_an_admin_can_add_staff(practice, client_for, role):
    response = client_for(practice.users[role]).post("/accounts/staff/", A_NEW_ADMIN)

    assert response.status_code == 403
    assert not User.objects.filter(username="intruder").exists()


@pytest.mark.parametrize("role", NOT_ADMINS)
def test_no_one_but_an_admin_can_promote_themselves(practice, client_for, role):
    user = practice.users[role]
    browser = client_for(user)

    promoted = browser.post(f"/accounts/staff/{user.pk}/", {"role": Role.ADMIN})
    disabled = browser.post(f"/accounts/staff/{practice.admin.pk}/", {"active": "0"})

    assert promoted.status_code == 403
    assert disabled.status_code == 403
    assert practice.actor(user).role == role
    practice.admin.refresh_from_db()
    assert practice.admin.is_active
    assert not AuditEvent.objects.filter(action=Action.PRIVILEGE_CHANGE).exists()


def test_an_admin_of_another_organisation_cannot_see_or_touch_our_staff(practice, client_for):
    other_admin = practice.member("other-admin", practice.other_clinic, Role.ADMIN)
    browser = client_for(other_admin)

    their_list = browser.get("/accounts/staff/")
    our_nurse = browser.get(f"/accounts/staff/{practice.nurse.pk}/")
    promoted = browser.post(f"/accounts/staff/{practice.nurse.pk}/", {"role": Role.ADMIN})
    disabled = browser.post(f"/accounts/staff/{practice.nurse.pk}/", {"active": "0"})

    assert their_list.status_code == 200
    assert "outsider" in their_list.text
    for role in Role:
        assert f"{role}-user" not in their_list.text
    assert our_nurse.status_code == 404
    assert "nurse-user" not in our_nurse.text
    assert (promoted.status_code, disabled.status_code) == (404, 404)
    assert Membership.objects.get(user=practice.nurse).role == Role.NURSE
    practice.nurse.refresh_from_db()
    assert practice.nurse.is_active


def test_a_signed_out_visitor_is_sent_to_sign_in(practice, client):
    response = client.post(f"/accounts/staff/{practice.nurse.pk}/", {"role": Role.ADMIN})

    assert response.status_code == 302
    assert response.url.startswith("/accounts/sign-in/")
    assert practice.actor(practice.nurse).role == Role.NURSE
