"""A refused staff form comes back with everything that was typed, passwords excepted: one
bad field, the others kept (sign-in, a new member of staff, a practitioner's licence)."""

import pytest
from django.test import Client

from mesochart.tests.kept import assert_kept

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


def test_a_refused_sign_in_keeps_the_user_name(practice):
    typed = {"username": "practitioner-user", "password": "not the password"}
    response = Client().post("/accounts/sign-in/", typed)
    assert response.status_code in (200, 401, 422)
    assert_kept(response.content.decode(), typed, except_=("password",))


def test_a_refused_new_member_of_staff_keeps_the_other_fields(practice, client_for):
    typed = {
        "username": "new-nurse",
        "first_name": "Niamh",
        "last_name": "Byrne",
        "email": "not an email",  # the one bad field
        "role": "nurse",
        "password": "a-long-enough-password-2",
    }
    response = client_for(practice.admin).post("/accounts/staff/", typed)
    body = response.content.decode()
    assert_kept(body, typed, except_=("email", "password"))


def test_a_refused_licence_keeps_the_other_fields(practice, client_for):
    typed = {
        "profession": "Registered nurse",
        "licence_number": "RN-4471",
        "issuing_body": "Nursing Board",
        "expires_on": "someday",  # the one bad field
        "may_administer_prescription_medicines": "on",
    }
    response = client_for(practice.admin).post(f"/accounts/staff/{practice.nurse.pk}/", typed)
    assert_kept(response.content.decode(), typed, except_=("expires_on",))
