"""A French patient on the tablet, in real Chromium (issue 18): the reception (English) hands
the tablet over, the questionnaire and the consent read in French (the patient's language,
whatever the staff's), the patient signs the French version, and the consent's PDF, downloaded
by the staff, is in French with French dates. Screenshots in screenshots/fr-patient-*."""

import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from mesochart.consent import actions
from mesochart.consent.models import Consent
from mesochart.e2e.conftest import PASSWORD, shoot, sign_in
from mesochart.e2e.test_consent import _prepare_clinic, _sign_with_the_mouse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRENCH = {
    "scope": "indication",
    "subject": "lipolysis",
    "language": "fr",
    "title": "Lipolyse par injection",
    "risks": "Gonflement, ecchymoses, engourdissement et sensibilité sous le menton pendant "
    "quelques jours.",
    "alternatives": "Aucun traitement ; contrôle du poids ; liposuccion.",
    "expected_sessions": "Le plus souvent 2 à 4 séances, à au moins un mois d'intervalle.",
    "aftercare": "Poches de froid 20 minutes à la fois ; pas de massage pendant 48 heures.",
}


def _staff_continue(page: Page) -> None:
    page.get_by_label("Mot de passe de l'équipe ou code d'authentification").fill(PASSWORD)
    page.get_by_role("button", name="Équipe : continuer").tap()


def test_a_french_patient_answers_and_signs_in_french_and_the_pdf_is_french(tablet, site, practice):
    version = _prepare_clinic(practice)
    actions.save_template(practice.actor(practice.practitioner), FRENCH)
    practice.patient.language = "fr"
    practice.patient.save(update_fields=["language"])
    page = tablet.new_page()
    sign_in(page, site, practice.reception.username, key_hex=None)

    page.goto(f"{site}/consent/patients/{practice.patient.pk}/questionnaire/")
    page.get_by_label("Treatment area", exact=True).last.fill("submental")
    page.get_by_role("button", name="Start patient mode").tap()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Ana")
    # An unanswered form says how many questions are left, in French and in the plural.
    page.get_by_role("button", name="Envoyer mes réponses").tap()
    expect(page.get_by_role("alert")).to_contain_text(
        re.compile(r"Merci de répondre aux \d+ questions marquées en rouge\.")
    )
    expect(page.get_by_text("Grossesse : merci de répondre")).to_be_visible()
    expect(page.get_by_text("please answer")).to_have_count(0)
    for fieldset in page.locator("form fieldset.cs-choice-set:visible").all():
        fieldset.locator("label.cs-choice", has_text="Non").first.tap()
    expect(page.get_by_text("Send my answers")).to_have_count(0)  # no English left
    shoot(page, "fr-patient-01-questionnaire")
    page.get_by_role("button", name="Envoyer mes réponses").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ana")
    _staff_continue(page)

    page.get_by_label("Cocktail").select_option(str(version.pk))
    page.get_by_label("Neck and submental · Submental area").check()
    page.get_by_label("Indication").fill("lipolysis")
    page.get_by_role("button", name="Screen").tap()
    expect(page.get_by_text("No contraindication found")).to_be_visible()

    page.goto(f"{site}/consent/patients/{practice.patient.pk}/consents/new/")
    page.get_by_label("Cocktail").select_option(str(version.pk))
    page.get_by_label("Neck and submental · Submental area").check()
    page.get_by_label("Indication").fill("lipolysis")
    page.get_by_role("button", name="Show the document").tap()
    page.get_by_role("button", name="Hand the tablet to the patient to sign").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre consentement")
    expect(page.locator(".cs-document")).to_contain_text("Lipolyse par injection")
    _sign_with_the_mouse(page)
    expect(page.locator("[data-signature-status]")).to_have_text(
        "Signé. Touchez « Effacer » pour recommencer."
    )
    page.get_by_label("Saisissez vos nom et prénom").fill("Ana Lopez")
    shoot(page, "fr-patient-02-signing")
    page.get_by_role("button", name="Je consens — signer").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ana")
    shoot(page, "fr-patient-03-thank-you")
    _staff_continue(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Consent history")  # staff's

    consent = Consent.objects.get()
    assert {v.language for v in consent.template_versions.all()} == {"fr"}
    page.goto(f"{site}/consent/patients/{practice.patient.pk}/consents/{consent.pk}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").tap()
    pdf = download_info.value.path().read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Lipolyse par injection" in text and "Signé le" in text
    assert "SHA-256 du document signé" in text and consent.document_sha256 in text
    assert "Signed at" not in text and "Witnessed by" not in text
    assert re.search(
        r"\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|"
        r"octobre|novembre|décembre) \d{4} \d\d:\d\d",
        text,
    )
