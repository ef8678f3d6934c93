"""Volumes print as the clinician entered them, whatever the database returned."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesochart.core.volumes import format_ml, ml_number


@pytest.mark.parametrize(
    ("volume", "printed"),
    [
        (Decimal("11.2000000000000"), "11.2 mL"),  # what SQLite returns for a sum
        (Decimal("8.800"), "8.8 mL"),
        (Decimal("2.000"), "2 mL"),  # no trailing zero: "2.0 mL" is misread as 20 mL
        (Decimal("0.125"), "0.125 mL"),
        (Decimal("0.5"), "0.5 mL"),  # always the leading zero
        (11.2, "11.2 mL"),
        (10, "10 mL"),
        ("7.500", "7.5 mL"),
        (Decimal("0.000"), "0 mL"),
        (Decimal("-2.500"), "-2.5 mL"),
        (None, "—"),
    ],
)
def test_a_volume_prints_as_entered(volume, printed):
    assert format_ml(volume) == printed


@given(st.decimals(min_value=0, max_value=10_000, places=3, allow_nan=False))
def test_the_printed_number_reads_back_as_the_same_volume(volume):
    assert Decimal(ml_number(volume)) == volume
    assert not ml_number(volume).endswith(".") and "E" not in ml_number(volume)
