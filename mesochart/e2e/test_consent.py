"""In real Chromium on a tablet: the patient answers the questionnaire in patient mode, signs
the consent with the signature pad, and the staff pages show the consent as valid; the PDF
names the patient and carries the document's hash."""

import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from mesochart.consent import actions
from mesochart.consent.models import Consent
from mesochart.consent.questionnaire import CURRENT
from mesochart.e2e.conftest import PASSWORD, SCREENSHOTS, shoot, sign_in
from mesochart.formulary.actions import create_cocktail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _prepare_clinic(practice):
    """What the practitioner did beforehand: a cocktail and the consent wording."""
    acting = practice.actor(practice.practitioner)
    version = create_cocktail(
        acting,
        {"name": "Submental contour"},
        [{"product": "deoxycholic-acid-10mg-ml", "volume_ml": Decimal("2")}],
    )
    actions.save_template(
        acting,
        {
            "scope": "indication",
            "subject": "lipolysis",
            "title": "Injection lipolysis",
            "risks": "Swelling, bruising, numbness and tenderness under the chin for a few days.",
            "alternatives": "No treatment; weight management; liposuction.",
            "expected_sessions": "Usually 2 to 4 sessions, at least one month apart (at most 6).",
            "aftercare": "Cool packs for 20 minutes at a time; avoid massage for 48 hours.",
        },
    )
    patient = practice.patient
    patient.weight_kg, patient.height_cm = Decimal("64"), Decimal("168")
    patient.weight_measured_on = patient.date_of_birth.replace(year=2026)
    patient.save()
    return version


def _answer_no_to_everything(page: Page) -> None:
    for fieldset in page.locator("form fieldset.cs-choice-set:visible").all():
        fieldset.locator("label.cs-choice", has_text="No").first.tap()


def staff_continue(page: Page) -> None:
    """The tablet back in staff hands: the thank-you screen asks for the staff password."""
    page.get_by_label("Staff password or authenticator code").fill(PASSWORD)
    page.get_by_role("button", name="Staff: continue").tap()


def _sign_with_the_mouse(page: Page) -> None:
    pad = page.locator("canvas[data-signature-pad]")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    left, top, width, height = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(left + width * 0.12, top + height * 0.65)
    page.mouse.down()
    for step in range(1, 25):
        x = left + width * (0.12 + 0.7 * step / 24)
        y = top + height * (0.65 - 0.35 * ((step % 6) / 6))
        page.mouse.move(x, y, steps=2)
    page.mouse.up()


def test_patient_answers_signs_and_staff_sees_a_valid_consent(tablet, site, practice):
    version = _prepare_clinic(practice)
    page = tablet.new_page()
    sign_in(page, site, practice.reception.username, key_hex=None)

    # Staff hand the tablet over for the questionnaire.
    page.goto(f"{site}/consent/patients/{practice.patient.pk}/questionnaire/")
    page.get_by_label("Treatment area", exact=True).last.fill("submental")
    shoot(page, "consent-staff-questionnaire")
    page.get_by_role("button", name="Start patient mode").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello Ana")
    expect(page.get_by_role("navigation")).to_have_count(0)
    _answer_no_to_everything(page)
    shoot(page, "consent-tablet-questionnaire")
    page.get_by_role("button", name="Send my answers").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, Ana")

    # Back in staff mode: screen the answers against the plan.
    staff_continue(page)
    page.get_by_label("Cocktail").select_option(str(version.pk))
    page.get_by_label("Neck and submental · Submental area").check()
    page.get_by_label("Indication").fill("lipolysis")
    page.get_by_role("button", name="Screen").tap()
    expect(page.get_by_text("No contraindication found")).to_be_visible()

    # Prepare the consent and hand the tablet over to sign it.
    page.goto(f"{site}/consent/patients/{practice.patient.pk}/consents/new/")
    page.get_by_label("Cocktail").select_option(str(version.pk))
    page.get_by_label("Neck and submental · Submental area").check()
    page.get_by_label("Indication").fill("lipolysis")
    page.get_by_role("button", name="Show the document").tap()
    # The document arrives with the button that hands it over: a screenshot taken while the
    # page is still changing can stall Chromium's capture (seen twice in CI).
    expect(
        page.get_by_role("button", name="Hand the tablet to the patient to sign")
    ).to_be_visible()
    shoot(page, "consent-prepare")
    page.get_by_role("button", name="Hand the tablet to the patient to sign").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your consent")
    expect(page.locator(".cs-document")).to_contain_text("Marginal mandibular nerve injury")
    _sign_with_the_mouse(page)
    expect(page.locator("[data-signature-status]")).to_have_text(
        "Signed. Tap Clear to start again."
    )
    page.get_by_label("Type your full name").fill("Ana Lopez")
    shoot(page, "consent-tablet-signing")
    page.get_by_role("button", name="I consent — sign").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, Ana")

    # Staff see the consent as valid, on the history and on the chart's checklist.
    staff_continue(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Consent history")
    expect(page.locator(".cs-consents tbody tr").first).to_contain_text("valid")
    page.goto(f"{site}/patients/{practice.patient.pk}/")
    consent_item = page.locator('.cs-checklist li[data-key="consent"]')
    expect(consent_item).to_have_class("cs-ok")
    expect(consent_item).to_contain_text("covers lipolysis")
    shoot(page, "consent-chart-readiness")

    consent = Consent.objects.get()
    page.goto(f"{site}/consent/patients/{practice.patient.pk}/consents/{consent.pk}/")
    expect(page.get_by_text("verified")).to_be_visible()
    shoot(page, "consent-signed-detail")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").tap()
    pdf_path = download_info.value.path()
    pdf = pdf_path.read_bytes()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Ana LOPEZ" in text
    assert consent.document_sha256 in text
    assert consent.user_agent and "Mozilla" in consent.user_agent
    _picture_of_the_pdf(pdf)


def _picture_of_the_pdf(pdf: bytes) -> None:
    """A PNG of the PDF's first page for the screenshots, where poppler is installed."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return
    SCREENSHOTS.mkdir(exist_ok=True)
    source = SCREENSHOTS / "consent-signed.pdf"
    source.write_bytes(pdf)
    subprocess.run(  # noqa: S603 - a fixed local tool on a file the test wrote
        [
            pdftoppm,
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "2",
            str(source),
            str(SCREENSHOTS / "consent-pdf"),
        ],
        check=True,
        timeout=60,
    )


def test_practitioner_acknowledges_a_relative_finding_in_place(page, site, practice):
    from mesochart.consent.facts import Target
    from mesochart.e2e.conftest import give_totp

    version = _prepare_clinic(practice)
    acting = practice.actor(practice.nurse)
    answers = {
        "date_of_birth": "1985-04-12",
        **CURRENT.answered_no(),
        "anticoagulants": "yes",
        "medication_names": "Clopidogrel",
        "keloid_tendency": "yes",
    }
    response = actions.submit_response(acting, practice.patient, area="submental", answers=answers)
    screening = actions.run_screening(
        acting, practice.patient, response, target=Target(version, "submental", "lipolysis")
    )
    give_totp(practice.practitioner)
    sign_in(page, site, practice.practitioner.username)
    page.goto(f"{site}/consent/patients/{practice.patient.pk}/screenings/{screening.pk}/")
    findings = page.locator(".cs-finding")
    expect(findings).to_have_count(2)
    shoot(page, "consent-findings")

    keloid = page.locator("#finding-keloid_tendency")
    keloid.get_by_label("Why you treat despite it").fill(
        "Small papules in the submental area only; no keloid history there."
    )
    keloid.get_by_role("button", name="Acknowledge").click()
    expect(page.locator("#finding-keloid_tendency")).to_contain_text("Relative · acknowledged")
    expect(page.locator("#finding-bleeding_risk_medication")).to_contain_text("needs a reason")
