"""Issue 12 defect 8 in real Chromium: the draft page shows a row for each product of the
cocktail with its drawn volume filled in from the points, and a lot saved with more drawn
than the points and the waste account for is shown as a mismatch that blocks signing."""

import pytest
import time_machine
from playwright.sync_api import expect

from mesochart.e2e.conftest import give_totp, shoot, sign_in
from mesochart.testing.sessions import TODAY, Ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_prefilled_rows_and_a_reconciliation_mismatch(page, site, practice, console):
    with time_machine.travel(TODAY):
        ready = Ready(practice)
        session = ready.start()
        give_totp(practice.practitioner)
        sign_in(page, site, practice.practitioner.username)
        page.goto(f"{site}/sessions/{session.pk}/")
        row = page.locator('tr[data-prefilled="Deoxycholic acid injection 10 mg/mL"]')
        expect(row.get_by_label("Volume drawn (mL)")).to_have_value("4")  # 20 points × 0.2 mL
        shoot(page, "session-prefilled-rows")

        row.get_by_label("Lot of Deoxycholic acid injection 10 mg/mL").select_option(
            str(ready.lot.pk)
        )
        row.get_by_label("Volume drawn (mL)").fill("5")
        row.get_by_label("Volume wasted (mL)").fill("0.5")
        page.get_by_role("button", name="Save draft").click()
        mismatch = page.locator(".tx-reconcile tr.tx-mismatch")
        expect(mismatch).to_contain_text("Does not reconcile")
        expect(page.locator(".tx-checklist")).to_contain_text(
            "drawn 5 mL is not injected 4 mL + wasted 0.5 mL"
        )
        shoot(page, "session-reconciliation-mismatch")
        assert console.errors == []
