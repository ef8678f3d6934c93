"""Issue 12's whole course in real Chromium on a tablet, in the order a practice lives it:

1. the desk registers the patient;
2. a plan of two areas, the backs of both thighs (PC/DC lipolysis), is screened from the plan:
   the questionnaire answered in patient mode (Back twice on the tablet shows no chart), the
   screening page with both of the chart's areas ticked and nothing typed, the chart "Not
   ready" until the screening and the consent both cover the two areas;
3. the consent signed on the tablet, and the tablet handed back: a wrong staff password keeps
   it in patient mode, the right one leaves it;
4. the plan approved, a session started and signed as a deviation (more per point than the
   paper's limit), refused first with a justification too short;
5. an adverse event recorded from the signed session, refused first (an onset in the future)
   with the session and what was typed kept, then recorded, its page naming the lot;
6. the lot corrected after signing, and the recall finding the patient under the right lot
   and no longer under the wrong one.

The plan's chart and the points as administered are written through the planning and
treatment actions (drawing them in the browser is test_plan_chart.py's subject); everything
else goes through the pages."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from playwright.sync_api import expect

from mesochart.e2e.conftest import PASSWORD, give_totp, shoot, sign_in
from mesochart.e2e.test_consent import (
    _answer_no_to_everything,
    _sign_with_the_mouse,
    staff_continue,
)
from mesochart.patients.models import Patient
from mesochart.planning import actions as planning
from mesochart.planning import grids
from mesochart.testing.consent import template
from mesochart.testing.plans import PCDC, cocktail, new_plan, region
from mesochart.testing.sessions import receive
from mesochart.treatments import actions as treatments
from mesochart.treatments.models import AdverseEvent, TreatmentSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MORNING = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
THIGHS = ("thigh-posterior-left", "thigh-posterior-right")
# PC/DC's limit per injection is 0.3 mL (formulary.json, Thomas 2016): 0.4 mL a point is over.
PLANNED_ML, GIVEN_ML = 0.2, 0.4
WHY = "Patient asked for more on both thighs; 0.4 mL per point given, explained and agreed."


def thigh(slug, volume_ml):
    """Ten points on the back of one thigh, as test_screening_follows_the_plan.py plans them."""
    grid = grids.generate("body-back", slug, 1.5, circumference_cm=55)
    points = grid.result.points[:10]
    return region("body-back", slug, points, volume_ml=volume_ml, depth_mm=4, circumference_cm=55)


def test_a_whole_course_from_the_desk_to_the_recall(tablet, site, practice, console):
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

        # The practitioner's plan of both posterior thighs (its chart written by the actions).
        practice.patient = patient
        membership = practice.actor(practice.practitioner)
        version = cocktail(membership, "Lipo thighs", **{PCDC: 10})
        plan = new_plan(practice, "lipolysis-pcdc", version, title="Posterior thighs")
        planning.save_regions(membership, plan, [thigh(s, PLANNED_ML) for s in THIGHS])
        planning.propose_series(membership, plan, {"first_date": "2026-03-02"})
        wrong = receive(practice, product=PCDC, lot_number="PC-COURSE", gtin="")
        right = receive(practice, product=PCDC, lot_number="PC-RIGHT", gtin="")
        template(practice, "body_contouring")

        # The questionnaire in patient mode; Back twice on the tablet shows no chart.
        page.goto(f"{site}/patients/{patient.pk}/")
        readiness = page.locator("#cs-readiness")
        expect(page.locator(".cs-verdict")).to_contain_text("Not ready")
        readiness.get_by_role("link", name="Questionnaire").click()
        page.get_by_role("button", name="Start patient mode").tap()
        expect(page.get_by_role("heading", level=1)).to_have_text("Hello Inès")
        page.go_back()
        page.go_back()
        page.wait_for_load_state()
        expect(page.get_by_role("heading", level=1)).to_have_text("Hello Inès")
        expect(page.get_by_role("navigation")).to_have_count(0)
        body = page.locator("body")
        expect(body).not_to_contain_text("MARCHETTI")
        expect(body).not_to_contain_text(patient.record_number)
        shoot(page, "course-back-twice-in-patient-mode")
        _answer_no_to_everything(page)
        page.get_by_role("button", name="Send my answers").tap()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, Inès")
        staff_continue(page)
        page.wait_for_load_state("networkidle")

        # Screened from the plan: both of the chart's areas come ticked, nothing is typed.
        page.goto(f"{site}/patients/{patient.pk}/")
        page.locator("#cs-readiness").get_by_role("link", name="Screen for this plan").click()
        for slug in THIGHS:
            expect(page.locator(f'input[name="regions"][value="{slug}"]')).to_be_checked()
        expect(page.locator('input[name="regions"][value="buttock-left"]')).not_to_be_checked()
        expect(page.locator('input[name="area"]:not([type="hidden"])')).to_have_count(0)
        screening = page.locator("form", has=page.locator('input[name="regions"]'))
        expect(screening).to_contain_text("Thigh (posterior), left")
        expect(screening).to_contain_text("Thigh (posterior), right")
        shoot(page, "course-screen-from-plan")
        page.get_by_role("button", name="Screen").tap()
        expect(page.get_by_text("No contraindication found")).to_be_visible()
        page.wait_for_load_state("networkidle")

        # Screened but no consent yet: not ready.
        page.goto(f"{site}/patients/{patient.pk}/")
        expect(page.locator(".cs-verdict")).to_contain_text("Not ready")
        expect(page.locator('.cs-checklist li[data-key="consent"]')).not_to_have_class("cs-ok")

        # The consent of the plan, signed by the patient on the tablet.
        page.locator("#cs-readiness").get_by_role(
            "link", name="Prepare a consent for this plan"
        ).click()
        expect(page.locator("body")).to_contain_text(
            "Thigh (posterior), left; Thigh (posterior), right"
        )
        shoot(page, "course-consent-of-the-plan")  # the plan's document, shown at once
        page.get_by_role("button", name="Hand the tablet to the patient to sign").tap()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your consent")
        _sign_with_the_mouse(page)
        page.get_by_label("Type your full name").fill("Inès Marchetti")
        page.get_by_role("button", name="I consent — sign").tap()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, Inès")

        # The tablet handed back: a wrong staff password keeps it in patient mode.
        page.get_by_label("Staff password or authenticator code").fill("not-the-password")
        page.get_by_role("button", name="Staff: continue").tap()
        expect(
            page.get_by_text("is not the password or code of the member of staff")
        ).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, Inès")
        expect(page.get_by_role("navigation")).to_have_count(0)
        shoot(page, "course-wrong-staff-password")
        staff_continue(page)
        expect(page.get_by_role("heading", level=1)).to_have_text("Consent history")
        page.wait_for_load_state("networkidle")
        page.goto(f"{site}/patients/{patient.pk}/")
        expect(page.locator(".cs-verdict")).to_have_text("Ready for the session")
        shoot(page, "course-chart-ready")

        # The plan approved on its page.
        page.goto(f"{site}/plans/{plan.pk}/")
        page.get_by_role("button", name="Approve plan").click()
        expect(page.locator(".messages")).to_contain_text("The plan was approved")

        # The session started from the chart; the points as given (0.4 mL each, over the
        # limit) recorded through the action, the lot chosen on the page.
        page.goto(f"{site}/patients/{patient.pk}/")
        page.get_by_role("button", name="Start session 1").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Draft")
        page.wait_for_load_state("networkidle")
        session = TreatmentSession.objects.get(patient=patient)
        given = [thigh(s, GIVEN_ML) for s in THIGHS]
        treatments.save_draft(membership, session, {"regions": given})
        page.reload()
        picker = page.get_by_label("Lot of Phosphatidylcholine 5% + deoxycholate 2.5% (PC/DC)")
        picker.select_option(str(wrong.pk))
        page.get_by_label("Volume drawn (mL)").first.fill("8")  # 20 points × 0.4 mL
        page.get_by_role("button", name="Save and sign").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Sign the session")
        expect(page.locator(".tx-deviation")).to_contain_text("differs from the plan")

        # Signed as a deviation: refused first with a justification too short.
        page.get_by_label("Justification of the deviation").fill("more")
        page.get_by_label("Your password or authenticator code").fill(PASSWORD)
        # The browser's own minlength check would stop the short text: let the server say it.
        page.locator("#tx-deviation").evaluate("e => e.removeAttribute('minlength')")
        page.get_by_role("button", name="Sign as a deviation and lock").click()
        expect(page.locator(".msg.error")).to_contain_text("at least 20 characters")
        shoot(page, "course-deviation-refused")
        page.get_by_label("Justification of the deviation").fill(WHY)
        page.get_by_label("Your password or authenticator code").fill(PASSWORD)
        page.get_by_role("button", name="Sign as a deviation and lock").click()
        card = page.locator("section.tx-deviation")
        expect(card).to_contain_text("Signed as a deviation from the plan")
        expect(card).to_contain_text(WHY)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Signed")
        shoot(page, "course-deviation-signed")

        # An adverse event recorded from the session: an onset in the future is refused, the
        # form shown again with the session and what was typed.
        card.get_by_role("link", name="Record an adverse event").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Record an adverse event")
        expect(page.get_by_label("Session")).to_have_value(str(session.pk))
        page.get_by_label("Event type").select_option(label="Swelling")
        page.get_by_label("Severity").select_option(label="Mild")
        page.get_by_label("Onset on").fill("2026-03-09")
        page.get_by_label("Causality").select_option(label="Probable / likely")
        page.get_by_label("Description").fill("Swelling of both posterior thighs that evening")
        page.get_by_role("button", name="Record").click()
        expect(page.locator(".tx-errors")).to_contain_text("must not be in the future")
        expect(page.get_by_label("Session")).to_have_value(str(session.pk))
        expect(page.get_by_label("Description")).to_have_value(
            "Swelling of both posterior thighs that evening"
        )
        expect(page.get_by_label("Severity")).to_have_value("mild")
        assert not AdverseEvent.objects.exists()
        shoot(page, "course-adverse-event-refused")
        page.get_by_label("Onset on").fill("2026-03-02")
        page.get_by_role("button", name="Record").click()
        expect(page.locator("body")).to_contain_text("PC-COURSE")
        page.wait_for_load_state("networkidle")
        event = AdverseEvent.objects.get(patient=patient)
        assert event.session_id == session.pk
        shoot(page, "course-adverse-event")

        # The lot, found wrong after signing, corrected; the recall moves to the right one.
        page.goto(f"{site}/sessions/{session.pk}/")
        form = page.locator("section.tx-lot-correction")
        form.get_by_label("Lot really used").select_option(str(right.pk))
        form.get_by_label("Drawn (mL)").fill("8")
        form.get_by_label("Why the record was wrong").fill("The vial in the bin was PC-RIGHT.")
        form.get_by_label("Your password or authenticator code").fill(PASSWORD)
        form.get_by_role("button", name="Correct the lot").click()
        expect(page.locator(".tx-amendments")).to_contain_text("lot PC-RIGHT")
        shoot(page, "course-lot-corrected")

        page.goto(f"{site}/sessions/recall/?lot=PC-COURSE")
        expect(page.get_by_role("heading", level=2)).to_contain_text("0 patients")
        page.goto(f"{site}/sessions/recall/")
        page.get_by_label("Lot number").fill("pc-right")  # typed in lower case
        page.get_by_label("Lot number").press("Enter")
        rows = page.locator("table.tx-recall tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(patient.record_number)
        expect(rows.first).to_contain_text("MARCHETTI")
        expect(page.locator(".tx-corrected")).to_contain_text("from lot PC-COURSE")
        shoot(page, "course-recall")
        session.refresh_from_db()
        assert session.is_deviation and session.deviation_justification == WHY
        assert Decimal(str(session.products.get().volume_drawn_ml)) == Decimal("8")
        # The refused forms answered 422; the console reports those, and nothing else.
        console.errors[:] = [e for e in console.errors if "status of 422" not in e]
