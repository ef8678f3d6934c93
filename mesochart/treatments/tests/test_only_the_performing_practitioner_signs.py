"""Only the performing practitioner, with a licence valid on the day, signs."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mesochart.accounts.models import Credential
from mesochart.accounts.roles import Role
from mesochart.testing.sessions import proof
from mesochart.treatments import actions

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_a_nurse_cannot_sign(practice, ready):
    session = ready.drafted()
    with pytest.raises(PermissionDenied):
        actions.sign_session(ready.nurse, session, reauthentication=proof(ready.nurse))


def test_another_practitioner_cannot_sign(practice, ready):
    colleague = practice.member("colleague", practice.clinic, Role.PRACTITIONER)
    session = ready.drafted()
    with pytest.raises(ValidationError) as refused:
        actions.sign_session(
            practice.actor(colleague),
            session,
            reauthentication=proof(practice.actor(colleague)),
        )
    assert refused.value.message_dict == {
        "practitioner": ["only the performing practitioner may sign this session"]
    }


def test_an_expired_licence_blocks_signing(practice, ready):
    session = ready.drafted()
    Credential.objects.filter(user=practice.practitioner).update(expires_on=date(2026, 1, 1))
    with pytest.raises(ValidationError) as refused:
        actions.sign_session(ready.membership, session, reauthentication=proof(ready.membership))
    assert any("may not administer" in line for line in refused.value.message_dict["preflight"])
    session.refresh_from_db()
    assert session.status == "draft"
