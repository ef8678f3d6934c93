"""The printed documents are in the patient's language whoever prints them (issue 18): the
aftercare sheet, the signed session record and the treatment plan of a French patient read
in French, with French dates ("2 mars 2026"), the 24-hour clock and comma decimals; region
names included. The same documents of an English patient stay English."""

import io

import pytest
from pypdf import PdfReader

from mesochart.planning.plan_pdf import plan_pdf
from mesochart.treatments.aftercare_pdf import aftercare_pdf
from mesochart.treatments.record_pdf import session_record_pdf

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def pdf_text(document: bytes) -> str:
    pages = PdfReader(io.BytesIO(document)).pages
    return " ".join(page.extract_text() for page in pages).replace("\n", " ")


@pytest.fixture
def french(practice):
    practice.patient.language = "fr"
    practice.patient.save(update_fields=["language"])
    return practice.patient


def test_a_french_patients_aftercare_sheet_is_in_french(practice, ready, french, client_for):
    session = ready.signed(aftercare="Poches de froid.")
    response = client_for(practice.nurse).get(f"/sessions/{session.pk}/aftercare.pdf")
    text = pdf_text(response.content)
    assert "Suivi après votre traitement" in text
    assert "2 mars 2026" in text  # the session's day, as French writes it
    assert "Poches de froid." in text  # the practitioner's note, as written
    assert "Aftercare after your treatment" not in text and "Treatment on" not in text


def test_a_french_patients_signed_record_is_in_french(practice, ready, french):
    text = pdf_text(session_record_pdf(ready.signed()))
    assert "Compte rendu de séance" in text
    assert "31 janvier 2027" in text  # the lot's expiry
    assert "Région sous-mentonnière" in text  # the region's name, translated where printed
    assert "Zones Région sous-mentonnière" in text  # the areas, not their slugs
    assert "Submental area" not in text and "Signed by" not in text
    assert "4,000" in text and "62,5 kg" in text  # French decimal commas
    assert "2 mars 2026 00:00" in text  # signed, on the 24-hour clock


def test_a_french_patients_plan_is_in_french(practice, ready, french):
    text = pdf_text(plan_pdf(ready.plan, practice.clinic))
    assert "Plan de traitement" in text
    assert "2 mars 2026" in text  # the series' first date and the check's day
    assert "Région sous-mentonnière" in text and "16 × 12 cm" in text
    assert "Treatment plan" not in text and "Date of birth" not in text


def test_the_english_patients_documents_stay_english(practice, ready):
    session = ready.signed()
    assert "Aftercare after your treatment" in pdf_text(aftercare_pdf(session, None))
    record = pdf_text(session_record_pdf(session))
    assert "Session record" in record and "Submental area" in record and "31 Jan 2027" in record
