"""No answer carrying health data may stay in the browser's cache (the tablet's Back button)."""

import pytest

pytestmark = pytest.mark.django_db


def _assert_not_stored(response) -> None:
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "no-store" in cache_control, response["Cache-Control"]
    assert response["Pragma"] == "no-cache"


def test_the_chart_is_never_stored_by_the_browser(practice, client_for):
    chart = client_for(practice.practitioner).get(f"/patients/{practice.patient.pk}/")
    assert chart.status_code == 200
    _assert_not_stored(chart)


def test_the_patient_list_and_a_redirect_are_never_stored(practice, client_for):
    browser = client_for(practice.nurse)
    _assert_not_stored(browser.get("/patients/"))
    _assert_not_stored(browser.get("/"))


def test_an_api_answer_is_never_stored(practice, client_for):
    answer = client_for(practice.practitioner).get(f"/api/v1/patients/{practice.patient.pk}")
    assert answer.status_code == 200
    _assert_not_stored(answer)
