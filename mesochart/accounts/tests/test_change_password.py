"""Staff change their own password with the current one; an admin's reset gives a temporary
password that must be changed at the next sign-in; the policy refuses short, common and
repetitive passwords; every change and reset is audited."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from mesochart.accounts.models import User
from mesochart.audit.models import Action, AuditEvent, Category

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

PASSWORD = "a-long-test-password-1"
NEW = "Harbour-lights-at-dusk-42"


def _change(browser, current=PASSWORD, new=NEW, again=None):
    return browser.post(
        "/accounts/password/",
        {"current_password": current, "new_password": new, "new_password_again": again or new},
    )


def _form_errors(response) -> dict:
    return response.context["form"].errors


def test_a_nurse_changes_her_password_and_stays_signed_in(practice, client_for):
    browser = client_for(practice.nurse)
    answer = _change(browser)
    assert answer.status_code == 302
    nurse = User.objects.get(pk=practice.nurse.pk)
    assert nurse.check_password(NEW)
    assert browser.get("/patients/").status_code == 200
    changed = AuditEvent.objects.get(action=Action.UPDATE, category=Category.AUTHENTICATION)
    assert (changed.actor_id, changed.detail) == (nurse.pk, {"password": "changed"})


def test_a_wrong_current_password_is_refused_and_changes_nothing(practice, client_for):
    browser = client_for(practice.nurse)
    answer = _change(browser, current="not-my-password")
    assert answer.status_code == 200
    assert _form_errors(answer) == {"current_password": ["is not your current password"]}
    assert User.objects.get(pk=practice.nurse.pk).check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action=Action.UPDATE).exists()


@pytest.mark.parametrize(
    "new, rule",
    [
        ("short-1", "This password is too short. It must contain at least 12 characters"),
        ("1qaz2wsx3edc", "This password is too common"),
        ("aaaaaaaaaaaaaaaa", "is too repetitive"),
        ("abcabcabcabcabc", "is too repetitive"),
        ("Winter-2026-xxxxx", "is too repetitive"),
        ("483920174629301", "This password is entirely numeric"),
    ],
    ids=["short", "common", "one character", "three characters", "four in a row", "numeric"],
)
def test_the_policy_refuses_weak_passwords_naming_the_rule(practice, client_for, new, rule):
    answer = _change(client_for(practice.nurse), new=new)
    errors = _form_errors(answer)["new_password"]
    assert any(rule in error for error in errors), errors
    assert User.objects.get(pk=practice.nurse.pk).check_password(PASSWORD)


def test_django_common_password_list_is_in_the_policy():
    with pytest.raises(ValidationError, match="too common"):
        validate_password("q1w2e3r4t5y6")


def test_the_new_password_typed_twice_must_match(practice, client_for):
    answer = _change(client_for(practice.nurse), again="Harbour-lights-at-dawn-42")
    assert _form_errors(answer) == {"new_password_again": ["does not match the new password"]}


def test_an_admin_reset_forces_a_change_at_the_next_sign_in(practice, client_for):
    nurse_browser = client_for(practice.nurse)
    admin = client_for(practice.admin)
    page = admin.post(f"/accounts/staff/{practice.nurse.pk}/", {"reset_password": "1"})
    temporary = page.context["temporary"]
    assert temporary in page.text
    reset = AuditEvent.objects.get(action=Action.PRIVILEGE_CHANGE, category=Category.STAFF)
    assert reset.actor_id == practice.admin.pk
    assert reset.detail["password"] == "reset"
    assert temporary not in str(reset.detail)
    # The nurse's open session ended with the reset.
    assert nurse_browser.get("/patients/").status_code == 302

    browser = Client()
    signed = browser.post(
        "/accounts/sign-in/", {"username": practice.nurse.username, "password": temporary}
    )
    assert signed.status_code == 302
    assert browser.get("/patients/").url == "/accounts/password/"
    assert browser.get("/api/v1/patients").status_code == 403
    assert browser.get("/accounts/password/").context["forced"] is True

    assert _change(browser, current=temporary).status_code == 302
    assert browser.get("/patients/").status_code == 200
    assert not User.objects.get(pk=practice.nurse.pk).must_change_password


@pytest.mark.parametrize("who", ["nurse", "outsider"])
def test_only_an_admin_of_the_clinic_may_reset(practice, client_for, who):
    user = practice.nurse if who == "nurse" else practice.outsider
    answer = client_for(user).post(
        f"/accounts/staff/{practice.reception.pk}/", {"reset_password": "1"}
    )
    assert answer.status_code in (403, 404)
    assert User.objects.get(pk=practice.reception.pk).check_password(PASSWORD)
    assert not User.objects.get(pk=practice.reception.pk).must_change_password
