"""A refused session form comes back with everything that was entered: the draft's fields,
its product rows (and the reasons typed for relative findings); an amendment its kind, text,
field, value and reason. One bad field, the others kept."""

from mesochart.tests.kept import assert_kept, shown

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_a_refused_draft_keeps_its_fields_and_product_rows(practice, ready, client_for):
    session = ready.start()
    typed = {
        "version": session.version,
        "lot": [str(ready.lot.pk)],
        "barcode": [""],
        "drawn": ["4.5"],
        "wasted": ["0.5"],
        "needle_gauge": "12",  # the one bad field: 18 G to 34 G
        "needle_length_mm": "4",
        "depth_mm": "3",
        "notes": "Patient anxious; paused twice",
        "aftercare": "Cold packs, no massage for 48 h",
    }
    response = client_for(practice.practitioner).post(f"/sessions/{session.pk}/save/", typed)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Needle gauge (G): must be between 18 G and 34 G" in body
    assert "needle_gauge: " not in body
    assert_kept(body, typed, except_=("needle_gauge", "version"))
    assert shown(body)["lot"][:1] == [str(ready.lot.pk)]


def test_a_refused_correction_keeps_its_text_field_value_and_kind(practice, ready, client_for):
    session = ready.signed()
    typed = {
        "kind": "correction",
        "text": "Depth was 3 mm, not 4 mm",
        "field": "depth_mm",
        "value": "3",
        "reason": "",  # the one bad field: a correction needs a reason
    }
    response = client_for(practice.practitioner).post(f"/sessions/{session.pk}/amend/", typed)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Reason: is required for a correction" in body
    assert "reason: " not in body
    assert_kept(body, typed, except_=("reason",))
