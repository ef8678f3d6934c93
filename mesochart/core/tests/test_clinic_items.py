from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from mesochart.core.clinic_items import ItemDefinition, check, to_measure
from mesochart.core.measures import Kind

SHORTS = ItemDefinition(
    "shorts", "How confident do you feel in shorts?", "scale", "higher",
    maximum=10, low_anchor="Not at all", high_anchor="Completely",
)  # fmt: skip


def fields(item):
    return {f.field for f in check(item)}


def test_a_scale_with_both_anchors_is_valid_and_records_as_a_0_to_n_quantity():
    assert check(SHORTS) == []
    measure = to_measure(SHORTS, 1)
    assert measure.code == "pro.shorts"
    assert (measure.kind, measure.minimum, measure.maximum) == (Kind.QUANTITY, 0, Decimal(10))
    assert measure.patient_reported


def test_a_scale_needs_its_anchors_and_a_top_within_bounds():
    bare = ItemDefinition("x", "Q?", "scale", "higher", maximum=0)
    assert fields(bare) == {"maximum", "low_anchor", "high_anchor"}
    assert "maximum" in fields(ItemDefinition("x", "Q?", "scale", "higher", 101, "a", "b"))


def test_levels_are_ranked_in_the_order_given():
    item = ItemDefinition("feel", "How do you feel?", "levels", "lower", levels=("Fine", "Bad"))
    measure = to_measure(item, 2)
    assert [(lv.code, lv.label, lv.rank) for lv in measure.levels] == [
        ("0", "Fine", 0),
        ("1", "Bad", 1),
    ]
    assert "version 2" in measure.source


def test_levels_must_be_two_to_ten_distinct_labels():
    one = ItemDefinition("x", "Q?", "levels", "lower", levels=("Only",))
    twice = ItemDefinition("x", "Q?", "levels", "lower", levels=("Same", "same"))
    assert fields(one) == {"levels"}
    assert fields(twice) == {"levels"}


def test_a_bad_slug_response_and_direction_are_named():
    item = ItemDefinition("Bad Slug", "", "free_text", "sideways")
    assert fields(item) == {"slug", "question", "response", "better"}


@given(st.integers(min_value=-5, max_value=200))
def test_a_scale_top_is_valid_exactly_from_1_to_100(top):
    item = ItemDefinition("x", "Q?", "scale", "higher", top, "low", "high")
    assert (check(item) == []) == (1 <= top <= 100)


@given(st.lists(st.text(min_size=1, max_size=10).filter(str.strip), min_size=0, max_size=12))
def test_valid_levels_always_make_a_measure_with_each_label_once(labels):
    item = ItemDefinition("x", "Q?", "levels", "higher", levels=tuple(labels))
    if check(item) == []:
        measure = to_measure(item, 1)
        assert [lv.rank for lv in measure.levels] == list(range(len(labels)))
        assert 2 <= len(measure.levels) <= 10
