"""Medicines that change the screening are recognised from what is typed: generic or brand
name, any case, with a dose beside it; the list cites the WHO ATC index."""

import pytest

from mesochart.core.medicines import (
    ANTICOAGULANT,
    ANTIPLATELET,
    IMMUNOSUPPRESSANT,
    MEDICINES,
    RETINOID,
    recognise,
    same_medicine,
)


@pytest.mark.parametrize(
    ("typed", "generic", "kind", "atc"),
    [
        ("Warfarin 3 mg", "warfarin", ANTICOAGULANT, "B01AA03"),
        ("eliquis 5mg twice a day", "apixaban", ANTICOAGULANT, "B01AF02"),
        ("Xarelto", "rivaroxaban", ANTICOAGULANT, "B01AF01"),
        ("Pradaxa", "dabigatran", ANTICOAGULANT, "B01AE07"),
        ("Lixiana 60", "edoxaban", ANTICOAGULANT, "B01AF03"),
        ("Clexane injections", "enoxaparin", ANTICOAGULANT, "B01AB05"),
        ("daily aspirin", "aspirin", ANTIPLATELET, "B01AC06"),
        ("Plavix", "clopidogrel", ANTIPLATELET, "B01AC04"),
        ("Brilique", "ticagrelor", ANTIPLATELET, "B01AC24"),
        ("Efient", "prasugrel", ANTIPLATELET, "B01AC22"),
        ("Roaccutane for acne", "isotretinoin", RETINOID, "D10BA01"),
        ("methotrexate weekly", "methotrexate", IMMUNOSUPPRESSANT, "L04AX03"),
    ],
)
def test_a_typed_name_is_recognised(typed, generic, kind, atc):
    medicine = recognise(typed)
    assert (medicine.generic, medicine.kind, medicine.atc) == (generic, kind, atc)


def test_other_words_are_not_medicines():
    assert recognise("paracetamol") is None
    assert recognise("aspiring actor") is None  # whole words only
    assert recognise("") is None


def test_a_brand_and_its_generic_are_the_same_medicine():
    assert same_medicine("Eliquis 5 mg", "apixaban")
    assert not same_medicine("apixaban", "rivaroxaban")
    assert not same_medicine("paracetamol", "paracetamol")  # unknown: left to the words


def test_every_anticoagulant_and_antiplatelet_is_in_atc_group_b01():
    for medicine in MEDICINES:
        if medicine.kind in (ANTICOAGULANT, ANTIPLATELET):
            assert medicine.atc.startswith("B01"), medicine.generic
