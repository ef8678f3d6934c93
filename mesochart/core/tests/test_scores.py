"""Scoring of outcome measures: worked examples from the sources' formulas, and properties
that must hold for any items (hypothesis)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesochart.core import measures
from mesochart.core.scores import bmi, change, css_band, score

CSS = measures.get("css")
MASI = measures.get("masi")
MMASI = measures.get("mmasi")


def items_of(measure):
    """Any complete set of a scale's items, each within its range."""
    return st.fixed_dictionaries(
        {item.code: st.integers(item.minimum, item.maximum) for item in measure.items}
    )


def test_css_worked_example_is_the_sum_of_its_five_items_with_its_band():
    result = score(CSS, {"A": 2, "B": 2, "C": 1, "D": 1, "E": 2})
    assert result.total == Decimal(8)
    assert result.band == "moderate"
    assert result.findings == ()


def test_masi_worked_example_weights_each_region():
    # forehead 0.3 × 2 × (2 + 1) = 1.8; right malar 0.3 × 4 × (3 + 2) = 6.0;
    # left malar 0.3 × 3 × (3 + 2) = 4.5; chin 0.1 × 1 × (1 + 1) = 0.2 → 12.5
    items = {
        "forehead_area": 2, "forehead_darkness": 2, "forehead_homogeneity": 1,
        "right_malar_area": 4, "right_malar_darkness": 3, "right_malar_homogeneity": 2,
        "left_malar_area": 3, "left_malar_darkness": 3, "left_malar_homogeneity": 2,
        "chin_area": 1, "chin_darkness": 1, "chin_homogeneity": 1,
    }  # fmt: skip
    assert score(MASI, items).total == Decimal("12.5")
    without_h = {code: value for code, value in items.items() if "homogeneity" not in code}
    # 0.3 × 2 × 2 + 0.3 × 4 × 3 + 0.3 × 3 × 3 + 0.1 × 1 × 1 = 1.2 + 3.6 + 2.7 + 0.1 = 7.6
    assert score(MMASI, without_h).total == Decimal("7.6")


def test_a_missing_item_makes_the_total_missing_and_names_it():
    result = score(CSS, {"A": 2, "B": 2, "C": 1, "E": 2})
    assert result.total is None
    assert result.missing == ("D",)
    assert [(f.field, f.rule) for f in result.findings] == [
        ("items.D", "is missing; the total is not computed")
    ]


@pytest.mark.parametrize(
    ("items", "field", "rule"),
    [
        ({"A": 4}, "items.A", "must be between 0 and 3"),
        ({"A": "two"}, "items.A", "must be a whole number"),
        ({"A": 1.5}, "items.A", "must be a whole number"),
        ({"forehead_area": 1}, "items.forehead_area", "is not an item of Cellulite Severity Scale"),
    ],
)
def test_bad_items_are_findings_that_name_the_item(items, field, rule):
    result = score(CSS, {"A": 1, "B": 1, "C": 1, "D": 1, "E": 1} | items)
    assert result.total is None
    assert (field, rule) in [(f.field, f.rule) for f in result.findings]


def test_the_homogeneity_of_masi_is_not_an_item_of_mmasi():
    items = {item.code: 0 for item in MMASI.items} | {"chin_homogeneity": 1}
    result = score(MMASI, items)
    assert result.total is None
    assert result.findings[0].field == "items.chin_homogeneity"


@given(items_of(MASI))
def test_masi_stays_within_0_and_48(items):
    assert Decimal(0) <= score(MASI, items).total <= Decimal(48)


@given(items_of(MMASI))
def test_mmasi_stays_within_0_and_24(items):
    assert Decimal(0) <= score(MMASI, items).total <= Decimal(24)


def test_the_ranges_are_reached():
    assert score(MASI, {i.code: i.maximum for i in MASI.items}).total == Decimal(48)
    assert score(MMASI, {i.code: i.maximum for i in MMASI.items}).total == Decimal(24)
    assert score(CSS, {i.code: i.maximum for i in CSS.items}).total == Decimal(15)


@pytest.mark.parametrize("measure", [CSS, MASI, MMASI], ids=lambda m: m.code)
@given(data=st.data())
def test_a_worse_item_never_lowers_the_total(measure, data):
    items = data.draw(items_of(measure))
    item = data.draw(st.sampled_from(measure.items))
    if items[item.code] == item.maximum:
        return
    worse = items | {item.code: data.draw(st.integers(items[item.code] + 1, item.maximum))}
    assert score(measure, worse).total >= score(measure, items).total


@given(items_of(CSS))
def test_css_band_follows_its_total(items):
    result = score(CSS, items)
    total = int(result.total)
    expected = "" if total == 0 else "mild" if total <= 5 else "moderate"
    expected = "severe" if total >= 11 else expected
    assert result.band == expected


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, ""), (1, "mild"), (5, "mild"), (6, "moderate"), (10, "moderate"), (11, "severe"),
     (15, "severe")],
)  # fmt: skip
def test_css_bands_change_exactly_at_their_cut_offs(total, band):
    assert css_band(Decimal(total)) == band


def test_bmi_is_weight_over_height_in_metres_squared():
    assert bmi(Decimal("62.5"), Decimal("168")) == Decimal("22.1")
    assert bmi(Decimal("62.5"), None) is None


def test_change_from_baseline_in_units_and_percent_and_direction():
    thigh = change(Decimal("58.0"), Decimal("55.5"), "lower")
    assert (thigh.difference, thigh.percent, thigh.improved) == (
        Decimal("-2.5"),
        Decimal("-4.3"),
        True,
    )
    density = change(Decimal("150"), Decimal("120"), "higher")
    assert density.improved is False
    assert change(Decimal(0), Decimal(3)).percent is None


def test_every_shipped_measure_names_its_source():
    assert all(m.source for m in measures.MEASURES)
    assert {"css", "masi", "mmasi", "gais_investigator", "gais_subject", "bmi"} <= set(
        measures.BY_CODE
    )
