"""Stock on hand is the sum of a lot's movements; it never goes below zero.

Every write is audited; a refused write leaves neither a movement nor an audit row.
"""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mesochart.audit.log import verify
from mesochart.audit.models import AuditEvent
from mesochart.formulary.actions import on_hand_ml
from mesochart.formulary.actions.stock import post_movements
from mesochart.formulary.models import Lot, MovementKind, StockMovement
from mesochart.formulary.tests.conftest import move, receive

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurse(practice):
    return practice.actor(practice.nurse)


def ledger_sum(lot) -> Decimal:
    """The movements added up in Python, exactly."""
    return sum(lot.movements.values_list("quantity_ml", flat=True), Decimal(0))


def written() -> tuple[int, int, int]:
    return (Lot.objects.count(), StockMovement.objects.count(), AuditEvent.objects.count())


def test_receiving_a_lot_creates_the_lot_and_its_received_movement(nurse):
    before = written()
    lot = receive(nurse, "ABC123", "10")
    assert written() == (before[0] + 1, before[1] + 1, before[2] + 1)
    (movement,) = lot.movements.all()
    assert (movement.kind, movement.quantity_ml, movement.by) == ("received", 10, nurse.user)
    assert on_hand_ml(lot) == Decimal("10")


def test_administered_and_wasted_take_away_returned_adds(nurse):
    lot = receive(nurse, "ABC123", "10")
    move(nurse, lot, "administered", "2.5")
    move(nurse, lot, "wasted", "0.5")
    move(nurse, lot, "returned", "1")
    move(nurse, lot, "adjusted", "-0.25", note="recount")
    signed = list(lot.movements.order_by("pk").values_list("quantity_ml", flat=True))
    assert signed == [
        Decimal("10"),
        Decimal("-2.5"),
        Decimal("-0.5"),
        Decimal("1"),
        Decimal("-0.25"),
    ]
    assert on_hand_ml(lot) == Decimal("7.75") == ledger_sum(lot)


def test_wasted_volume_is_posted_as_a_negative_movement(nurse):
    lot = receive(nurse, "ABC123", "10")
    movement = move(nurse, lot, "wasted", "0.3", note="dropped syringe")
    assert (movement.kind, movement.quantity_ml) == ("wasted", Decimal("-0.3"))
    assert on_hand_ml(lot) == Decimal("9.7")


def test_a_movement_that_would_go_negative_is_refused_naming_the_lot(nurse):
    lot = receive(nurse, "ABC123", "5")
    move(nurse, lot, "administered", "3")
    before = written()
    with pytest.raises(ValidationError) as caught:
        move(nurse, lot, "administered", "3")
    assert caught.value.message_dict == {
        "quantity_ml": ["lot ABC123 has 2 mL on hand; 3 mL cannot be taken"]
    }
    assert written() == before  # nothing half-written: no movement, no audit row
    assert on_hand_ml(lot) == Decimal("2")


def test_taking_exactly_what_is_on_hand_leaves_zero(nurse):
    lot = receive(nurse, "ABC123", "2.5")
    move(nurse, lot, "administered", "2.5")
    assert on_hand_ml(lot) == 0


def test_an_adjustment_may_not_go_below_zero_either(nurse):
    lot = receive(nurse, "ABC123", "1")
    with pytest.raises(ValidationError) as caught:
        move(nurse, lot, "adjusted", "-1.5", note="recount")
    assert caught.value.messages == ["lot ABC123 has 1 mL on hand; 1.5 mL cannot be taken"]


@time_machine.travel(date(2026, 3, 1), tick=False)
def test_an_expired_lot_cannot_be_administered(nurse):
    lot = receive(nurse, "OLD-7", "5", expires_on=date(2026, 3, 10), received_on=date(2026, 2, 1))
    with time_machine.travel(date(2026, 3, 11), tick=False):
        before = written()
        with pytest.raises(ValidationError) as caught:
            move(nurse, lot, "administered", "1")
        assert caught.value.message_dict == {
            "lot": ["lot OLD-7 expired on 2026-03-10 and cannot be administered"]
        }
        assert written() == before
        # What is left of it is wasted, which is allowed.
        move(nurse, lot, "wasted", "5", note="expired")
        assert on_hand_ml(lot) == 0


@time_machine.travel(date(2026, 3, 10), tick=False)
def test_a_lot_may_be_used_on_its_expiry_date(nurse):
    lot = receive(nurse, "LAST-DAY", "5", expires_on=date(2026, 3, 10))
    move(nurse, lot, "administered", "1")
    assert on_hand_ml(lot) == 4


@pytest.mark.parametrize(
    ("data", "field", "rule"),
    [
        (
            {"kind": "administered", "quantity_ml": Decimal("-1")},
            "quantity_ml",
            "must be greater than 0 (the kind gives the direction)",
        ),
        (
            {"kind": "adjusted", "quantity_ml": Decimal("0"), "note": "x"},
            "quantity_ml",
            "must not be 0",
        ),
        (
            {"kind": "adjusted", "quantity_ml": Decimal("1")},
            "note",
            "is required for an adjustment: say why the count changed",
        ),
        (
            {"kind": "spilled", "quantity_ml": Decimal("1")},
            "kind",
            "must be one of the listed choices",
        ),
        (
            {"kind": "wasted", "quantity_ml": Decimal("0.0001")},
            "quantity_ml",
            "must have at most 3 decimal places",
        ),
    ],
)
def test_a_malformed_movement_is_refused_naming_the_field(nurse, data, field, rule):
    from mesochart.formulary import actions

    lot = receive(nurse, "ABC123", "5")
    with pytest.raises(ValidationError) as caught:
        actions.post_movement(nurse, lot, data)
    assert caught.value.message_dict[field] == [rule]


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"quantity_ml": Decimal("0")}, "quantity_ml", "must be greater than 0"),
        (
            {"expires_on": date(2020, 1, 1), "received_on": date(2020, 6, 1)},
            "expires_on",
            "is before the day it was received (2020-06-01)",
        ),
        ({"product": "nope"}, "product", "must be one of the listed choices"),
        ({"gtin": "12ab"}, "gtin", "must be 8, 12, 13 or 14 digits"),
    ],
)
def test_a_malformed_delivery_is_refused_and_writes_nothing(nurse, changes, field, rule):
    before = written()
    with pytest.raises(ValidationError) as caught:
        receive(nurse, "ABC123", **changes)
    assert caught.value.message_dict[field] == [rule]
    assert written() == before


def test_the_same_lot_number_of_a_product_is_recorded_once_per_clinic(nurse, practice):
    receive(nurse, "ABC123")
    with pytest.raises(ValidationError) as caught:
        receive(nurse, "abc123")
    assert caught.value.message_dict == {
        "lot_number": ["lot ABC123 of this product is already recorded here"]
    }
    receive(nurse, "ABC123", product="lidocaine-2pct")  # another product may share it
    receive(practice.actor(practice.sister_practitioner), "ABC123")  # so may another clinic


def test_every_stock_write_is_audited(nurse):
    lot = receive(nurse, "ABC123", "10")
    movements = [move(nurse, lot, kind, "1") for kind in ("administered", "wasted", "returned")]
    events = AuditEvent.objects.filter(category="formulary").order_by("pk")
    assert [(e.object_type, e.object_id) for e in events] == [("lot", str(lot.pk))] + [
        ("stockmovement", str(m.pk)) for m in movements
    ]
    assert events.last().detail == {
        "lot": "ABC123",
        "lot_id": lot.pk,
        "kind": "returned",
        "quantity_ml": "1.000",
        "on_hand_ml": "9.000",
    }
    assert {e.actor_id for e in events} == {nurse.user.pk}


def test_the_database_refuses_a_movement_whose_sign_contradicts_its_kind(nurse):
    lot = receive(nurse, "ABC123")
    with pytest.raises(IntegrityError), transaction.atomic():
        StockMovement.objects.create(lot=lot, kind="administered", quantity_ml=1, by=nurse.user)


MOVEMENTS = st.lists(
    st.tuples(
        st.sampled_from(["administered", "wasted", "returned", "adjusted", "received"]),
        st.decimals(min_value=Decimal("-5"), max_value=Decimal("5"), places=3),
    ),
    max_size=12,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.decimals(min_value=Decimal("0.001"), max_value=Decimal("20"), places=3),
    steps=MOVEMENTS,
)
def test_on_hand_is_the_sum_of_movements_and_never_negative(nurse, start, steps):
    lot = receive(nurse, f"H-{Lot.objects.count()}", str(start))
    expected = start
    for kind, quantity in steps:
        signed = quantity if kind == "adjusted" else abs(quantity)
        if kind in ("administered", "wasted"):
            signed = -abs(quantity)
        acceptable = quantity != 0 and expected + signed >= 0
        try:
            move(
                nurse,
                lot,
                kind,
                str(quantity if kind == MovementKind.ADJUSTED else abs(quantity)),
                note="recount",
            )
        except ValidationError:
            assert not acceptable
        else:
            assert acceptable
            expected += signed
        assert on_hand_ml(lot) == expected == ledger_sum(lot)
        assert expected >= 0


def test_several_movements_of_a_lot_post_together_each_audited_with_its_running_stock(nurse):
    lot = receive(nurse, "ABC123", "10")
    movements = post_movements(
        nurse,
        lot,
        [
            {"kind": "administered", "quantity_ml": "6", "reference": "treatment-session:9"},
            {"kind": "wasted", "quantity_ml": "0.5", "reference": "treatment-session:9"},
        ],
    )
    assert [(m.kind, m.quantity_ml) for m in movements] == [
        ("administered", Decimal("-6")),
        ("wasted", Decimal("-0.5")),
    ]
    events = AuditEvent.objects.filter(object_type="stockmovement").order_by("pk")
    assert [(e.object_id, e.detail["on_hand_ml"]) for e in events] == [
        (str(movements[0].pk), "4.000"),
        (str(movements[1].pk), "3.500"),
    ]
    assert verify().ok


def test_movements_that_together_take_more_than_on_hand_are_all_refused(nurse):
    lot = receive(nurse, "ABC123", "5")
    before = written()
    with pytest.raises(ValidationError) as refused:
        post_movements(
            nurse,
            lot,
            [{"kind": "administered", "quantity_ml": "4"}, {"kind": "wasted", "quantity_ml": "2"}],
        )
    assert refused.value.message_dict == {
        "quantity_ml": ["lot ABC123 has 5 mL on hand; 6 mL cannot be taken"]
    }
    assert written() == before
