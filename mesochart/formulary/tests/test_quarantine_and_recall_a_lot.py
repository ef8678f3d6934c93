"""A doubtful lot is set aside (quarantine) or withdrawn for good (recall): who, when and
why stay on the record, every step is audited, and only the right roles may do it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mesochart.audit.models import AuditEvent
from mesochart.formulary.actions import place_hold, release_quarantine
from mesochart.formulary.models import Lot, LotHold
from mesochart.testing.sessions import TODAY, receive

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


@pytest.fixture
def lot(practice):
    return receive(practice)


def _holds_audited(lot):
    return [
        (e.detail["hold"], e.detail["step"])
        for e in AuditEvent.objects.filter(object_id=str(lot.pk), category="formulary")
        if "hold" in e.detail
    ]


def test_a_nurse_quarantines_a_lot_and_a_practitioner_releases_it(practice, lot):
    nurse, doctor = practice.actor(practice.nurse), practice.actor(practice.practitioner)
    hold = place_hold(nurse, lot, "quarantine", {"reason": "Vial cap cracked"})
    assert (hold.placed_by, hold.reason) == (practice.nurse, "Vial cap cracked")
    assert not Lot.objects.usable(TODAY).filter(pk=lot.pk).exists()
    release_quarantine(doctor, lot, {"reason": "Supplier confirmed the seal is intact"})
    hold.refresh_from_db()
    assert hold.released_by == practice.practitioner and hold.released_at is not None
    assert Lot.objects.usable(TODAY).filter(pk=lot.pk).exists()
    assert _holds_audited(lot) == [("quarantine", "placed"), ("quarantine", "released")]


def test_a_recall_is_final(practice, lot):
    doctor = practice.actor(practice.practitioner)
    place_hold(doctor, lot, "quarantine", {"reason": "Supplier warning"})
    place_hold(doctor, lot, "recall", {"reason": "Manufacturer recall FSN-2026-04"})
    with pytest.raises(ValidationError) as refused:
        release_quarantine(doctor, lot, {"reason": "Mistake"})
    assert refused.value.messages == ["lot DCA-001 is recalled: it stays out of use"]
    with pytest.raises(ValidationError):
        place_hold(doctor, lot, "quarantine", {"reason": "Again"})
    assert [(h.kind, h.released_at is None) for h in LotHold.objects.filter(lot=lot)] == [
        ("quarantine", False),
        ("recall", True),
    ]


def test_a_hold_needs_a_reason(practice, lot):
    with pytest.raises(ValidationError) as refused:
        place_hold(practice.actor(practice.nurse), lot, "quarantine", {"reason": "  "})
    assert "reason" in refused.value.message_dict
    assert not LotHold.objects.exists() and _holds_audited(lot) == []


def test_reception_may_not_quarantine_and_a_nurse_may_not_recall(practice, lot):
    with pytest.raises(PermissionDenied):
        place_hold(practice.actor(practice.reception), lot, "quarantine", {"reason": "x"})
    with pytest.raises(PermissionDenied):
        place_hold(practice.actor(practice.nurse), lot, "recall", {"reason": "x"})
    with pytest.raises(PermissionDenied):
        release_quarantine(practice.actor(practice.nurse), lot, {"reason": "x"})


def test_the_lot_page_records_who_when_and_why(practice, lot, client_for):
    client = client_for(practice.practitioner)
    url = f"/formulary/lots/{lot.pk}/"
    response = client.post(f"{url}hold/recall/", {"reason": "Manufacturer recall FSN-2026-04"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Recalled:" in page and "Manufacturer recall FSN-2026-04" in page
    assert "cannot be administered" in page and "/sessions/recall/?lot=DCA-001" in page


def test_a_hold_without_a_reason_is_shown_on_the_form(practice, lot, client_for):
    response = client_for(practice.nurse).post(
        f"/formulary/lots/{lot.pk}/hold/quarantine/", {"reason": ""}
    )
    assert response.status_code == 200 and "This field is required" not in response.content.decode()
    assert not LotHold.objects.exists()


def test_another_clinic_and_a_too_junior_role_are_refused_on_the_pages(practice, lot, client_for):
    url = f"/formulary/lots/{lot.pk}/hold/quarantine/"
    assert client_for(practice.outsider).post(url, {"reason": "x"}).status_code == 404
    assert client_for(practice.sister_practitioner).post(url, {"reason": "x"}).status_code == 404
    assert client_for(practice.reception).post(url, {"reason": "x"}).status_code == 403
    recall = f"/formulary/lots/{lot.pk}/hold/recall/"
    assert client_for(practice.nurse).post(recall, {"reason": "x"}).status_code == 403
    release = f"/formulary/lots/{lot.pk}/release/"
    assert client_for(practice.nurse).post(release, {"reason": "x"}).status_code == 403
    assert not LotHold.objects.exists()
