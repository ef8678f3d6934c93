"""Consent templates are versioned per language: a translation is a version of its own, a
French patient is offered and signs the French version on the tablet, the PDF is of exactly
that text, and the English version (and what English patients sign) is left untouched."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from mesochart.consent.document import prepare, sha256_text
from mesochart.consent.facts import Target
from mesochart.consent.models import Consent, ConsentTemplateVersion
from mesochart.testing.consent import actor_of, cocktail, signature_data_url, template

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db

FRENCH = {
    "language": "fr",
    "title": "Consentement à la lipolyse",
    "risks": "Gonflement, ecchymoses et sensibilité pendant quelques jours.",
    "alternatives": "Aucun traitement ; alimentation et activité physique ; chirurgie.",
    "expected_sessions": "Le plus souvent 2 à 4 séances, à au moins un mois d'intervalle.",
    "aftercare": "Poches de froid ; pas de massage pendant 48 heures.",
}


def french(patient):
    patient.language = "fr"
    patient.save(update_fields=["language"])
    return patient


def sign_on_the_tablet(practice, client_for, version) -> tuple[Consent, str]:
    client = client_for(practice.reception)
    target = {"cocktail": version.pk, "area": "submental", "indication": "lipolysis"}
    started = client.post(f"/consent/patients/{practice.patient.pk}/consents/new/", target)
    assert started["Location"] == "/consent/tablet/"
    page = client.get("/consent/tablet/").content.decode()
    sha = page.split('name="document_sha256" value="')[1].split('"')[0]
    signed = client.post(
        "/consent/tablet/",
        {"signer_name": "Ana Lopez", "signature": signature_data_url(), "document_sha256": sha},
    )
    assert signed["Location"] == "/consent/tablet/"
    return Consent.objects.get(), page


def pdf_text(client, practice, consent) -> str:
    url = f"/consent/patients/{practice.patient.pk}/consents/{consent.pk}/pdf/"
    document = client.get(url).content
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


def test_a_translation_is_a_version_of_its_own(practice):
    english = template(practice)
    translated = template(practice, **FRENCH)
    assert (english.number, english.language) == (1, "en-gb")
    assert (translated.number, translated.language) == (2, "fr")
    assert translated.template_id == english.template_id
    assert translated.shown_title == "Consentement à la lipolyse"
    english.refresh_from_db()
    assert english.shown_title == "Lipolysis consent"  # the translation renames nothing
    assert english.is_intact() and translated.is_intact()


def test_the_language_is_part_of_the_versions_hash(practice):
    translated = template(practice, **FRENCH)
    ConsentTemplateVersion.objects.filter(pk=translated.pk).update(language="en-gb")
    translated.refresh_from_db()
    assert not translated.is_intact()


def test_a_french_patient_signs_the_french_consent_on_the_tablet(practice, client_for):
    english = template(practice)
    english_hash = english.content_sha256
    template(practice, **FRENCH)
    version = cocktail(practice, pcdc_lipolysis=4)
    french(practice.patient)

    consent, page = sign_on_the_tablet(practice, client_for, version)

    assert "Patient(e) : Ana LOPEZ" in page
    assert "Gonflement, ecchymoses" in page
    assert "CONSENTEMENT ÉCLAIRÉ À UN TRAITEMENT PAR MÉSOTHÉRAPIE" in consent.document
    assert "5. SOINS APRÈS LA SÉANCE" in consent.document
    assert "Swelling" not in consent.document and "I consent" not in consent.document
    assert consent.document_sha256 == sha256_text(consent.document)
    assert [v.language for v in consent.template_versions.all()] == ["fr"]

    text = pdf_text(client_for(practice.practitioner), practice, consent)
    assert "Gonflement, ecchymoses" in text
    assert "Je consens au traitement" in text.replace("\n", " ")
    assert consent.document_sha256[:16] in text

    english.refresh_from_db()
    assert english.content_sha256 == english_hash and english.is_intact()
    assert english.risks == "Swelling, bruising and tenderness for a few days."
    assert not english.consents.exists()


def test_an_english_patient_still_signs_the_english_version(practice):
    template(practice)
    template(practice, **FRENCH)
    version = cocktail(practice, pcdc_lipolysis=4)
    acting = actor_of(practice.reception)
    target = Target(version, "submental", "lipolysis")
    shown = prepare(acting.clinic, practice.patient, target, acting.clinic.today())
    assert [v.language for v in shown.template_versions] == ["en-gb"]
    assert shown.text.startswith("CONSENT TO MESOTHERAPY TREATMENT")
    assert "Swelling, bruising" in shown.text and "Gonflement" not in shown.text


def test_without_a_translation_a_french_patient_reads_the_english_wording(practice):
    english = template(practice)
    version = cocktail(practice, pcdc_lipolysis=4)
    acting = actor_of(practice.reception)
    target = Target(version, "submental", "lipolysis")
    patient = french(practice.patient)
    shown = prepare(acting.clinic, patient, target, acting.clinic.today())
    assert shown.template_versions == (english,)
    assert "1. RISQUES" in shown.text  # the headings are still the patient's language


def test_the_consent_gives_the_dates_as_the_patients_language_writes_them(practice):
    template(practice)
    template(practice, **FRENCH)
    version = cocktail(practice, pcdc_lipolysis=4)
    acting = actor_of(practice.reception)
    target = Target(version, "submental", "lipolysis")

    english = prepare(acting.clinic, practice.patient, target, date(2026, 3, 2))
    french_text = prepare(acting.clinic, french(practice.patient), target, date(2026, 3, 2)).text

    assert "Date of birth: 12 Apr 1985" in english.text
    assert "Prepared on: 2 Mar 2026" in english.text
    assert "Date de naissance : 12 avril 1985" in french_text
    assert "Préparé le : 2 mars 2026" in french_text
    assert "1985-04-12" not in english.text + french_text


def test_an_unknown_language_is_refused_naming_the_field(practice):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        template(practice, language="xx")
    assert "language" in refused.value.message_dict


def test_a_french_patient_answers_the_french_questionnaire_on_the_tablet(practice, client_for):
    from mesochart.consent.models import QuestionnaireResponse
    from mesochart.consent.questionnaire import CURRENT_FR
    from mesochart.testing.consent import clear_answers, measured, screen

    french(practice.patient)
    client = client_for(practice.nurse)
    client.post(f"/consent/patients/{practice.patient.pk}/tablet/", {"area": "submental"})
    page = client.get("/consent/tablet/").content.decode()
    assert '<html lang="fr">' in page
    assert "Bonjour Ana" in page and "Allaitez-vous ?" in page and "Je ne sais pas" in page
    for english in ("Hello", "Are you", "Send my answers", "Not sure", "Patient mode"):
        assert english not in page, english
    missing = client.post("/consent/tablet/", clear_answers(pregnant=None)).content.decode()
    assert "Veuillez répondre" in missing or "Merci de répondre" in missing
    client.post("/consent/tablet/", clear_answers())
    response = QuestionnaireResponse.objects.get()
    assert response.questionnaire_version == CURRENT_FR.version
    done = client.get("/consent/tablet/").content.decode()
    assert "Merci, Ana" in done and "Vos réponses ont été enregistrées." in done
    # the French answers screen exactly as the English ones do (same keys, same rules)
    measured(practice.patient)
    version = cocktail(practice, pcdc_lipolysis=4)
    screening = screen(practice, version)
    assert screening.response.questionnaire_version == CURRENT_FR.version
    assert screening.findings == []
