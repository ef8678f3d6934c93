"""No CSV the app writes hands a spreadsheet a formula; numbers keep their sign."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesochart.lib.csvcells import FORMULA_STARTS, cell


@pytest.mark.parametrize(
    "typed",
    ['=HYPERLINK("http://x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_a_formula_typed_into_a_field_is_written_as_text(typed):
    assert cell(typed) == "'" + typed


@pytest.mark.parametrize("number", ["-2.5", "+3", "-0.04", "1e-3", "-.5", "12"])
def test_a_number_keeps_its_sign(number):
    assert cell(number) == number


def test_nothing_is_written_for_a_missing_value():
    assert cell(None) == ""


@given(st.text())
def test_no_cell_starts_a_formula_unless_it_is_a_plain_number(text):
    written = cell(text)
    if written.startswith(FORMULA_STARTS):
        assert float(written) == float(text)
