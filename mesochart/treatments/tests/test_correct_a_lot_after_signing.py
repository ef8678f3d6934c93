"""A wrong lot or volume found after signing is corrected by an amendment: the signed record
stays as signed, the stock ledger gets reversing movements, the recall moves to the right lot."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mesochart.audit.models import AuditEvent
from mesochart.formulary.models import StockMovement
from mesochart.testing.sessions import proof, receive
from mesochart.treatments import corrections, recall
from mesochart.treatments.models import Amendment, LotUse

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

REASON = "The box in the bin was DCA-002; DCA-001 was typed by mistake."


@pytest.fixture
def wrong(ready):
    """A session signed with lot DCA-001 (4 mL) when DCA-002 was used."""
    ready.right = receive(ready.practice, lot_number="DCA-002")
    ready.session = ready.signed()
    return ready


def correct(ready, membership=None, **data):
    membership = membership or ready.membership
    values = {
        "position": 0,
        "lot": ready.right.pk,
        "volume_drawn_ml": "4",
        "volume_wasted_ml": "0",
        "reason": REASON,
        **data,
    }
    return corrections.correct_product(
        membership, ready.session, values, reauthentication=proof(membership)
    )


def on_hand(lot):
    return sum(m.quantity_ml for m in StockMovement.objects.filter(lot=lot))


def numbers(lot_number, ready):
    return [
        row.session_id
        for row in recall.recall_rows(ready.practice.clinic.organisation_id, lot_number)
    ]


def test_the_recall_moves_to_the_corrected_lot(wrong):
    assert numbers("DCA-001", wrong) == [wrong.session.pk]
    correct(wrong)
    assert numbers("DCA-001", wrong) == []
    (row,) = recall.recall_rows(wrong.practice.clinic.organisation_id, "dca-002")
    assert row.session_id == wrong.session.pk
    assert "DCA-001" in row.corrected_from and "corrected on" in row.corrected_from


def test_the_ledger_gets_reversing_movements_never_edits(wrong):
    before = list(StockMovement.objects.order_by("pk").values())
    correct(wrong)
    after = list(StockMovement.objects.order_by("pk").values())
    assert after[: len(before)] == before  # nothing signed posted is changed
    new = after[len(before) :]
    assert [(m["lot_id"], m["kind"], m["quantity_ml"]) for m in new] == [
        (wrong.lot.pk, "returned", Decimal("4.000")),
        (wrong.right.pk, "administered", Decimal("-4.000")),
    ]
    assert on_hand(wrong.lot) == Decimal(20)
    assert on_hand(wrong.right) == Decimal(16)


def test_the_signed_record_keeps_what_was_signed(wrong):
    signed_hash = wrong.session.content_hash
    amendment = correct(wrong)
    wrong.session.refresh_from_db()
    assert wrong.session.content_hash == signed_hash
    assert wrong.session.products.get().lot == wrong.lot
    assert amendment.kind == "correction"
    (change,) = amendment.changes.values()
    assert "DCA-001" in change["from"] and "DCA-002" in change["to"]
    assert LotUse.objects.filter(session=wrong.session).count() == 2


def test_a_volume_is_corrected_on_the_same_lot(wrong):
    correct(wrong, lot=wrong.lot.pk, volume_drawn_ml="5", volume_wasted_ml="0.5")
    assert on_hand(wrong.lot) == Decimal(15)
    (row,) = recall.recall_rows(wrong.practice.clinic.organisation_id, "DCA-001")
    assert row.volume_administered_ml == Decimal("4.500")


def test_a_correction_is_audited(wrong):
    amendment = correct(wrong)
    event = AuditEvent.objects.filter(object_id=str(amendment.pk)).last()
    assert event is not None and event.detail["to_lot"] == wrong.right.pk


def test_a_correction_needs_a_reason_and_changes_something(wrong):
    with pytest.raises(ValidationError) as refused:
        correct(wrong, reason="")
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        correct(wrong, lot=wrong.lot.pk)
    assert "changes nothing" in refused.value.message_dict["lot"][0]
    assert not Amendment.objects.exists()


def test_a_correction_asks_who_corrects_again(wrong):
    with pytest.raises(ValidationError) as refused:
        corrections.correct_product(
            wrong.membership,
            wrong.session,
            {"position": 0, "lot": wrong.right.pk, "volume_drawn_ml": "4", "reason": REASON},
            reauthentication=None,
        )
    assert "reauthentication" in refused.value.message_dict


def test_a_nurse_cannot_correct_a_lot(wrong):
    with pytest.raises(PermissionDenied):
        correct(wrong, membership=wrong.nurse)
    assert not Amendment.objects.exists()


def test_a_second_correction_supersedes_the_first(wrong):
    correct(wrong)
    correct(wrong, lot=wrong.lot.pk, reason="It was DCA-001 after all, checked the log.")
    assert numbers("DCA-002", wrong) == []
    assert numbers("DCA-001", wrong) == [wrong.session.pk]
    assert on_hand(wrong.right) == Decimal(20)
