"""The pre-flight checklist: readiness, lots and the dose engine with the patient's real
signed history, as one list; blocking items block; relative items need a reason."""

import pytest
from django.core.exceptions import ValidationError

from mesochart.consent.models import Consent
from mesochart.treatments import actions
from mesochart.treatments.preflight import BLOCK


def _item(checklist, prefix):
    return [item for item in checklist if item.key.startswith(prefix)]


def test_a_ready_patient_with_a_lot_in_stock_passes_every_item(ready):
    checklist = actions.checklist(ready.drafted())
    assert checklist.ready, checklist.problems()
    keys = [item.key for item in checklist]
    assert keys[:2] == ["plan", "readiness.screening"]
    assert f"lot.{ready.lot.pk}" in keys
    assert "dose" in keys


def test_a_session_without_a_lot_is_blocked(ready):
    checklist = actions.checklist(ready.start())
    (lots,) = _item(checklist, "lots")
    assert (lots.ok, lots.kind) == (False, BLOCK)
    assert any("no lot recorded" in item.message for item in _item(checklist, "trace."))


def test_without_consent_the_session_is_blocked(ready):
    Consent.objects.all().delete()
    checklist = actions.checklist(ready.drafted())
    (consent,) = _item(checklist, "readiness.consent")
    assert not consent.ok
    with pytest.raises(ValidationError) as refused:
        actions.sign_session(
            ready.membership, actions.save_draft(ready.membership, ready.start(), {})
        )
    assert any("consent" in line.lower() for line in refused.value.message_dict["preflight"])


def test_the_real_history_is_given_to_the_dose_engine(ready):
    ready.signed()
    checklist = actions.checklist(ready.drafted())
    interval = [item for item in checklist if "interval" in item.key]
    assert interval, [item.key for item in checklist]
    assert not interval[0].ok
    dose = [item for item in checklist if item.key == "dose"]
    assert not dose or "1 earlier signed session" in dose[0].message


def test_history_ignores_drafts(ready):
    ready.drafted()
    checklist = actions.checklist(ready.drafted())
    assert not [item for item in checklist if "interval" in item.key and not item.ok]


def _deeper(ready, depth_mm):
    session = ready.drafted()
    regions = [dict(region, depth_mm=depth_mm) for region in session.regions]
    return actions.save_draft(ready.membership, session, {"regions": regions})


def test_a_relative_finding_needs_a_written_reason_to_sign(ready):
    session = _deeper(ready, 12)
    (deep,) = [item for item in actions.checklist(session) if not item.ok]
    assert (deep.key, deep.kind) == ("dose.max_depth_mm..", "relative")
    with pytest.raises(ValidationError) as refused:
        actions.sign_session(ready.membership, session)
    assert refused.value.message_dict["preflight"] == [
        "acknowledge with a reason: This plan: injection depth 12 mm; "
        "the paper allows at most 4 mm."
    ]
    reason = "Thick submental fat measured on ultrasound"
    signed = actions.sign_session(ready.membership, session, acknowledgements={deep.key: reason})
    assert signed.status == "signed"
    assert signed.acknowledgements == {deep.key: reason}


def test_a_blank_reason_is_no_acknowledgement(ready):
    session = _deeper(ready, 12)
    with pytest.raises(ValidationError):
        actions.sign_session(
            ready.membership, session, acknowledgements={"dose.max_depth_mm..": " "}
        )


def test_two_points_on_one_spot_block_the_session_rather_than_break_the_page(ready):
    session = ready.drafted()
    region = session.regions[0]
    doubled = dict(region, points=[*region["points"], list(region["points"][0])])
    session = actions.save_draft(ready.membership, session, {"regions": [doubled]})
    (dose,) = _item(actions.checklist(session), "dose")
    assert (dose.ok, dose.kind) == (False, BLOCK)
    assert dose.message.startswith("points: two points are at the same place")
