"""API tokens follow the second factor, the user's role now, and a lifetime; an admin lists
and revokes the clinic's (issue 14, Medium 3): a nurse's token once kept working with
practitioner rights after promotion although she had no authenticator."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mesochart.accounts import actions
from mesochart.accounts.models import ApiToken, Membership
from mesochart.accounts.roles import Role
from mesochart.audit.models import AuditEvent

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


def _phone(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def _code(device) -> str:
    return f"{totp(device.bin_key):06d}"


def _api(raw, method="get", path="/api/v1/patients"):
    return getattr(Client(), method)(path, headers={"Authorization": f"Bearer {raw}"})


def _issue_on_the_page(client_for, user, **post):
    page = client_for(user).post("/accounts/tokens/", {"name": "lab import", **post})
    return page, (page.context["raw"] if page.status_code == 200 else None)


def test_a_practitioner_without_an_authenticator_gets_no_token(practice, client_for):
    page, raw = _issue_on_the_page(client_for, practice.practitioner)

    assert page.status_code == 422
    assert "your role needs an authenticator: enrol one first" in page.text
    assert raw is None
    assert not ApiToken.objects.filter(user=practice.practitioner).exists()


def test_a_wrong_code_gets_no_token(practice, client_for):
    device = _phone(practice.practitioner)
    wrong = f"{(int(_code(device)) + 500_000) % 1_000_000:06d}"

    refused, _ = _issue_on_the_page(client_for, practice.practitioner, code=wrong)

    assert refused.status_code == 422
    assert "is not a current code of your authenticator" in refused.text
    assert not ApiToken.objects.filter(user=practice.practitioner).exists()


def test_a_practitioner_gives_a_current_code_to_get_a_token(practice, client_for):
    device = _phone(practice.practitioner)

    page, raw = _issue_on_the_page(client_for, practice.practitioner, code=_code(device))

    assert page.status_code == 200
    assert ApiToken.objects.get(user=practice.practitioner).second_factor is True
    assert _api(raw).status_code == 200


def test_a_nurses_token_stops_at_her_promotion_until_she_issues_one_with_a_code(
    practice, client_for
):
    _, raw = _issue_on_the_page(client_for, practice.nurse)
    assert _api(raw).status_code == 200

    actions.set_role(
        practice.actor(practice.admin), practice.clinic, practice.nurse, Role.PRACTITIONER
    )
    refused = _api(raw)

    assert refused.status_code == 401
    assert refused.json()["detail"] == (
        "token: your role needs a second factor; issue a new token with your code"
    )


def test_a_token_acts_in_the_role_its_user_holds_now(practice, client_for):
    _, raw = _issue_on_the_page(client_for, practice.nurse)
    assert _api(raw).status_code == 200

    Membership.objects.filter(user=practice.nurse, clinic=practice.clinic).update(
        role=Role.RECEPTION
    )
    clinical = f"/api/v1/patients/{practice.patient.pk}/adverse-events"

    assert _api(raw, path=clinical).status_code == 403


def test_a_token_expires_after_its_lifetime(practice, client_for, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 30
    _, raw = _issue_on_the_page(client_for, practice.nurse)
    token = ApiToken.objects.get(user=practice.nurse)
    assert token.expires_at - token.created_at == timedelta(days=30)

    with time_machine.travel(timezone.now() + timedelta(days=30, seconds=1)):
        refused = _api(raw)

    assert refused.status_code == 401
    assert refused.json()["detail"] == "token: has expired; issue a new one"


def test_last_use_is_written_at_most_once_a_minute(practice, client_for):
    _, raw = _issue_on_the_page(client_for, practice.nurse)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _api(raw)
    first = ApiToken.objects.get(user=practice.nurse).last_used_at

    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        _api(raw)
    assert ApiToken.objects.get(user=practice.nurse).last_used_at == first

    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        _api(raw)
    assert ApiToken.objects.get(user=practice.nurse).last_used_at > first


def test_an_admin_lists_and_revokes_the_clinics_tokens_on_the_page(practice, client_for):
    _, raw = _issue_on_the_page(client_for, practice.nurse)
    token = ApiToken.objects.get(user=practice.nurse)
    admin = client_for(practice.admin)

    page = admin.get("/accounts/tokens/clinic/")
    assert page.status_code == 200
    assert "nurse-user" in page.text
    assert token.prefix in page.text

    admin.post("/accounts/tokens/clinic/", {"revoke": token.pk})

    assert _api(raw).status_code == 401
    token.refresh_from_db()
    assert token.revoked_by == practice.admin
    event = AuditEvent.objects.filter(object_type="apitoken", action="update").get()
    assert event.actor_id == practice.admin.pk
    assert event.detail["user"] == "nurse-user"


def test_an_admin_lists_and_revokes_the_clinics_tokens_through_the_api(practice, client_for):
    _, nurse_raw = _issue_on_the_page(client_for, practice.nurse)
    _, admin_raw = ApiToken.issue(practice.admin, practice.clinic, "admin", second_factor=True)

    listed = _api(admin_raw, path="/api/v1/tokens").json()
    assert {t["user"] for t in listed} == {"nurse-user", "admin-user"}
    nurse_token = next(t for t in listed if t["user"] == "nurse-user")
    assert nurse_token["second_factor"] is False

    revoked = _api(admin_raw, "delete", f"/api/v1/tokens/{nurse_token['id']}")

    assert revoked.status_code == 204
    assert _api(nurse_raw).status_code == 401


@pytest.mark.parametrize("who", ["nurse", "practitioner", "outsider", "sister_practitioner"])
def test_only_an_admin_of_the_clinic_sees_or_revokes_its_tokens(practice, client_for, who):
    _, nurse_raw = _issue_on_the_page(client_for, practice.nurse)
    token = ApiToken.objects.get(user=practice.nurse)
    user = getattr(practice, who)
    membership = Membership.objects.filter(user=user).first()
    _, raw = ApiToken.issue(user, membership.clinic, "mine", second_factor=True)

    assert client_for(user).get("/accounts/tokens/clinic/").status_code == 403
    assert _api(raw, path="/api/v1/tokens").status_code == 403
    assert _api(raw, "delete", f"/api/v1/tokens/{token.pk}").status_code in (403, 404)
    assert client_for(user).post("/accounts/tokens/clinic/", {"revoke": token.pk}).status_code in (
        403,
        404,
    )
    assert _api(nurse_raw).status_code == 200


def test_another_clinics_admin_cannot_revoke_this_clinics_token(practice, client_for):
    _, nurse_raw = _issue_on_the_page(client_for, practice.nurse)
    token = ApiToken.objects.get(user=practice.nurse)
    other_admin = practice.member("other-admin", practice.other_clinic, Role.ADMIN)
    _, raw = ApiToken.issue(other_admin, practice.other_clinic, "x", second_factor=True)

    assert _api(raw, "delete", f"/api/v1/tokens/{token.pk}").status_code == 404
    assert _api(nurse_raw).status_code == 200
