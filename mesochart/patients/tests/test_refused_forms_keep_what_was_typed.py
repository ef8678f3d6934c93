"""A refused form comes back with everything that was typed: one bad field, the others kept
(registration, editing, and each kind of the medical history)."""

import pytest

from mesochart.testing.patients import edit_form, new_patient_form
from mesochart.tests.kept import assert_kept

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


def test_a_refused_registration_keeps_the_other_fields(practice, client_for):
    typed = new_patient_form(
        date_of_birth="not a date", email="brigid@example.org", phone="+353 1 555 0101"
    )
    response = client_for(practice.practitioner).post("/patients/new/", typed)
    assert response.status_code in (200, 422)
    assert "date_of_birth" in response.content.decode() or "Date of birth" in (
        response.content.decode()
    )
    assert_kept(response.content.decode(), typed, except_=("date_of_birth",))


def test_a_refused_edit_keeps_the_other_fields(practice, client_for):
    typed = edit_form(practice.patient, given_name="", phone="+353 1 555 0199")
    response = client_for(practice.practitioner).post(
        f"/patients/{practice.patient.pk}/edit/", typed
    )
    assert response.status_code in (200, 409, 422)
    assert_kept(response.content.decode(), typed, except_=("given_name",))


@pytest.mark.parametrize(
    ("kind", "typed", "bad", "label"),
    [
        (
            "allergy",
            {"substance": "", "reaction": "Hives", "severity": "severe"},
            "substance",
            "Substance",
        ),
        (
            "medication",
            {"name": "", "dose": "5 mg twice daily", "anticoagulant": "on"},
            "name",
            "Name",
        ),
        ("condition", {"name": "", "notes": "Diagnosed 2019"}, "name", "Condition"),
    ],
)
def test_a_refused_history_entry_keeps_what_was_typed(
    practice, client_for, kind, typed, bad, label
):
    response = client_for(practice.practitioner).post(
        f"/patients/{practice.patient.pk}/{kind}/", typed
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert f"{label}: is required" in body
    assert f"{kind}.{bad}" not in body
    assert_kept(body, typed, except_=(bad,))
