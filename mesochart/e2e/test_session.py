"""A session in real Chromium: start the next session of an approved plan from the patient's
timeline, scan the box (type a GS1 string in the lot field), sign, add an addendum, and see
both on the timeline."""

import pytest
import time_machine
from playwright.sync_api import expect

from mesochart.e2e.conftest import give_totp, sign_in
from mesochart.treatments.tests.support import GTIN, TODAY, Ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_start_scan_sign_and_amend_a_session(page, site, practice):
    with time_machine.travel(TODAY):
        Ready(practice)
        give_totp(practice.practitioner)
        sign_in(page, site, practice.practitioner.username)

        page.goto(f"{site}/patients/{practice.patient.pk}/")
        page.get_by_role("button", name="Start session 1 (2026-03-02)").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Draft")
        expect(page.locator(".tx-checklist")).to_contain_text("No product recorded")

        page.get_by_label("GS1 barcode", exact=True).fill(f"(01){GTIN}(17)270131(10)DCA-001")
        page.get_by_label("Volume drawn (mL)", exact=True).fill("4")
        page.get_by_label("Notes", exact=True).fill("Tolerated well")
        page.get_by_role("button", name="Save and sign").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Signed")
        expect(page.locator(".tx-record")).to_contain_text("lot DCA-001")

        page.get_by_label("Text", exact=True).fill("Called the next day: mild swelling only")
        page.get_by_role("button", name="Add amendment").click()
        expect(page.locator(".tx-amendments")).to_contain_text("mild swelling only")

        page.goto(f"{site}/patients/{practice.patient.pk}/")
        timeline = page.locator("#tx-timeline")
        expect(timeline).to_contain_text("Addendum to the session")
        expect(timeline.locator(".tx-session .badge")).to_have_text("signed")
