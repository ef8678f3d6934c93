"""The record says what really happened: a session whose administered points differ from the
plan (more volume, a limit exceeded) is signed as a deviation with a written justification;
the absolute blocks (consent, contraindications, lots) are never signed past."""

import pytest
from django.core.exceptions import ValidationError

from mesochart.consent.models import Consent
from mesochart.testing.sessions import proof, submental
from mesochart.treatments import actions
from mesochart.treatments.models import SessionStatus

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

WHY = "Patient asked for more on the left; 0.3 mL per point given, explained and agreed."


def over_the_label(ready):
    """20 points of 0.3 mL: past the label's 0.2 mL per injection."""
    regions = submental(20)
    for region in regions:
        region["volume_ml"] = 0.3
    session = ready.start()
    rows = [{"lot": ready.lot.pk, "volume_drawn_ml": "6", "volume_wasted_ml": "0"}]
    return actions.save_draft(ready.membership, session, {"regions": regions, "products": rows})


def sign(ready, session, deviation=None):
    return actions.sign_session(
        ready.membership, session, reauthentication=proof(ready.membership), deviation=deviation
    )


def test_a_limit_exceeded_blocks_signing_without_a_deviation(ready):
    session = over_the_label(ready)
    checklist = actions.checklist(session)
    assert any(i.key.startswith("dose.") for i in checklist.blocking), checklist.problems()
    with pytest.raises(ValidationError) as refused:
        sign(ready, session)
    assert "deviation" in refused.value.message_dict
    assert refused.value.message_dict["preflight"]


@pytest.mark.parametrize("text", ["", "   ", "more volume"])
def test_a_deviation_needs_a_written_justification(ready, text):
    session = over_the_label(ready)
    with pytest.raises(ValidationError) as refused:
        sign(ready, session, deviation=text)
    (rule,) = refused.value.message_dict["deviation"]
    assert "at least 20 characters" in rule
    session.refresh_from_db()
    assert session.status == SessionStatus.DRAFT


def test_a_deviation_is_signed_and_flagged_on_the_record(ready):
    session = sign(ready, over_the_label(ready), deviation=WHY)
    session.refresh_from_db()
    assert session.status == SessionStatus.SIGNED
    assert session.is_deviation
    assert session.deviation_justification == WHY
    assert any("0.2" in line or "injection" in line for line in session.deviation_findings)


def test_the_deviation_is_part_of_what_is_signed(ready):
    from mesochart.treatments.content import content_hash

    session = sign(ready, over_the_label(ready), deviation=WHY)
    products = list(session.products.all())
    session.deviation_justification = "edited afterwards by someone else entirely"
    assert content_hash(session, products) != session.content_hash


def test_a_session_as_planned_is_not_a_deviation(ready):
    session = ready.signed()
    assert not session.is_deviation
    assert session.deviation_findings == []


def test_a_justification_for_a_session_as_planned_is_refused(ready):
    with pytest.raises(ValidationError) as refused:
        sign(ready, ready.drafted(), deviation=WHY)
    assert "nothing differs" in refused.value.message_dict["deviation"][0]


def test_missing_consent_is_never_signed_as_a_deviation(ready):
    Consent.objects.all().delete()
    with pytest.raises(ValidationError) as refused:
        sign(ready, over_the_label(ready), deviation=WHY)
    errors = refused.value.message_dict
    assert "cannot be signed as a deviation" in errors["deviation"][0]
    assert any("consent" in line.lower() for line in errors["preflight"])


def test_an_expired_lot_is_never_signed_as_a_deviation(ready):
    from datetime import date

    from mesochart.testing.sessions import receive

    old = receive(ready.practice, lot_number="OLD-1", expires_on=date(2026, 3, 1))
    session = ready.drafted(lot=old)
    with pytest.raises(ValidationError) as refused:
        sign(ready, session, deviation=WHY)
    assert "cannot be signed as a deviation" in refused.value.message_dict["deviation"][0]


def test_a_nurse_cannot_sign_a_deviation(ready):
    from django.core.exceptions import PermissionDenied

    session = over_the_label(ready)
    with pytest.raises(PermissionDenied):
        actions.sign_session(
            ready.nurse, session, reauthentication=proof(ready.nurse), deviation=WHY
        )
