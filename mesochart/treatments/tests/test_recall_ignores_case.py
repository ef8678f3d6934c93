"""A lot number typed in lower case finds the lot: boxes print it in capitals, people type
it however they like ("demo-hs-dca" finds DEMO-HS-DCA)."""

from mesochart.treatments.recall import recall_rows

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_a_recall_typed_in_lower_case_finds_every_patient(practice, ready):
    session = ready.signed()
    typed = recall_rows(practice.org.pk, " dca-001 ")
    assert [row.session_id for row in typed] == [session.pk]
    assert typed == recall_rows(practice.org.pk, "DCA-001")
    assert typed[0].lot_number == "DCA-001"


def test_the_recall_page_finds_the_lot_typed_in_lower_case(practice, ready, client_for):
    ready.signed()
    page = client_for(practice.practitioner).get("/sessions/recall/", {"lot": "dca-001"})
    assert practice.patient.record_number in page.content.decode()
