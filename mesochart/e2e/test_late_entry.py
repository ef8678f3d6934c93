"""In real Chromium: a session recorded after the fact from the patient's timeline. A time in
the future is refused in the form's words; the real time is taken, the draft says "late
entry" with when it was performed and entered, and once signed the timeline flags it."""

from datetime import UTC, datetime

import pytest
import time_machine
from playwright.sync_api import expect

from mesochart.e2e.conftest import PASSWORD, give_totp, shoot, sign_in
from mesochart.testing.sessions import Ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WHY = "Paper notes from the satellite room; the tablet was down."


def test_record_a_past_session_and_sign_it(page, site, practice):
    with time_machine.travel(datetime(2026, 2, 10, 9, tzinfo=UTC), tick=False):
        ready = Ready(practice)
    with time_machine.travel(datetime(2026, 3, 2, 12, tzinfo=UTC)):
        give_totp(practice.practitioner)
        sign_in(page, site, practice.practitioner.username)
        page.goto(f"{site}/patients/{practice.patient.pk}/")
        page.wait_for_load_state("networkidle")  # the chart's panels, before typing in one
        late = page.locator("details.tx-late-entry")
        late.locator("summary").click()
        late.get_by_label("Performed at").fill("2026-03-03T09:00")
        late.get_by_label("Why it is recorded late").fill(WHY)
        late.get_by_role("button", name="Record an ad hoc session").click()
        expect(page.locator(".msg.error")).to_contain_text(
            "Performed at: must not be in the future"
        )

        page.wait_for_load_state("networkidle")
        late = page.locator("details.tx-late-entry")
        late.locator("summary").click()
        late.get_by_label("Performed at").fill("2026-02-20T15:30")
        late.get_by_label("Why it is recorded late").fill(WHY)
        late.get_by_role("button", name="Record session 1").click()
        note = page.locator(".tx-late-entry-note")
        expect(note).to_contain_text("late entry: performed 20 Feb 2026 15:30, entered 2 Mar 2026")
        expect(note).to_contain_text(WHY)
        expect(page.get_by_role("heading", level=1)).to_contain_text("20 Feb 2026")
        page.get_by_label("Lot of Deoxycholic acid injection 10 mg/mL").select_option(
            str(ready.lot.pk)
        )
        page.get_by_role("button", name="Save and sign").click()
        expect(page.locator(".tx-late-entry-note")).to_be_visible()
        page.get_by_label("Your password or authenticator code").fill(PASSWORD)
        page.get_by_role("button", name="Sign and lock").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Signed")
        shoot(page, "late-entry-signed")

        page.goto(f"{site}/patients/{practice.patient.pk}/")
        entry = page.locator("#tx-timeline .tx-session")
        expect(entry.locator(".tx-late-flag")).to_have_text("late entry")
        expect(entry.locator("time")).to_contain_text("2026-02-20")
        shoot(page, "late-entry-timeline")
