"""Issue 12's whole course in real Chromium on a tablet: a patient registered at the desk,
screened from the plan (the questionnaire answered in patient mode, the plan's own areas
ticked), the consent signed on the tablet, the plan approved, a session started and signed
with its lot (chosen from the lots of that row's product only), an adverse event linked to
the session, and the lot's recall finding the patient.

The plan's chart is written through the planning actions (drawing it in the browser is
test_plan_chart.py's subject); everything the practice does after that goes through the
pages."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from playwright.sync_api import expect

from mesochart.consent.tests.support import template
from mesochart.e2e.conftest import PASSWORD, give_totp, shoot, sign_in
from mesochart.e2e.test_consent import (
    _answer_no_to_everything,
    _sign_with_the_mouse,
    staff_continue,
)
from mesochart.patients.models import Patient
from mesochart.planning import actions as planning
from mesochart.planning.tests.conftest import DCA, cocktail, new_plan
from mesochart.treatments.models import AdverseEvent, TreatmentSession
from mesochart.treatments.tests.support import receive, submental

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MORNING = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)


def test_a_whole_course_from_the_desk_to_the_recall(tablet, site, practice):
    with time_machine.travel(MORNING):
        give_totp(practice.practitioner)
        page = tablet.new_page()
        sign_in(page, site, practice.practitioner.username)

        # The desk registers the patient.
        page.get_by_role("link", name="Register a patient").click()
        page.get_by_label("Given name").fill("Inès")
        page.get_by_label("Family name").fill("Marchetti")
        page.get_by_label("Date of birth").fill("1987-09-03")
        page.get_by_label("Sex at birth").select_option(label="Female")
        page.get_by_label("Weight (kg)").fill("61")
        page.get_by_label("Weight measured on").fill("2026-03-02")
        page.get_by_label("Height (cm)").fill("166")
        page.get_by_role("button", name="Register").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("MARCHETTI, Inès")
        # The chart's htmx panels share the live server's one database connection: let them
        # load before the test writes through the ORM.
        page.wait_for_load_state("networkidle")
        patient = Patient.objects.get(family_name="Marchetti")

        # The practitioner's plan of the submental area (its chart written by the actions).
        practice.patient = patient
        membership = practice.membership(practice.practitioner)
        version = cocktail(membership, "Submental contour", **{DCA: 10})
        plan = new_plan(practice, "submental-deoxycholic-acid", version, title="Submental")
        planning.save_regions(membership, plan, submental(20))
        planning.propose_series(membership, plan, {"first_date": "2026-03-02"})
        lot = receive(practice, lot_number="DCA-COURSE")
        receive(practice, product="lidocaine-1pct", lot_number="LID-COURSE", gtin="")
        template(practice, "body_contouring")

        # Screening from the plan: the questionnaire in patient mode, then screened against
        # the plan with its own area ticked, never typed.
        page.goto(f"{site}/patients/{patient.pk}/")
        readiness = page.locator("#cs-readiness")
        readiness.get_by_role("link", name="Questionnaire").click()
        page.get_by_role("button", name="Start patient mode").tap()
        expect(page.get_by_role("heading", level=1)).to_have_text("Hello Inès")
        _answer_no_to_everything(page)
        page.get_by_role("button", name="Send my answers").tap()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, Inès")
        staff_continue(page)
        page.wait_for_load_state("networkidle")
        page.goto(f"{site}/patients/{patient.pk}/")
        page.locator("#cs-readiness").get_by_role("link", name="Screen for this plan").click()
        shoot(page, "course-screen-from-plan")
        page.get_by_role("button", name="Screen").tap()
        expect(page.get_by_text("No contraindication found")).to_be_visible()
        page.wait_for_load_state("networkidle")

        # The consent of the plan, signed by the patient on the tablet.
        page.goto(f"{site}/patients/{patient.pk}/")
        page.locator("#cs-readiness").get_by_role(
            "link", name="Prepare a consent for this plan"
        ).click()
        shoot(page, "course-consent-of-the-plan")  # the plan's document, shown at once
        page.get_by_role("button", name="Hand the tablet to the patient to sign").tap()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your consent")
        _sign_with_the_mouse(page)
        page.get_by_label("Type your full name").fill("Inès Marchetti")
        page.get_by_role("button", name="I consent — sign").tap()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, Inès")
        staff_continue(page)
        page.wait_for_load_state("networkidle")
        page.goto(f"{site}/patients/{patient.pk}/")
        expect(page.locator(".cs-verdict")).to_have_text("Ready for the session")
        shoot(page, "course-chart-ready")

        # The plan approved on its page.
        page.goto(f"{site}/plans/{plan.pk}/")
        page.get_by_role("button", name="Approve plan").click()
        expect(page.locator(".messages")).to_contain_text("The plan was approved")

        # The session: started from the chart, the lot chosen from that product's lots.
        page.goto(f"{site}/patients/{patient.pk}/")
        page.get_by_role("button", name="Start session 1").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Draft")
        picker = page.get_by_label("Lot of Deoxycholic acid injection 10 mg/mL")
        options = picker.locator("option")
        expect(options).to_have_count(2)  # "—" and DCA-COURSE: no lidocaine lot offered
        expect(picker).not_to_contain_text("LID-COURSE")
        picker.select_option(str(lot.pk))
        shoot(page, "course-session-draft")
        page.get_by_role("button", name="Save and sign").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Sign the session")
        expect(page.locator(".tx-sign-lots")).to_contain_text("DCA-COURSE")
        page.get_by_label("Your password or authenticator code").fill(PASSWORD)
        page.get_by_role("button", name="Sign and lock").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Signed")
        expect(page.locator(".tx-reconcile")).to_contain_text("Reconciles")
        session = TreatmentSession.objects.get(patient=patient)
        shoot(page, "course-session-signed")

        # An adverse event linked to the session.
        page.goto(f"{site}/sessions/patient/{patient.pk}/adverse-events/new/?session={session.pk}")
        page.get_by_label("Event type").select_option(label="Swelling")
        page.get_by_label("Severity").select_option(label="Mild")
        page.get_by_label("Onset on").fill("2026-03-02")
        page.get_by_label("Causality").select_option(label="Probable / likely")
        page.get_by_label("Description").fill("Submental swelling the same evening")
        page.get_by_role("button", name="Record").click()
        event = AdverseEvent.objects.get(patient=patient)
        assert event.session_id == session.pk
        expect(page.locator("body")).to_contain_text("DCA-COURSE")
        shoot(page, "course-adverse-event")

        # The recall of the lot finds the patient (typed in lower case).
        page.goto(f"{site}/sessions/recall/")
        page.get_by_label("Lot number").fill("dca-course")
        page.get_by_label("Lot number").press("Enter")
        rows = page.locator("table.tx-recall tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(patient.record_number)
        expect(rows.first).to_contain_text("MARCHETTI")
        shoot(page, "course-recall")
        assert Decimal(str(event.session.products.get().volume_drawn_ml)) == Decimal("4")
