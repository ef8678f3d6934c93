"""The questionnaire's answers reach the record as one entry per allergy and per medicine,
recognised from the shipped list (WHO ATC B01: flagged for bleeding risk), and never twice:
"Eliquis" is the apixaban already recorded."""

import pytest

from mesochart.patients.models import Allergy, Medication
from mesochart.testing.consent import respond

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


def test_each_allergy_and_medicine_is_its_own_entry_with_its_kind(practice):
    respond(
        practice,
        allergies="yes",
        allergy_details="soy, penicillin",
        anticoagulants="yes",
        medication_names="Eliquis 5 mg, daily aspirin",
    )
    assert sorted(a.substance for a in Allergy.objects.filter(patient=practice.patient)) == [
        "penicillin",
        "soy",
    ]
    medicines = {m.name: (m.anticoagulant, m.antiplatelet) for m in Medication.objects.all()}
    assert medicines == {"Eliquis 5 mg": (True, False), "daily aspirin": (False, True)}


def test_a_brand_of_a_recorded_generic_is_not_added_again(practice):
    Medication.objects.create(patient=practice.patient, name="apixaban", anticoagulant=True)
    Allergy.objects.create(patient=practice.patient, substance="Soy")
    respond(
        practice,
        allergies="yes",
        allergy_details="soy",
        anticoagulants="yes",
        medication_names="Eliquis",
    )
    respond(practice, anticoagulants="yes", medication_names="apixaban")
    assert [m.name for m in Medication.objects.all()] == ["apixaban"]
    assert [a.substance for a in Allergy.objects.all()] == ["Soy"]


def test_a_medicine_typed_by_staff_is_flagged_from_the_list(practice, client_for):
    from mesochart.patients import actions

    nurse = practice.actor(practice.nurse)
    typed = actions.add_history(
        nurse, practice.patient, kind="medication", data={"name": "Xarelto 20mg"}
    )
    assert (typed.anticoagulant, typed.antiplatelet) == (True, False)
    other = actions.add_history(
        nurse, practice.patient, kind="medication", data={"name": "Vitamin D"}
    )
    assert (other.anticoagulant, other.antiplatelet) == (False, False)
