"""Personal API tokens: shown once, stored as a digest, refused once revoked or disabled."""

import hashlib

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mesochart.accounts.models import ApiToken, Membership
from mesochart.audit.models import AuditEvent

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


@pytest.fixture
def practitioner(practice, client_for):
    browser = client_for(practice.practitioner)
    browser.device = TOTPDevice.objects.create(
        user=practice.practitioner, name="Phone", confirmed=True
    )
    return browser


def _issue(browser, name="stock sync") -> tuple[ApiToken, str]:
    device = getattr(browser, "device", None)
    code = f"{totp(device.bin_key):06d}" if device else ""
    page = browser.post("/accounts/tokens/", {"name": name, "code": code})
    assert page.status_code == 200
    raw = page.context["raw"]
    assert raw.startswith("mc_")
    assert raw in page.text
    return ApiToken.objects.get(name=name), raw


def _api(raw):
    return Client().get("/api/v1/patients", headers={"Authorization": f"Bearer {raw}"})


def test_a_new_token_is_shown_once_and_only_its_sha256_is_stored(practice, practitioner):
    token, raw = _issue(practitioner)

    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(raw in str(value) for value in stored.values())
    assert not any(raw in str(event.detail) for event in AuditEvent.objects.all())
    later = practitioner.get("/accounts/tokens/")
    assert "stock sync" in later.text
    assert token.prefix in later.text
    assert raw not in later.text


def test_a_bearer_token_reads_the_clinics_patients(practice, practitioner):
    token, raw = _issue(practitioner)

    response = _api(raw)

    assert response.status_code == 200
    assert [p["family_name"] for p in response.json()] == ["Lopez"]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_is_refused(practice, practitioner):
    token, raw = _issue(practitioner)

    practitioner.post("/accounts/tokens/", {"revoke": token.pk})

    assert _api(raw).status_code == 401
    assert "stock sync" not in practitioner.get("/accounts/tokens/").text


def test_nobody_can_revoke_someone_elses_token(practice, practitioner, client_for):
    token, raw = _issue(practitioner)

    client_for(practice.nurse).post("/accounts/tokens/", {"revoke": token.pk})

    assert _api(raw).status_code == 200


def test_a_revoke_that_is_not_a_number_is_not_found(practice, practitioner):
    assert practitioner.post("/accounts/tokens/", {"revoke": "all"}).status_code == 404


def test_the_token_of_a_disabled_user_is_refused(practice, practitioner):
    _, raw = _issue(practitioner)

    practice.practitioner.is_active = False
    practice.practitioner.save(update_fields=["is_active"])

    assert _api(raw).status_code == 401


def test_a_token_stops_working_when_its_clinic_membership_is_withdrawn(practice, practitioner):
    _, raw = _issue(practitioner)

    Membership.objects.filter(user=practice.practitioner, clinic=practice.clinic).update(
        active=False
    )

    assert _api(raw).status_code == 401


def test_an_unknown_token_is_refused(practice):
    assert _api("mc_not-a-real-token").status_code == 401


def test_an_api_call_without_credentials_is_refused_naming_the_rule(practice):
    response = Client().get("/api/v1/patients")

    assert response.status_code == 401
    assert response.json() == {
        "detail": "authentication required",
        "errors": [{"field": "", "rule": "authentication required"}],
    }


def test_issuing_and_revoking_a_token_are_audited(practice, client_for):
    from mesochart.accounts.models import ApiToken
    from mesochart.audit.models import AuditEvent

    client = client_for(practice.nurse)
    client.post("/accounts/tokens/", {"name": "lab import"})
    token = ApiToken.objects.get(user=practice.nurse)
    client.post("/accounts/tokens/", {"revoke": token.pk})
    details = list(
        AuditEvent.objects.filter(object_type="apitoken")
        .order_by("pk")
        .values_list("action", "detail")
    )
    assert [action for action, _ in details] == ["create", "update"]
    assert details[1][1]["revoked"] is True
