"""People see the form's labels and clinical words, never field names, slugs or file names;
the API keeps ``field: rule`` for machines."""

import pytest

from mesochart.testing.consent import clear_answers, cocktail, screen
from mesochart.testing.plans import ApiCaller

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


def test_a_missing_answer_names_the_question_in_clinical_words(practice, client_for):
    client = client_for(practice.nurse)
    client.post(f"/consent/patients/{practice.patient.pk}/tablet/", {"area": "submental"})
    page = client.post("/consent/tablet/", clear_answers(site_infection=None)).content.decode()
    assert "Infection at the treatment site: please answer" in page
    assert "site_infection:" not in page and "is required" not in page


def test_findings_cite_their_source_by_title(practice, client_for):
    version = cocktail(practice, pcdc_lipolysis=4)
    screening = screen(practice, version, pregnant="yes")
    page = client_for(practice.practitioner).get(
        f"/consent/patients/{practice.patient.pk}/screenings/{screening.pk}/"
    )
    html = page.content.decode()
    assert "mesochart clinical reference, Screening: absolute — pregnancy" in html
    assert "reference.md" not in html and "[SEC]" not in html and "Rule <code>" not in html


def test_the_api_keeps_field_and_rule(practice):
    answers = clear_answers(site_infection=None)
    body = {"area": "submental", "answers": answers}
    response = ApiCaller(practice.nurse).post(
        f"/patients/{practice.patient.pk}/questionnaire-responses", body
    )
    assert response.status_code == 422, response.content
    assert "answers.site_infection: is required" in response.json()["detail"]
