"""'No allergies listed' and 'no known allergies' are different facts on a chart."""

from mesochart.patients import actions
from mesochart.testing.patients import ApiCaller

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_a_chart_without_an_allergy_answer_says_allergies_were_not_asked(practice, client_for):
    page = client_for(practice.nurse).get(f"/patients/{practice.patient.pk}/").content.decode()
    assert "Allergies not yet asked" in page


def test_no_known_allergies_needs_the_date_it_was_asked(practice):
    response = ApiCaller(practice.nurse).patch(
        f"/patients/{practice.patient.pk}", {"no_known_allergies": True}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "allergies_reviewed_on: is required when no allergies are known"
    )


def test_no_known_allergies_with_its_date_shows_on_the_chart(practice, client_for):
    ApiCaller(practice.nurse).patch(
        f"/patients/{practice.patient.pk}",
        {"no_known_allergies": True, "allergies_reviewed_on": "2026-11-02"},
    )
    page = client_for(practice.nurse).get(f"/patients/{practice.patient.pk}/").content.decode()
    assert "No known allergies" in page and "2 Nov 2026" in page


def test_recording_an_allergy_ends_the_no_known_allergies_answer(practice):
    membership = practice.actor(practice.nurse)
    patient = actions.update_patient(
        membership,
        practice.patient,
        {"no_known_allergies": True, "allergies_reviewed_on": "2026-11-02"},
        version=practice.patient.version,
    )
    actions.add_history(membership, patient, kind="allergy", data={"substance": "soy"})
    patient.refresh_from_db()
    assert patient.no_known_allergies is False


def test_no_known_allergies_cannot_be_set_while_an_allergy_is_recorded(practice):
    membership = practice.actor(practice.nurse)
    actions.add_history(membership, practice.patient, kind="allergy", data={"substance": "latex"})
    response = ApiCaller(practice.nurse).patch(
        f"/patients/{practice.patient.pk}",
        {"no_known_allergies": True, "allergies_reviewed_on": "2026-11-02"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "no_known_allergies"
