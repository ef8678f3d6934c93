"""Signing posts the stock: administered and wasted; insufficient or expired stock refuses
with a message naming the lot, and nothing is posted."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from mesochart.formulary.actions.stock import on_hand_ml
from mesochart.formulary.models import StockMovement
from mesochart.testing.sessions import proof, receive
from mesochart.treatments import actions

BUILT_ONCE = True  # mesochart.testing.shared: the ready practice is built once for the module


def test_administered_and_wasted_volumes_are_posted(ready):
    session = ready.signed(drawn="4.5", wasted="0.5")
    movements = StockMovement.objects.filter(reference=f"treatment-session:{session.pk}")
    assert sorted((m.kind, m.quantity_ml) for m in movements) == [
        ("administered", Decimal("-4.000")),
        ("wasted", Decimal("-0.500")),
    ]
    assert on_hand_ml(ready.lot) == Decimal("15.500")


def test_insufficient_stock_refuses_naming_the_lot(practice, ready):
    small = receive(practice, lot_number="DCA-SMALL", quantity_ml=1)
    session = ready.drafted(lot=small)
    with pytest.raises(ValidationError) as refused:
        actions.sign_session(ready.membership, session, reauthentication=proof(ready.membership))
    (line,) = [x for x in refused.value.message_dict["preflight"] if "DCA-SMALL" in x]
    assert "1 mL on hand" in line
    assert not StockMovement.objects.filter(kind="administered").exists()


def test_an_expired_lot_refuses_naming_the_lot(practice, ready):
    old = receive(practice, lot_number="DCA-OLD", expires_on=date(2026, 2, 1))
    session = ready.drafted(lot=old)
    with pytest.raises(ValidationError) as refused:
        actions.sign_session(ready.membership, session, reauthentication=proof(ready.membership))
    assert "blocked: lot DCA-OLD expired on 2026-02-01" in refused.value.message_dict["preflight"]
    assert not StockMovement.objects.filter(kind="administered").exists()


def test_a_lot_that_expires_between_draft_and_signing_is_refused(practice, ready):
    soon = receive(practice, lot_number="DCA-SOON", expires_on=date(2026, 3, 2))
    session = ready.drafted(lot=soon)
    with (
        time_machine.travel(date(2026, 3, 3), tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        actions.sign_session(ready.membership, session, reauthentication=proof(ready.membership))
    assert any("DCA-SOON expired" in x for x in refused.value.message_dict["preflight"])


def test_another_clinics_lot_cannot_be_recorded(practice, ready):
    sister = receive(practice, lot_number="DCA-SIS", user=practice.sister_practitioner)
    session = ready.start()
    with pytest.raises(ValidationError) as refused:
        actions.save_draft(
            ready.membership, session, {"products": [{"lot": sister.pk, "volume_drawn_ml": "1"}]}
        )
    assert "products[0].lot" in refused.value.message_dict


def test_wasted_more_than_drawn_is_refused(ready):
    with pytest.raises(ValidationError) as refused:
        ready.drafted(drawn="1", wasted="2")
    assert refused.value.message_dict == {
        "products[0].volume_wasted_ml": ["must not exceed the volume drawn"]
    }
