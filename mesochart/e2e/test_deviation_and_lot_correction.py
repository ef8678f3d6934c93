"""In real Chromium: a session that gave more than the label allows is signed as a deviation
with a written justification (refused first without one), flagged on the record with the
adverse-event prompt; then its lot, found wrong, is corrected and the recall moves to the
right lot."""

import pytest
import time_machine
from playwright.sync_api import expect

from mesochart.e2e.conftest import PASSWORD, give_totp, shoot, sign_in
from mesochart.testing.sessions import TODAY, Ready, receive
from mesochart.treatments.tests.test_sign_a_deviation import WHY, over_the_label

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_a_deviation_then_correct_its_lot(page, site, practice, console):
    with time_machine.travel(TODAY):
        ready = Ready(practice)
        right = receive(practice, lot_number="DCA-002")
        session = over_the_label(ready)
        give_totp(practice.practitioner)
        sign_in(page, site, practice.practitioner.username)

        page.goto(f"{site}/sessions/{session.pk}/sign/")
        expect(page.locator(".tx-deviation")).to_contain_text("differs from the plan")
        page.get_by_label("Justification of the deviation").fill("more")
        page.get_by_label("Your password or authenticator code").fill(PASSWORD)
        # The browser's own minlength check would stop the short text: let the server say it.
        page.locator("#tx-deviation").evaluate("e => e.removeAttribute('minlength')")
        page.get_by_role("button", name="Sign as a deviation and lock").click()
        expect(page.locator(".msg.error")).to_contain_text("at least 20 characters")
        console.errors[:] = [e for e in console.errors if "status of 422" not in e]
        shoot(page, "deviation-refused")

        page.get_by_label("Justification of the deviation").fill(WHY)
        page.get_by_label("Your password or authenticator code").fill(PASSWORD)
        page.get_by_role("button", name="Sign as a deviation and lock").click()
        card = page.locator("section.tx-deviation")
        expect(card).to_contain_text("Signed as a deviation from the plan")
        expect(card).to_contain_text(WHY)
        expect(card.get_by_role("link", name="Record an adverse event")).to_be_visible()
        shoot(page, "deviation-signed")

        form = page.locator("section.tx-lot-correction")
        form.get_by_label("Lot really used").select_option(str(right.pk))
        form.get_by_label("Drawn (mL)").fill("6")
        form.get_by_label("Why the record was wrong").fill("The vial in the bin was DCA-002.")
        form.get_by_label("Your password or authenticator code").fill(PASSWORD)
        form.get_by_role("button", name="Correct the lot").click()
        expect(page.locator(".tx-amendments")).to_contain_text("lot DCA-002")
        shoot(page, "lot-corrected")

        page.goto(f"{site}/sessions/recall/?lot=DCA-001")
        expect(page.get_by_role("heading", level=2)).to_contain_text("0 patients")
        page.goto(f"{site}/sessions/recall/?lot=dca-002")
        expect(page.locator("table.tx-recall")).to_contain_text("LOPEZ")
        expect(page.locator(".tx-corrected")).to_contain_text("from lot DCA-001")
        shoot(page, "recall-after-correction")
