"""Screenshots of the main pages, for a person to look at; each must render and stay quiet.

The PNGs land in screenshots/ at the repository root. The test fails when a page has no
heading or when the browser reported an error (a failed script, a missing asset).
"""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from mesochart.accounts.models import Clinic, Membership
from mesochart.accounts.roles import Role
from mesochart.demo import DEMO_PASSWORD, DEMO_TOTP_KEY_HEX
from mesochart.e2e.conftest import PASSWORD, shoot, sign_in, submit_password, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QR_FITS = """svg => {
  const box = svg.getBoundingClientRect();
  const code = svg.querySelector("path").getBoundingClientRect();
  return code.width > 100 && code.right <= box.right + 1 && code.bottom <= box.bottom + 1;
}"""


def _capture(page: Page, console, name: str, heading: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    shoot(page, name)
    assert console.errors == [], f"{name}: {console.errors}"


def test_two_factor_enrolment(page, console, site, demo):
    newcomer = get_user_model().objects.create_user(
        "dr.new", password=PASSWORD, first_name="Noor", last_name="Haddad"
    )
    Membership.objects.create(
        user=newcomer, clinic=Clinic.objects.get(name="Harbour Street"), role=Role.PRACTITIONER
    )
    submit_password(page, site, "dr.new")
    qr = page.locator(".qr svg")
    expect(qr).to_be_visible()
    # The whole code must show: a cropped QR code (CSS sizing an SVG without a viewBox) scans
    # as nothing.
    assert qr.evaluate(QR_FITS), "the QR code is cropped"
    _capture(page, console, "02-two-factor-enrolment", "Set up two-factor sign-in")


def test_main_pages(page, console, site, demo):
    page.goto(f"{site}/accounts/sign-in/")
    _capture(page, console, "01-sign-in", "Sign in")

    admin = get_user_model().objects.get(username="admin")
    Membership.objects.create(
        user=admin, clinic=Clinic.objects.get(name="Riverside"), role=Role.PRACTITIONER
    )
    sign_in(page, site, "admin", key_hex=DEMO_TOTP_KEY_HEX, password=DEMO_PASSWORD)
    expect(page.locator("#results tbody tr")).to_have_count(16)
    _capture(page, console, "03-patient-list", "Patients")

    page.goto(f"{site}/patients/{demo.charted.pk}/")
    expect(page.get_by_role("note")).to_contain_text("Lidocaine (Urticaria)")
    _capture(page, console, "04-patient-chart", demo.charted.given_name)
    page.goto(f"{site}/patients/{demo.long_named.pk}/")
    _capture(page, console, "05-patient-chart-long-name", "Maria-Magdalena")

    page.goto(f"{site}/patients/new/")
    page.get_by_label("Date of birth").fill(date(2099, 1, 1).isoformat())
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_role("button", name="Register").click()
    _capture(page, console, "06-register-with-errors", "Register a patient")

    page.goto(f"{site}/accounts/staff/")
    _capture(page, console, "07-staff", "Staff")
    page.get_by_role("link", name="Elena Rivera").click()
    _capture(page, console, "08-staff-edit", "Elena Rivera")

    page.goto(f"{site}/audit/")
    _capture(page, console, "09-audit-report", "Audit report")

    page.goto(f"{site}/accounts/tokens/")
    page.get_by_label("Name").fill("Lab import")
    page.get_by_label("Authenticator code").fill(totp_code(DEMO_TOTP_KEY_HEX, drift=1))
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("status")).to_contain_text("Copy this token now")
    _capture(page, console, "10-api-tokens", "API tokens")

    page.get_by_role("link", name="Recall").click()
    page.get_by_label("Lot number").fill("LOT-NOT-USED")
    page.get_by_role("button", name="Find patients").click()
    expect(page.get_by_text("No signed session used this lot.")).to_be_visible()
    _capture(page, console, "11-recall", "Recall a lot")
    page.get_by_label("Lot number").fill("DEMO-HS-DCA")  # the demo's signed session used it
    page.get_by_role("button", name="Find patients").click()
    expect(page.locator("table.tx-recall tbody tr")).to_have_count(1)
    expect(page.get_by_text("Deoxycholic acid injection 10 mg/mL, expires")).to_be_visible()
    _capture(page, console, "12-recall-demo-lot", "Recall a lot")
