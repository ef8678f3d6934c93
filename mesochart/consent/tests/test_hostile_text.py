"""Text from patients and staff is shown as text: escaped on every page, printed literally in
the PDF, never read as markup."""

import io

import pytest
from pypdf import PdfReader

from mesochart.testing.consent import cocktail, measured, respond, screen, sign, template

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert("x")</script><b>bold</b>'


def test_hostile_answers_names_and_templates_are_escaped(practice, client_for):
    measured(practice.patient)
    template(practice, risks=f"Risks {HOSTILE}", title=f"Title {HOSTILE}")
    version = cocktail(practice, pcdc_lipolysis=4)
    screening = screen(
        practice,
        version,
        allergies="yes",
        allergy_details=f"soy {HOSTILE}",
        keloid_tendency="yes",
    )
    consent = sign(practice, version, signer_name=f"Ana {HOSTILE}")
    client = client_for(practice.practitioner)
    pk = practice.patient.pk
    pages = [
        f"/consent/patients/{pk}/",
        f"/consent/patients/{pk}/screenings/{screening.pk}/",
        f"/consent/patients/{pk}/consents/",
        f"/consent/patients/{pk}/consents/{consent.pk}/",
        f"/consent/patients/{pk}/consents/new/?cocktail={version.pk}&area=submental&indication=lipolysis",
        "/consent/templates/",
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "<script>alert" not in body, url
        assert "<b>bold</b>" not in body, url
    detail = client.get(pages[3]).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in detail


def test_the_pdf_prints_hostile_text_as_written(practice, client_for):
    template(practice, risks=f"Risks {HOSTILE} & more")
    consent = sign(practice, cocktail(practice, pcdc_lipolysis=4), signer_name="Ana <i>Lopez</i>")
    response = client_for(practice.nurse).get(
        f"/consent/patients/{practice.patient.pk}/consents/{consent.pk}/pdf/"
    )
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert '<script>alert("x")</script>' in text
    assert "Ana <i>Lopez</i>" in text


def test_hostile_text_in_the_questionnaire_area_is_escaped(practice, client_for):
    page = client_for(practice.nurse).get(
        f"/consent/patients/{practice.patient.pk}/questionnaire/", {"area": HOSTILE}
    )
    assert "<script>alert" not in page.content.decode()
    respond(practice, area="chin")
