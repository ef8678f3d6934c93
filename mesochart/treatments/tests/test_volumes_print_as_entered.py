"""Volumes read as the practitioner entered them on every page: "11.2 mL", never
"11.2000000000000 mL" (what SQLite returns for a lot's sum of movements)."""

from mesochart.testing.sessions import receive

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_the_lot_picker_prints_what_is_on_hand_as_entered(practice, ready, client_for):
    receive(practice, lot_number="DCA-112", quantity_ml="11.2")
    session = ready.start()
    page = client_for(practice.practitioner).get(f"/sessions/{session.pk}/").content.decode()
    assert "lot DCA-112 · exp 31 Jan 2027 · 11.2 mL" in page
    assert "11.20" not in page


def test_a_signed_session_and_its_recall_print_the_volumes_as_entered(practice, ready, client_for):
    session = ready.signed(drawn="4.5", wasted="0.5")
    client = client_for(practice.practitioner)
    page = client.get(f"/sessions/{session.pk}/").content.decode()
    assert "drawn 4.5 mL, wasted 0.5 mL" in page
    recall = client.get("/sessions/recall/", {"lot": "DCA-001"}).content.decode()
    assert "<td>4</td>" in recall and "4.000" not in recall
