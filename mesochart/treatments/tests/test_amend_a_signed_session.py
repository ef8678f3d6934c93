"""A change to a signed session is an amendment: an addendum, or a correction with who,
when, why and the changed fields; the original stays readable and unchanged."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mesochart.treatments import actions
from mesochart.treatments.models import Amendment

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_an_addendum_keeps_the_signed_record(ready):
    session = ready.signed(notes="Tolerated well")
    amendment = actions.amend_session(
        ready.nurse, session, {"kind": "addendum", "text": "Called next day: mild swelling"}
    )
    session.refresh_from_db()
    assert session.notes == "Tolerated well"
    assert (amendment.kind, amendment.by) == ("addendum", ready.practice.nurse)


def test_a_correction_records_from_and_to_and_the_original_stays(ready):
    session = ready.signed(needle_gauge=30)
    digest = session.content_hash
    amendment = actions.amend_session(
        ready.membership,
        session,
        {
            "kind": "correction",
            "text": "Gauge was 32",
            "reason": "typed the wrong box",
            "changes": {"needle_gauge": 32},
        },
    )
    assert amendment.changes == {"needle_gauge": {"from": 30, "to": 32}}
    session.refresh_from_db()
    assert (session.needle_gauge, session.content_hash) == (30, digest)
    assert actions.effective(session, [amendment])["needle_gauge"] == 32


def test_a_correction_needs_a_reason_and_a_valid_value(ready):
    session = ready.signed()
    with pytest.raises(ValidationError) as refused:
        actions.amend_session(ready.membership, session, {"kind": "correction", "text": "x"})
    assert refused.value.message_dict["reason"][0].startswith("is required for a correction")
    with pytest.raises(ValidationError) as refused:
        actions.amend_session(
            ready.membership,
            session,
            {"kind": "correction", "text": "x", "reason": "y", "changes": {"needle_gauge": 99}},
        )
    assert refused.value.message_dict == {"changes.needle_gauge": ["must be between 18 G and 34 G"]}
    with pytest.raises(ValidationError) as refused:
        actions.amend_session(
            ready.membership,
            session,
            {"kind": "correction", "text": "x", "reason": "y", "changes": {"content_hash": "0"}},
        )
    assert refused.value.message_dict == {"changes": ["cannot correct content_hash"]}


def test_a_nurse_adds_an_addendum_but_not_a_correction(ready):
    session = ready.signed()
    with pytest.raises(PermissionDenied):
        actions.amend_session(
            ready.nurse,
            session,
            {"kind": "correction", "text": "x", "reason": "y", "changes": {"notes": "z"}},
        )
    assert not Amendment.objects.exists()


def test_a_draft_is_edited_not_amended(ready):
    with pytest.raises(ValidationError) as refused:
        actions.amend_session(ready.membership, ready.start(), {"kind": "addendum", "text": "x"})
    assert refused.value.message_dict == {
        "status": ["only a signed session is amended: edit the draft"]
    }


def _correct_areas(ready, session, value):
    return actions.amend_session(
        ready.membership,
        session,
        {
            "kind": "correction",
            "text": "Areas",
            "reason": "charted the wrong side",
            "changes": {"areas": value},
        },
    )


@pytest.mark.parametrize("value", ["", " , ", 7, [3], {"jowls": True}])
def test_a_correction_of_the_areas_names_at_least_one_area(ready, value):
    session = ready.signed()
    with pytest.raises(ValidationError) as refused:
        _correct_areas(ready, session, value)
    assert list(refused.value.message_dict) == ["changes.areas"]  # as ``changes.depth_mm``
    assert not Amendment.objects.exists()


def test_areas_corrected_as_a_line_are_kept_as_names(ready):
    session = ready.signed()
    amendment = _correct_areas(ready, session, "jowls, submental, jowls")
    assert amendment.changes["areas"] == {"from": ["submental"], "to": ["jowls", "submental"]}
