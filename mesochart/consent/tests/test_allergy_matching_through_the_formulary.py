"""Allergies are matched to the cocktail's ingredients and excipients as the formulary rows
describe them (names, synonyms, allergen classes), never to product names."""

import pytest

from mesochart.formulary import actions as formulary_actions
from mesochart.patients.models import Allergy
from mesochart.testing.consent import actor_of, cocktail, measured, screen

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db
# What a patient says when the recorded allergy is the one meant: matching reads the record.
ON_RECORD = "the one on my record"


def _allergy_finding(screening):
    return next((f for f in screening.absolute if f.key == "component_allergy"), None)


@pytest.fixture
def patient(practice):
    return measured(practice.patient)


def test_a_soy_allergy_flags_phosphatidylcholine_of_a_pcdc_cocktail(practice, patient):
    screening = screen(
        practice,
        cocktail(practice, pcdc_lipolysis=4),
        allergies="yes",
        allergy_details="Soya lecithin — hives",
    )
    finding = _allergy_finding(screening)
    assert finding is not None
    assert "Phosphatidylcholine" in finding.message
    assert "allergen class 'soy'" in finding.message


def test_a_benzyl_alcohol_allergy_flags_the_excipient(practice, patient):
    screening = screen(
        practice,
        cocktail(practice, pcdc_lipolysis=4),
        allergies="yes",
        allergy_details="benzyl alcohol",
    )
    assert "(excipient)" in _allergy_finding(screening).message


def test_a_class_allergy_to_amide_anaesthetics_flags_every_lidocaine_product(practice, patient):
    Allergy.objects.create(patient=patient, substance="Amide anaesthetics", severity="severe")
    with_adrenaline = cocktail(practice, "Numbing", lidocaine_1pct_epinephrine=1)
    plain = cocktail(practice, "Face glow", lidocaine_1pct=0.5, vitamin_c=2)
    for version in (with_adrenaline, plain):
        screening = screen(
            practice, version, area="face", allergies="yes", allergy_details=ON_RECORD
        )
        finding = _allergy_finding(screening)
        assert "Lidocaine" in finding.message
        assert "amide local anaesthetic" in finding.message


def test_a_recorded_synonym_matches(practice, patient):
    Allergy.objects.create(patient=patient, substance="Lignocaine", reaction="swelling")
    finding = _allergy_finding(
        screen(
            practice,
            cocktail(practice, lidocaine_1pct=1),
            area="face",
            allergies="yes",
            allergy_details=ON_RECORD,
        )
    )
    assert "synonym 'lignocaine'" in finding.message


def test_an_organisations_own_product_is_matched_through_its_ingredients(practice, patient):
    formulary_actions.save_product(
        actor_of(practice.practitioner),
        {"name": "House Serum", "slug": "", "vehicle": "aqueous", "active": "on"},
        [{"ingredient": "lidocaine", "strength": "5 mg/mL", "source": "Carton"}],
    )
    version = cocktail(practice, "House", house_serum=2)
    finding = _allergy_finding(
        screen(practice, version, area="face", allergies="yes", allergy_details="lidocaine")
    )
    assert "Lidocaine (ingredient) via name" in finding.message


def test_an_allergy_to_something_else_does_not_block(practice, patient):
    screening = screen(
        practice,
        cocktail(practice, pcdc_lipolysis=4),
        allergies="yes",
        allergy_details="penicillin; latex",
    )
    assert _allergy_finding(screening) is None


def test_a_product_name_alone_is_not_an_allergy_match(practice, patient):
    # "Xylocaine" is a brand, not an ingredient name, synonym or class in the formulary.
    screening = screen(
        practice,
        cocktail(practice, "Caffeine", caffeine=2),
        area="abdomen",
        allergies="yes",
        allergy_details="caine",
    )
    assert _allergy_finding(screening) is None
