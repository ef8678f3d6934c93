"""Properties of the engine that must hold for any cocktail, checked with hypothesis."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mesochart.core.dose import (
    Component,
    Ingredient,
    PastSession,
    Plan,
    Points,
    Product,
    Strength,
    check,
)
from mesochart.core.reference import load_shipped_products
from mesochart.core.units import IU, MG, Q_

PRODUCTS = load_shipped_products()
HYALURONIDASE_1500 = Product(
    "hyaluronidase-1500",
    "Hyaluronidase 1500 IU/mL",
    (Strength(Ingredient("hyaluronidase", "Hyaluronidase", "enzyme"), Q_(1500, "IU/mL")),),
)
POOL = [*sorted(PRODUCTS), "hyaluronidase-1500"]
DAY = date(2026, 11, 3)


def product(slug):
    return HYALURONIDASE_1500 if slug == "hyaluronidase-1500" else PRODUCTS[slug]


cocktails = st.lists(
    st.tuples(st.sampled_from(POOL), st.floats(min_value=0.05, max_value=30)),
    min_size=1,
    max_size=5,
    unique_by=lambda item: item[0],
)
histories = st.lists(
    st.tuples(st.integers(min_value=0, max_value=400), st.sets(st.sampled_from(POOL), min_size=1)),
    max_size=20,
)
weights = st.one_of(st.none(), st.floats(min_value=2, max_value=250))


def build(cocktail, history=(), weight_kg=70.0, count=20, area="submental"):
    components = tuple(Component(product(slug), Q_(ml, "mL")) for slug, ml in cocktail)
    total_ml = sum(ml for _, ml in cocktail)
    return Plan(
        date=DAY,
        area=area,
        technique="nappage",
        components=components,
        points=Points(count, Q_(total_ml / count, "mL"), depth_mm=3, spacing_cm=1),
        weight_kg=weight_kg,
        history=tuple(
            PastSession(DAY - timedelta(days=days), frozenset(slugs)) for days, slugs in history
        ),
    )


def summary(result):
    return sorted(
        (f.severity, f.rule, f.product or "", f.ingredient or "", f.message)
        for f in result.findings
    )


@settings(max_examples=150)
@given(cocktails, st.floats(min_value=0.01, max_value=100), weights)
def test_scaling_every_volume_by_k_scales_every_dose_by_k(cocktail, k, weight_kg):
    plain = check(build(cocktail, weight_kg=weight_kg)).totals
    scaled = check(build([(slug, ml * k) for slug, ml in cocktail], weight_kg=weight_kg)).totals
    assert plain.keys() == scaled.keys()
    for slug, total in plain.items():
        if total.amount is None:
            assert scaled[slug].amount is None
            continue
        assert scaled[slug].amount.units == total.amount.units
        assert scaled[slug].amount.magnitude == pytest.approx(k * total.amount.magnitude)
        if weight_kg is not None:
            assert scaled[slug].per_kg.magnitude == pytest.approx(k * total.per_kg.magnitude)


@settings(max_examples=150)
@given(cocktails, histories, weights, st.randoms(use_true_random=False))
def test_the_order_of_products_does_not_matter(cocktail, history, weight_kg, random):
    shuffled = list(cocktail)
    random.shuffle(shuffled)
    first = check(build(cocktail, history, weight_kg))
    second = check(build(shuffled, history, weight_kg))
    assert summary(first) == summary(second)
    assert first.blocked == second.blocked
    assert first.totals.keys() == second.totals.keys()
    for slug, total in first.totals.items():
        if total.amount is None:
            assert second.totals[slug].amount is None
        else:
            assert second.totals[slug].amount.magnitude == pytest.approx(total.amount.magnitude)


@given(cocktails)
def test_activity_is_never_reported_as_mass(cocktail):
    for total in check(build(cocktail)).totals.values():
        if total.amount is not None:
            expected = IU if total.ingredient.slug == "hyaluronidase" else MG
            assert total.amount.units == expected


@given(cocktails, histories, weights)
def test_a_plan_is_blocked_exactly_when_a_finding_blocks(cocktail, history, weight_kg):
    result = check(build(cocktail, history, weight_kg))
    assert result.blocked == any(f.severity == "block" for f in result.findings)
