"""A session in real Chromium: start the next session of an approved plan from the patient's
timeline, remove a point on the chart editor (a save from a stale version is refused and
said so), save the points, remove another and sign without saving (the form saves them
first), scan the box (type a GS1 string in the lot field), see the points read-only, add an
addendum, and see both on the timeline."""

import pytest
import time_machine
from playwright.sync_api import expect

from mesochart.e2e.conftest import SCREENSHOTS, capture, give_totp, shoot, sign_in
from mesochart.testing.sessions import GTIN, TODAY, Ready
from mesochart.treatments import actions
from mesochart.treatments.models import TreatmentSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def remove_a_point(page, points_before: int) -> None:
    figure = page.locator('.pl-figure-wrap[data-view="neck-submental"]')
    page.locator(".pl-modes label", has_text="Remove").click()
    figure.locator("circle.pl-point").nth(points_before // 2).click()
    expect(page.locator('[data-bind="points"]')).to_have_text(str(points_before - 1))
    expect(page.locator(".pl-points-table tbody tr")).to_have_count(points_before - 1)


def test_start_scan_sign_and_amend_a_session(page, site, practice, console):
    with time_machine.travel(TODAY):
        ready = Ready(practice)
        give_totp(practice.practitioner)
        sign_in(page, site, practice.practitioner.username)

        page.goto(f"{site}/patients/{practice.patient.pk}/")
        page.get_by_role("button", name="Start session 1 (2 Mar 2026, 09:00)").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Draft")
        expect(page.locator(".tx-checklist")).to_contain_text("No product recorded")

        # The plan's 20 points, on the plan's measured submental region.
        editor = page.locator("#pl-editor")
        expect(editor.get_by_role("heading", name="Points administered")).to_be_visible()
        expect(page.locator("#pl-region-title")).to_contain_text("Submental")
        expect(page.locator('[data-bind="points"]')).to_have_text("20")
        expect(page.get_by_label("Width (cm)")).to_be_disabled()  # the plan's measurement
        page.get_by_role("button", name="Zoom to region").click()
        remove_a_point(page, 20)

        # Someone else saves the draft meanwhile: the editor's save is refused, and says so.
        session = TreatmentSession.objects.get()
        actions.save_draft(ready.nurse, session, {"notes": "Nurse: patient settled"}, version=1)
        page.get_by_role("button", name="Save points").click()
        status = page.locator('[data-bind="save-state"]')
        expect(status).to_contain_text("Not saved: version: someone else saved this session")
        expect(status).to_have_class("muted small error")
        capture(page.locator(".pl-totals"), SCREENSHOTS / "session-stale-save.png")
        console.errors[:] = [e for e in console.errors if "status of 422" not in e]
        assert TreatmentSession.objects.get().point_count == 20

        page.once("dialog", lambda dialog: dialog.accept())  # leave the unsaved points
        page.reload()
        expect(page.get_by_label("Notes", exact=True)).to_have_value("Nurse: patient settled")
        page.get_by_role("button", name="Zoom to region").click()
        remove_a_point(page, 20)
        page.get_by_role("button", name="Save points").click()
        expect(status).to_have_text("Saved")
        assert TreatmentSession.objects.get().point_count == 19
        # The draft form follows the version the save returned, so signing is not stale.
        expect(page.locator('form.tx-draft input[name="version"]')).to_have_value("3")
        # The checklist judges the saved points again (htmx fragment).
        expect(page.locator(".tx-checklist")).to_contain_text("Dose engine: 19 points, 3.8 mL")
        capture(page, "/tmp/session-editor.png", full_page=True)  # noqa: S108 - looked at by hand
        shoot(page, "session-editor")
        capture(editor, SCREENSHOTS / "session-editor-chart.png")

        # One more point off, not saved: signing saves the points first, then signs with
        # the version that save returned.
        remove_a_point(page, 19)
        page.get_by_label("GS1 barcode", exact=True).fill(f"(01){GTIN}(17)270131(10)DCA-001")
        page.get_by_label("Volume drawn (mL)", exact=True).fill("3.6")
        page.get_by_label("Notes", exact=True).fill("Tolerated well")
        page.get_by_role("button", name="Save and sign").click()
        # Signing shows what is signed and asks who signs again.
        expect(page.get_by_role("heading", level=1)).to_contain_text("Sign the session")
        expect(page.locator(".tx-sign-lots")).to_contain_text("DCA-001")
        page.get_by_label("Your password or authenticator code").fill("a-long-test-password-1")
        page.get_by_role("button", name="Sign and lock").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Signed")
        expect(page.locator(".tx-record")).to_contain_text("lot DCA-001")
        expect(page.locator('.tx-record dt:text-is("Points") + dd')).to_have_text("18")

        # Signed: the points are shown, nothing edits them.
        expect(page.locator('[data-bind="points"]')).to_have_text("18")
        expect(page.locator(".pl-figure-wrap:visible circle.pl-point")).to_have_count(18)
        expect(page.get_by_role("button", name="Save points")).to_have_count(0)
        expect(page.locator('input[name="pl-mode"]')).to_have_count(0)
        expect(page.locator('form[data-form="region"]')).to_have_count(0)
        expect(page.locator(".pl-points-table tbody tr")).to_have_count(18)
        expect(page.locator(".pl-points-table input")).to_have_count(0)
        shoot(page, "session-signed")
        capture(page.locator(".pl-list"), SCREENSHOTS / "session-signed-table.png")

        page.get_by_label("Text", exact=True).fill("Called the next day: mild swelling only")
        page.get_by_role("button", name="Add amendment").click()
        expect(page.locator(".tx-amendments")).to_contain_text("mild swelling only")

        page.goto(f"{site}/patients/{practice.patient.pk}/")
        timeline = page.locator("#tx-timeline")
        expect(timeline).to_contain_text("Addendum to the session")
        expect(timeline.locator(".tx-session .badge")).to_have_text("Signed")

        # The scanned lot's recall finds the patient, dated and with the volume given.
        page.goto(f"{site}/sessions/recall/?lot=DCA-001")
        rows = page.locator("table tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(practice.patient.record_number)
        expect(rows.first).to_contain_text("2 Mar 2026")
        expect(rows.first).to_contain_text("3.6")
        shoot(page, "session-recall")
