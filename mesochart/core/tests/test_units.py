"""Units: strengths and volumes as clinicians write them, and conversions that must round-trip."""

import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesochart.core.units import (
    IU_PER_ML,
    MG_PER_ML,
    ML,
    Q_,
    format_quantity,
    parse_quantity,
    parse_strength,
    parse_volume,
    ureg,
)

magnitudes = st.floats(min_value=1e-6, max_value=1e6, allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 mg/mL", Q_(10, MG_PER_ML)),
        ("500 µg/mL", Q_(0.5, MG_PER_ML)),
        ("500 ug/mL", Q_(0.5, MG_PER_ML)),
        ("500 mcg/mL", Q_(0.5, MG_PER_ML)),
        ("1500 IU/mL", Q_(1500, IU_PER_ML)),
        ("1 % w/v", Q_(10, MG_PER_ML)),
        ("0.05 % w/v", Q_(0.5, MG_PER_ML)),
        ("2.5 %w/v", Q_(25, MG_PER_ML)),
        ("5 g/L", Q_(5, MG_PER_ML)),
    ],
)
def test_strengths_are_read_as_an_amount_per_ml(text, expected):
    strength = parse_strength(text)
    assert strength.units == expected.units
    assert strength.magnitude == pytest.approx(expected.magnitude)


def test_one_percent_weight_per_volume_is_ten_mg_per_ml_as_the_lidocaine_label_says():
    assert parse_strength("1 % w/v") == Q_(10, "mg/mL")


@pytest.mark.parametrize(
    ("text", "unknown"), [("10 foo/mL", "foo"), ("10 mg/zz", "zz"), ("3 wibble", "wibble")]
)
def test_an_unknown_unit_is_refused_by_name(text, unknown):
    with pytest.raises(ValueError, match=f"unknown unit '{unknown}'"):
        parse_strength(text)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("1 % w/w", "only '% w/v' is supported"),
        ("1 %", "only '% w/v' is supported"),
        ("10 mg", "not an amount per volume"),
        ("10 mL", "not an amount per volume"),
        ("10", "has no unit"),
        ("ten mg/mL", "cannot read a number"),
        ("10 mg//mL", "cannot read the unit"),
        ("10 mg/mL/mL", "cannot read the unit"),
        ("1e999 mg/mL", "not a finite number"),
    ],
)
def test_a_strength_that_is_not_a_clean_amount_per_volume_is_refused(text, problem):
    with pytest.raises(ValueError, match=problem):
        parse_strength(text)


def test_volumes_are_read_in_ml():
    assert parse_volume("0.2 mL") == Q_(0.2, ML)
    assert parse_volume("50 µL").m_as(ML) == pytest.approx(0.05)
    assert parse_volume("0.01 L").m_as(ML) == pytest.approx(10)


def test_a_mass_is_not_a_volume():
    with pytest.raises(ValueError, match="not in a unit of the same kind as mL"):
        parse_volume("10 mg")


def test_quantities_print_as_a_clinician_writes_them():
    assert format_quantity(Q_(0.2, "mL")) == "0.2 mL"
    assert format_quantity(Q_(4.5, "mg/kg")) == "4.5 mg/kg"
    assert format_quantity(Q_(1500, "IU/mL")) == "1500 IU/mL"
    assert format_quantity(parse_quantity("50 µL")) == "50 µL"


@given(magnitudes)
def test_mass_round_trips_through_micrograms_and_grams(mg):
    there_and_back = Q_(mg, "mg").to("µg").to("g").to("mg")
    assert there_and_back.magnitude == pytest.approx(mg, rel=1e-12)


@given(magnitudes)
def test_volume_round_trips_through_litres(ml):
    assert Q_(ml, "mL").to("L").to("mL").magnitude == pytest.approx(ml, rel=1e-12)


@given(st.floats(min_value=1e-4, max_value=100, allow_nan=False))
def test_percent_weight_per_volume_round_trips_through_mg_per_ml(percent):
    strength = parse_strength(f"{percent!r} % w/v")
    assert strength.magnitude == pytest.approx(percent * 10, rel=1e-12)
    assert strength.to("pct_wv").magnitude == pytest.approx(percent, rel=1e-12)


@given(magnitudes)
def test_international_units_never_convert_to_mass(iu):
    with pytest.raises(pint.DimensionalityError):
        Q_(iu, "IU").to("mg")
    with pytest.raises(pint.DimensionalityError):
        Q_(iu, "IU/mL").to("mg/mL")


def test_international_units_are_not_enzyme_catalysis():
    assert not Q_(1, "IU").is_compatible_with(ureg.katal)
