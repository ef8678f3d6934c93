"""A practitioner's day begins: sign in with a second factor, register a patient, find them.

Runs in real Chromium against the live server; every wait is on something the page shows.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from mesochart.e2e.conftest import (
    PASSWORD,
    TOTP_KEY_HEX,
    give_totp,
    sign_in,
    submit_password,
    totp_code,
)
from mesochart.patients.models import Patient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _heading(page: Page):
    return page.get_by_role("heading", level=1)


def _field(page: Page, label: str):
    """The form field block (label, control, help and errors) whose label reads ``label``."""
    return page.locator(".field").filter(has=page.get_by_label(label, exact=False))


def test_practitioner_signs_in_registers_a_patient_and_finds_them_again(page, site, practice):
    practitioner = practice.practitioner
    give_totp(practitioner)

    page.goto(f"{site}/accounts/sign-in/")
    page.get_by_label("Username").fill(practitioner.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(_heading(page)).to_have_text("Two-factor check")
    page.get_by_label("Code").fill(totp_code(TOTP_KEY_HEX))
    page.get_by_role("button", name="Verify").click()
    expect(_heading(page)).to_have_text("Patients")

    page.get_by_role("link", name="Register a patient").click()
    expect(_heading(page)).to_have_text("Register a patient")
    page.get_by_label("Given name").fill("Zoé")
    page.get_by_label("Family name").fill("Lefèvre-Núñez")
    page.get_by_label("Date of birth").fill("1988-07-14")
    page.get_by_label("Sex at birth").select_option(label="Female")
    page.get_by_role("button", name="Register").click()

    expect(_heading(page)).to_have_text("LEFÈVRE-NÚÑEZ, Zoé")
    expect(page.locator(".demographics")).to_contain_text("born 14 Jul 1988")
    expect(page.locator(".demographics")).to_contain_text("Female")
    expect(page.get_by_role("status")).to_contain_text("was registered")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Patients").click()
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(2)  # Ana Lopez of the practice fixture, and Zoé
    page.get_by_label("Find a patient").press_sequentially("lef")
    expect(page.locator(".result-count")).to_have_text("1 patient matching “lef”")
    expect(rows).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/patients/\?q=lef$"))

    page.get_by_role("link", name="LEFÈVRE-NÚÑEZ, Zoé").click()
    expect(_heading(page)).to_have_text("LEFÈVRE-NÚÑEZ, Zoé")
    viewed_by = page.locator("section").filter(has=page.get_by_role("heading", name="Viewed by"))
    expect(viewed_by).to_contain_text(practitioner.username)
    assert Patient.objects.filter(given_name="Zoé", family_name="Lefèvre-Núñez").count() == 1


def test_a_wrong_code_is_refused_and_names_the_field(page, site, practice):
    give_totp(practice.practitioner)
    submit_password(page, site, practice.practitioner.username)
    expect(_heading(page)).to_have_text("Two-factor check")

    right = int(totp_code(TOTP_KEY_HEX))
    page.get_by_label("Code").fill(f"{(right + 500_000) % 1_000_000:06d}")
    page.get_by_role("button", name="Verify").click()

    expect(_heading(page)).to_have_text("Two-factor check")
    code = page.get_by_label("Code")
    expect(code).to_have_attribute("aria-invalid", "true")
    expect(code).to_have_accessible_description(
        "Code: is not the current code from your authenticator app"
    )
    expect(page.get_by_role("alert")).to_be_visible()


def test_a_future_date_of_birth_is_refused_next_to_the_field(page, site, practice):
    give_totp(practice.practitioner)
    sign_in(page, site, practice.practitioner.username)
    patients_before = Patient.objects.count()
    tomorrow = timezone.localdate() + timedelta(days=1)

    page.goto(f"{site}/patients/new/")
    page.get_by_label("Given name").fill("Íñigo")
    page.get_by_label("Family name").fill("Ortega")
    page.get_by_label("Date of birth").fill(tomorrow.isoformat())
    page.get_by_label("Sex at birth").select_option(label="Male")
    page.get_by_role("button", name="Register").click()

    expect(_heading(page)).to_have_text("Register a patient")
    date_of_birth = page.get_by_label("Date of birth")
    expect(date_of_birth).to_have_attribute("aria-invalid", "true")
    expect(date_of_birth).to_have_accessible_description(
        re.compile("Date of birth: must not be in the future")
    )
    expect(_field(page, "Date of birth").locator(".error")).to_contain_text(
        "Date of birth: must not be in the future"
    )
    expect(page.get_by_label("Given name")).to_have_value("Íñigo")
    assert Patient.objects.count() == patients_before
