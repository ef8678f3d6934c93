"""Signing is not one click: the practitioner sees what is signed (points, volumes, lots)
and proves who they are again (password or the authenticator's current code), valid for a
short window. The API asks for the password too."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mesochart.accounts.reauth import Reauthentication, reauthenticate
from mesochart.audit.models import AuditEvent
from mesochart.testing.plans import ApiCaller
from mesochart.testing.sessions import PASSWORD
from mesochart.treatments import actions
from mesochart.treatments.models import TreatmentSession

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

WRONG = (
    "Your password or authenticator code: "
    "is not your password or the current code of your authenticator"
)


def test_the_action_refuses_without_a_fresh_proof_of_the_signer(practice, ready):
    session = ready.drafted()
    with pytest.raises(ValidationError) as refused:
        actions.sign_session(ready.membership, session, reauthentication=None)
    assert "reauthentication" in refused.value.message_dict
    old = Reauthentication(
        practice.practitioner.pk, timezone.now() - timedelta(minutes=6), "password"
    )
    with pytest.raises(ValidationError) as stale:
        actions.sign_session(ready.membership, session, reauthentication=old)
    assert stale.value.message_dict["reauthentication"] == [
        "has expired: enter your password or authenticator code again"
    ]
    someone_else = reauthenticate(practice.actor(practice.admin), PASSWORD, purpose="signing")
    with pytest.raises(ValidationError):
        actions.sign_session(ready.membership, session, reauthentication=someone_else)
    assert TreatmentSession.objects.get(pk=session.pk).status == "draft"


def test_the_confirmation_shows_points_volumes_and_lots(practice, ready, client_for):
    session = ready.drafted()
    page = client_for(practice.practitioner).get(f"/sessions/{session.pk}/sign/").content.decode()
    assert "What you are signing" in page
    assert "Points administered: 20, 4 mL" in page
    assert "<td>Submental area</td><td>20</td><td>4 mL</td><td>4 mm</td>" in page
    assert "<td>DCA-001</td><td>31 Jan 2027</td><td>4 mL</td><td>0 mL</td><td>4 mL</td>" in page
    assert TreatmentSession.objects.get(pk=session.pk).status == "draft"


def test_a_wrong_password_signs_nothing_and_is_audited(practice, ready, client_for):
    session = ready.drafted()
    client = client_for(practice.practitioner)
    url = f"/sessions/{session.pk}/sign/"
    refused = client.post(url, {"confirm": "1", "reauthentication": "not-my-password"})
    assert refused.status_code == 422 and WRONG in refused.content.decode()
    assert TreatmentSession.objects.get(pk=session.pk).status == "draft"
    assert AuditEvent.objects.filter(
        action="sign_in_failed", actor_id=practice.practitioner.pk
    ).exists()
    practice.practitioner.refresh_from_db()
    assert practice.practitioner.failed_login_count == 1


def test_the_password_signs_and_is_remembered_for_a_short_window(practice, ready, client_for):
    client = client_for(practice.practitioner)
    first = ready.drafted()
    signed = client.post(
        f"/sessions/{first.pk}/sign/", {"confirm": "1", "reauthentication": PASSWORD}
    )
    assert signed.status_code == 302
    # A second session the same day: the password is not asked again (the label's interval
    # between sessions is what refuses it, unless signed as a deviation with a written
    # justification), until the window has passed.
    second = ready.drafted()
    page = client.get(f"/sessions/{second.pk}/sign/").content.decode()
    assert "You confirmed who you are a moment ago" in page
    soon = client.post(f"/sessions/{second.pk}/sign/", {"confirm": "1"}).content.decode()
    assert "Justification of the deviation: is required" in soon
    assert "Your password or authenticator code:" not in soon
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        late = client.post(f"/sessions/{second.pk}/sign/", {"confirm": "1"})
    assert late.status_code == 422
    assert "Your password or authenticator code: is required" in late.content.decode()
    assert [s.status for s in TreatmentSession.objects.order_by("pk")] == ["signed", "draft"]


def test_the_authenticators_code_signs_too(practice, ready, client_for):
    device = TOTPDevice.objects.create(user=practice.practitioner, name="phone", confirmed=True)
    session = ready.drafted()
    code = f"{totp(device.bin_key):06d}"
    response = client_for(practice.practitioner).post(
        f"/sessions/{session.pk}/sign/", {"confirm": "1", "reauthentication": code}
    )
    assert response.status_code == 302
    signature = AuditEvent.objects.filter(detail__reauthenticated="totp")
    assert signature.count() == 1


def test_the_api_needs_the_password_to_sign(practice, ready):
    session = ready.drafted()
    api = ApiCaller(practice.practitioner)
    missing = api.post(f"/sessions/{session.pk}/sign", {})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "password"
    wrong = api.post(f"/sessions/{session.pk}/sign", {"password": "guess"})
    assert wrong.status_code == 422
    assert wrong.json()["detail"].startswith("reauthentication: ")
    assert TreatmentSession.objects.get(pk=session.pk).status == "draft"
    assert api.post(f"/sessions/{session.pk}/sign", {"password": PASSWORD}).status_code == 200
    assert TreatmentSession.objects.get(pk=session.pk).status == "signed"
