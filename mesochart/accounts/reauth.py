"""Proving again who you are before an act that cannot be undone (signing a record,
leaving the tablet's patient mode): the password, or the current authenticator code.

`reauthenticate` checks the secret and returns a `Reauthentication`, the proof an action
asks for; it is good for ``REAUTH_WINDOW_SECONDS`` (default 5 minutes), so a practitioner
signing three sessions in a row types it once. A wrong secret counts towards the account's
lockout like a failed sign-in and is audited.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user

from mesochart.accounts.actions import _count_failure
from mesochart.accounts.actor import Actor
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category, Outcome

FIELD = "reauthentication"
WRONG = "is not your password or the current code of your authenticator"
STALE = "has expired: enter your password or authenticator code again"
SESSION_KEY = "reauthenticated"


@dataclass(frozen=True)
class Reauthentication:
    user_id: int
    at: datetime
    method: str  # "password" or "totp"

    def holds_for(self, user, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        window = timedelta(seconds=settings.REAUTH_WINDOW_SECONDS)
        return self.user_id == user.pk and timedelta(0) <= now - self.at <= window


def _totp_matches(user, code: str) -> bool:
    return any(device.verify_token(code) for device in devices_for_user(user, confirmed=True))


def reauthenticate(actor: Actor, secret: str, *, purpose: str) -> Reauthentication:
    """The proof that the actor's user typed their password or current TOTP code just now;
    ValidationError ``reauthentication: …`` otherwise (counted and audited)."""
    user = actor.user
    secret = (secret or "").strip()
    now = timezone.now()
    if user.is_locked(now):
        raise ValidationError({FIELD: [_("this account is locked after repeated failures")]})
    if secret.isdigit() and len(secret) == 6 and _totp_matches(user, secret):
        return Reauthentication(user.pk, now, "totp")
    if secret and user.check_password(secret):
        return Reauthentication(user.pk, now, "password")
    with transaction.atomic():
        _count_failure(user, now)
        record(
            actor,
            Action.SIGN_IN_FAILED,
            Category.AUTHENTICATION,
            outcome=Outcome.FAILURE,
            detail={"reason": "re-authentication failed", "purpose": purpose},
        )
    raise ValidationError({FIELD: [WRONG]})


def require_fresh(proof: Reauthentication | None, user) -> Reauthentication:
    """Refuse an act whose proof is missing, someone else's or older than the window; the
    proof, when it holds."""
    if proof is None:
        raise ValidationError(
            {FIELD: [_("is required: enter your password or authenticator code")]}
        )
    if not proof.holds_for(user):
        raise ValidationError({FIELD: [STALE]})
    return proof


def remember(request, proof: Reauthentication) -> None:
    request.session[SESSION_KEY] = {
        "user": proof.user_id,
        "at": proof.at.isoformat(),
        "method": proof.method,
    }


def remembered(request) -> Reauthentication | None:
    """The proof this browser session holds, if it is still within the window."""
    stored = request.session.get(SESSION_KEY)
    if not stored:
        return None
    proof = Reauthentication(stored["user"], datetime.fromisoformat(stored["at"]), stored["method"])
    return proof if proof.holds_for(request.user) else None


def from_request(request, *, purpose: str) -> Reauthentication | None:
    """The secret posted as ``reauthentication`` checked now, or, when none is posted, the
    proof remembered from a moment ago; the new proof is remembered for the window."""
    secret = request.POST.get(FIELD, "")
    if not secret.strip():
        return remembered(request)
    proof = reauthenticate(request.actor, secret, purpose=purpose)
    remember(request, proof)
    return proof
