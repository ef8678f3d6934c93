"""Drawn = injected + wasted, per product, within the stated tolerance."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from mesochart.core.reconcile import STEP_ML, TOLERANCE_ML, Line, Part, reconcile, split

ml = st.decimals(min_value=0, max_value=200, places=3, allow_nan=False, allow_infinity=False)
positive = st.decimals(
    min_value=Decimal("0.001"), max_value=50, places=3, allow_nan=False, allow_infinity=False
)
parts = st.lists(positive, min_size=1, max_size=6).map(
    lambda volumes: [Part(f"p{i}", v) for i, v in enumerate(volumes)]
)


@given(parts, ml)
def test_the_shares_add_up_to_the_points_total_and_are_never_negative(parts, total):
    shares = split(parts, total)
    assert sum(shares.values()) == total
    assert all(share >= 0 for share in shares.values())
    assert all(share == share.quantize(STEP_ML) for share in shares.values())


@given(parts, ml)
def test_each_share_follows_the_cocktail_proportion(parts, total):
    shares = split(parts, total)
    whole = sum(p.volume_ml for p in parts)
    for part in parts:
        exact = total * part.volume_ml / whole
        assert abs(shares[part.product] - exact) <= STEP_ML * len(parts)


@given(ml, ml)
def test_drawn_that_covers_injected_and_wasted_reconciles(injected, wasted):
    assert reconcile([Line("A", injected + wasted, wasted, injected)]) == []


@given(ml, ml, st.decimals(min_value=Decimal("0.011"), max_value=10, places=3))
def test_a_difference_past_the_tolerance_is_named_with_its_numbers(injected, wasted, gap):
    (problem,) = reconcile([Line("Lidocaine 2%", injected + wasted + gap, wasted, injected)])
    assert problem.startswith("Lidocaine 2%: drawn ")
    assert "tolerance 0.01 mL" in problem


@given(ml, ml, st.decimals(min_value=-TOLERANCE_ML, max_value=TOLERANCE_ML, places=3))
def test_rounding_within_the_tolerance_does_not_block(injected, wasted, gap):
    drawn = injected + wasted + gap
    if drawn >= 0:
        assert reconcile([Line("A", drawn, wasted, injected)]) == []


def test_a_negative_volume_never_reconciles():
    (problem,) = reconcile([Line("A", Decimal(1), Decimal(-1), Decimal(2))])
    assert "negative" in problem


def test_no_parts_or_no_points_is_nothing_injected():
    assert split([], Decimal(3)) == {}
    assert split([Part("A", Decimal(1))], Decimal(0)) == {"A": Decimal(0)}


def test_a_two_to_one_cocktail_splits_three_millilitres_as_two_and_one():
    shares = split([Part("A", Decimal(2)), Part("B", Decimal(1))], Decimal(3))
    assert shares == {"A": Decimal("2.000"), "B": Decimal("1.000")}
