"""The pre-flight checklist: readiness, lots and the dose engine with the patient's real
signed history, as one list; blocking items block; relative items need a reason."""

from zoneinfo import ZoneInfo

import pytest
import shapely
from django.core.exceptions import ValidationError
from django.utils import timezone

from mesochart.consent.models import Consent
from mesochart.planning.areas import get_view
from mesochart.testing.sessions import proof
from mesochart.treatments import actions
from mesochart.treatments.preflight import BLOCK, RELATIVE

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


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
            ready.membership,
            actions.save_draft(ready.membership, ready.start(), {}),
            reauthentication=proof(ready.membership),
        )
    assert any("consent" in line.lower() for line in refused.value.message_dict["preflight"])


def test_the_real_history_is_given_to_the_dose_engine(ready):
    signed = ready.signed()
    checklist = actions.checklist(ready.drafted())
    (interval,) = [item for item in checklist if "interval" in item.key]
    assert (interval.ok, interval.kind) == (False, BLOCK)
    zone = ZoneInfo(signed.clinic.time_zone)
    day = timezone.localtime(signed.started_at, zone).date().isoformat()
    assert f"since the last session with this product on {day}" in interval.message


def test_history_ignores_drafts(ready):
    ready.drafted()
    checklist = actions.checklist(ready.drafted())
    assert not [item for item in checklist if "interval" in item.key]
    (dose,) = [item for item in checklist if item.key == "dose"]
    assert dose.ok and "0 earlier signed session(s) considered" in dose.message


def _deeper(ready, depth_mm):
    session = ready.drafted()
    regions = [dict(region, depth_mm=depth_mm) for region in session.regions]
    return actions.save_draft(ready.membership, session, {"regions": regions})


def test_a_relative_finding_needs_a_written_reason_to_sign(ready):
    session = _deeper(ready, 12)
    (deep,) = [item for item in actions.checklist(session) if not item.ok]
    assert (deep.key, deep.kind) == ("dose.max_depth_mm..", "relative")
    with pytest.raises(ValidationError) as refused:
        actions.sign_session(ready.membership, session, reauthentication=proof(ready.membership))
    assert refused.value.message_dict["preflight"] == [
        "acknowledge with a reason: This plan: injection depth 12 mm; "
        "the paper allows at most 4 mm."
    ]
    reason = "Thick submental fat measured on ultrasound"
    signed = actions.sign_session(
        ready.membership,
        session,
        acknowledgements={deep.key: reason},
        reauthentication=proof(ready.membership),
    )
    assert signed.status == "signed"
    assert signed.acknowledgements == {deep.key: reason}


def test_a_blank_reason_is_no_acknowledgement(ready):
    session = _deeper(ready, 12)
    with pytest.raises(ValidationError):
        actions.sign_session(
            ready.membership,
            session,
            acknowledgements={"dose.max_depth_mm..": " "},
            reauthentication=proof(ready.membership),
        )


def test_two_points_on_one_spot_block_the_session_rather_than_break_the_page(ready):
    session = ready.drafted()
    region = session.regions[0]
    doubled = dict(region, points=[*region["points"], list(region["points"][0])])
    session = actions.save_draft(ready.membership, session, {"regions": [doubled]})
    (dose,) = _item(actions.checklist(session), "dose")
    assert (dose.ok, dose.kind) == (False, BLOCK)
    assert dose.message.startswith("points: two points are at the same place")


def _with_point(ready, session, xy):
    region = session.regions[0]
    moved = dict(region, points=[*region["points"], list(xy)])
    return actions.save_draft(ready.membership, session, {"regions": [moved]})


def test_a_point_moved_into_the_mandible_band_blocks_signing(ready):
    """The label keeps the marginal mandibular nerve's band free; a session point dragged
    there is judged where it now lies, on the plan's measured region."""
    measured = get_view("neck-submental").region("submental").region(16.0, 12.0, None)
    in_band = shapely.Polygon(measured.exclusions_cm[0]).representative_point()
    session = _with_point(ready, ready.drafted(), (in_band.x, in_band.y))
    (band,) = _item(actions.checklist(session), "placement.exclusion_zone")
    assert (band.ok, band.kind) == (False, BLOCK)
    assert band.key == "placement.exclusion_zone.neck-submental.submental"
    assert "1 point(s) of Submental area lie in the" in band.message


def test_a_point_outside_the_measured_region_needs_a_reason(ready):
    session = _with_point(ready, ready.drafted(), (40.0, 40.0))
    checklist = actions.checklist(session)
    (outside,) = _item(checklist, "placement.outside_region")
    assert (outside.ok, outside.kind) == (False, RELATIVE)
    acknowledged = actions.save_draft(
        ready.membership, session, {"acknowledgements": {outside.key: "Injected at the jowl"}}
    )
    (outside,) = _item(actions.checklist(acknowledged), "placement.outside_region")
    assert outside.ok and outside.acknowledged == "Injected at the jowl"
