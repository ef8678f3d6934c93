"""Editing a chart in the browser: what the form shows is what gets saved."""

import pytest
from playwright.sync_api import expect

from mesochart.e2e.conftest import give_totp, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editing_a_phone_number_keeps_the_date_of_birth(page, site, practice):
    give_totp(practice.practitioner)
    sign_in(page, site, practice.practitioner.username)
    page.goto(f"{site}/patients/{practice.patient.pk}/edit/")

    expect(page.get_by_label("Date of birth")).to_have_value("1985-04-12")
    page.get_by_label("Phone").fill("+44 7700 900456")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_contain_text("The record was saved.")
    practice.patient.refresh_from_db()
    assert practice.patient.phone == "+44 7700 900456"
