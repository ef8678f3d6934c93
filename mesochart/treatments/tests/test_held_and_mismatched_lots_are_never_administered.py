"""A quarantined or recalled lot cannot be administered, the lot picker offers only what may
be used in this session, and a scanned box whose expiry differs from the lot's record is
refused naming both dates."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from mesochart.formulary.actions import place_hold
from mesochart.testing.sessions import GTIN, proof, receive
from mesochart.treatments import actions
from mesochart.treatments.barcodes import match_lot, parse_gs1
from mesochart.treatments.forms import ProductRowForm

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_a_quarantined_lot_blocks_signing_naming_who_and_why(practice, ready):
    session = ready.drafted()
    place_hold(ready.nurse, ready.lot, "quarantine", {"reason": "Cold chain broken"})
    with pytest.raises(ValidationError) as refused:
        actions.sign_session(ready.membership, session, reauthentication=proof(ready.membership))
    (line,) = [x for x in refused.value.message_dict["preflight"] if "DCA-001" in x]
    assert "lot DCA-001 is quarantined" in line and "Cold chain broken" in line
    assert practice.nurse.username in line or practice.nurse.get_full_name() in line


def test_a_recalled_lot_blocks_signing_and_opens_the_recall_page(practice, ready, client_for):
    session = ready.drafted()
    place_hold(ready.membership, ready.lot, "recall", {"reason": "Manufacturer recall"})
    with pytest.raises(ValidationError) as refused:
        actions.sign_session(ready.membership, session, reauthentication=proof(ready.membership))
    assert any("is recalled" in x for x in refused.value.message_dict["preflight"])
    page = client_for(practice.practitioner).get("/sessions/recall/").content.decode()
    assert "Lots out of use" in page and 'href="?lot=DCA-001"' in page
    assert "Manufacturer recall" in page


def test_the_lot_picker_offers_only_usable_lots_of_the_cocktail(practice, ready, client_for):
    receive(practice, lot_number="DCA-OLD", expires_on=date(2026, 2, 1))
    held = receive(practice, lot_number="DCA-HELD")
    place_hold(ready.nurse, held, "quarantine", {"reason": "Doubtful label"})
    receive(practice, lot_number="LIDO-1", product="lidocaine-1pct", gtin="")
    empty = receive(practice, lot_number="DCA-EMPTY", quantity_ml=1)
    empty.movements.create(kind="wasted", quantity_ml=-1, by=practice.practitioner)
    session = ready.start()
    page = client_for(practice.practitioner).get(f"/sessions/{session.pk}/").content.decode()
    offered = {
        n for n in ("DCA-001", "DCA-OLD", "DCA-HELD", "LIDO-1", "DCA-EMPTY") if f"lot {n} ·" in page
    }
    assert offered == {"DCA-001"}


def test_a_scanned_expiry_must_match_the_lots_record(practice, ready):
    lots = ProductRowForm(clinic=practice.clinic).lots
    with pytest.raises(ValidationError) as refused:
        match_lot(lots, parse_gs1(f"(01){GTIN}(17)270130(10)DCA-001"))
    assert refused.value.message_dict["barcode"] == [
        "the box expires on 2027-01-30 but lot DCA-001 is recorded as expiring on 2027-01-31: "
        "check the box against the lot's record"
    ]
    assert match_lot(lots, parse_gs1(f"(01){GTIN}(17)270131(10)DCA-001")) == ready.lot


def test_a_scanned_box_of_a_held_lot_is_refused(practice, ready):
    place_hold(ready.nurse, ready.lot, "quarantine", {"reason": "Cold chain broken"})
    lots = ProductRowForm(clinic=practice.clinic).lots
    with pytest.raises(ValidationError) as refused:
        match_lot(lots, parse_gs1(f"(01){GTIN}(17)270131(10)DCA-001"))
    assert "is quarantined" in refused.value.message_dict["barcode"][0]
