"""Sign-in, sign-out and staff changes: each validates, writes and audits in one transaction."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy

from mesochart.accounts.actor import Actor
from mesochart.accounts.models import Credential, LoginSession, Membership, User
from mesochart.accounts.roles import TWO_FACTOR_ROLES, Role, allows
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category, Outcome


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    error: str = ""


# One answer for every refused sign-in, so that it never tells which usernames exist or
# which accounts are locked (the lockout itself is on the sign-in page's help text).
REFUSED = "The username or password is not correct, or the account is locked for a while."


def sign_in(request, username: str, password: str) -> SignInResult:
    """Check a password, applying the lockout, and start the session on success.

    The password is checked first (the hasher runs for every attempt, known user or not,
    locked or not, so timing tells nothing either); the verdict is then taken on the user's
    row locked for the rest of the transaction, where the failures are counted. Parallel
    attempts are therefore decided one after another: none is let in once earlier ones have
    locked the account, whatever its password."""
    authenticated = authenticate(request, username=username, password=password)
    now = timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        if user is not None and user.is_locked(now):
            return _refuse(request, username, Outcome.DENIED, "locked")
        if authenticated is None or user is None or authenticated.pk != user.pk:
            if user is not None:
                _count_failure(user, now)
            return _refuse(request, username, Outcome.FAILURE, "bad credentials")
        User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
        login(request, authenticated)
        request.session["started_at"] = now.isoformat()
        request.session["last_seen"] = now.isoformat()
        needs = authenticated.requires_two_factor() or _has_totp(authenticated)
        request.session["needs_2fa"] = needs
        request.session.save()
        _forget_abandoned_sessions(authenticated, now)
        LoginSession.objects.create(user=authenticated, session_key=request.session.session_key)
        record(
            Actor.of_account(request, authenticated),
            Action.SIGN_IN,
            Category.AUTHENTICATION,
            detail={"second_factor_pending": needs},
        )
    return SignInResult(authenticated)


def _refuse(request, username: str, outcome: Outcome, reason: str) -> SignInResult:
    record(
        Actor.of_account(request),
        Action.SIGN_IN_FAILED,
        Category.AUTHENTICATION,
        actor_label=username,
        outcome=outcome,
        detail={"reason": reason},
    )
    return SignInResult(None, REFUSED)


def _forget_abandoned_sessions(user: User, now) -> None:
    """A browser closed without signing out leaves its session to expire, and its
    LoginSession row behind: the user's rows of sessions expired or gone are deleted at their
    next sign-in, with those sessions, so neither table grows with every sign-in."""
    expired = Session.objects.filter(expire_date__lte=now)
    live = Session.objects.filter(expire_date__gt=now).values("session_key")
    mine = LoginSession.objects.filter(user=user)
    expired.filter(session_key__in=mine.values("session_key")).delete()
    mine.exclude(session_key__in=live).delete()


def _has_totp(user) -> bool:
    return user.totpdevice_set.filter(confirmed=True).exists()


def _count_failure(user: User, now) -> None:
    """One more failure of ``user``, whose row the caller holds locked: counted in the
    database (``F() + 1``), so sign-ins checked at the same time each count."""
    User.objects.filter(pk=user.pk).update(failed_login_count=F("failed_login_count") + 1)
    count = User.objects.filter(pk=user.pk).values_list("failed_login_count", flat=True).get()
    if count >= settings.LOGIN_FAILURE_LIMIT:
        User.objects.filter(pk=user.pk).update(
            failed_login_count=0,
            locked_until=now + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS),
        )


def sign_out(request, reason: str = "signed out") -> None:
    user = request.user
    with transaction.atomic():
        if user.is_authenticated:
            record(
                Actor.of_account(request),
                Action.SIGN_OUT,
                Category.AUTHENTICATION,
                detail={"reason": reason},
            )
            LoginSession.objects.filter(session_key=request.session.session_key).delete()
        logout(request)


def end_sessions_of(user: User) -> int:
    """Delete every session the user holds; returns how many were still open."""
    keys = list(LoginSession.objects.filter(user=user).values_list("session_key", flat=True))
    sessions = Session.objects.filter(session_key__in=keys)
    still_open = sessions.filter(expire_date__gt=timezone.now()).count()
    sessions.delete()
    LoginSession.objects.filter(user=user).delete()
    return still_open


def _require_admin(actor: Actor, clinic) -> None:
    membership = Membership.objects.active().filter(user=actor.user, clinic=clinic).first()
    if membership is None or not allows(membership.role, "staff.manage"):
        raise PermissionDenied(gettext_lazy("Only an admin of this clinic may manage its staff."))


def set_role(actor: Actor, clinic, user: User, role: str) -> Membership:
    """Give ``user`` a role at ``clinic`` (creating the membership if needed); audited.

    A promotion into a role that needs the second factor ends the user's sessions: whether
    a session needs it is decided at sign-in, so they sign in again and pass it.
    """
    _require_admin(actor, clinic)
    if role not in Role.values:
        raise ValidationError(
            {"role": gettext_lazy("must be one of %(v0)s") % {"v0": ", ".join(Role.values)}}
        )
    with transaction.atomic():
        gains_second_factor = role in TWO_FACTOR_ROLES and not user.requires_two_factor()
        membership, created = Membership.objects.get_or_create(
            user=user, clinic=clinic, defaults={"role": role}
        )
        before = None if created else membership.role
        if before == Role.ADMIN and role != Role.ADMIN:
            _refuse_last_admin(clinic, user)
        membership.role = role
        membership.active = True
        membership.save()
        ended = end_sessions_of(user) if gains_second_factor else 0
        record(
            actor,
            Action.PRIVILEGE_CHANGE,
            Category.STAFF,
            clinic=clinic,
            obj=membership,
            detail={"user": user.username, "from": before, "to": role, "sessions_ended": ended},
        )
    return membership


def _refuse_last_admin(clinic, leaving: User, field: str = "role") -> None:
    others = (
        Membership.objects.active().filter(clinic=clinic, role=Role.ADMIN).exclude(user=leaving)
    )
    if not others.exists():
        raise ValidationError(
            {
                field: gettext_lazy(
                    "a clinic must keep at least one active admin (%(name)s has no other)"
                )
                % {"name": clinic.name}
            }
        )


def set_active(actor: Actor, clinic, user: User, active: bool) -> None:
    """Enable or disable a user account; disabling ends every session they hold at once."""
    _require_admin(actor, clinic)
    if not Membership.objects.filter(user=user, clinic=clinic).exists():
        raise PermissionDenied(gettext_lazy("That user does not work at this clinic."))
    if not active and user == actor.user:
        raise ValidationError({"active": gettext_lazy("you cannot disable your own account")})
    with transaction.atomic():
        if not active:
            # The account is disabled everywhere, so every clinic it administers must keep one.
            for admin_at in Membership.objects.active().filter(user=user, role=Role.ADMIN):
                _refuse_last_admin(admin_at.clinic, user, field="active")
        User.objects.filter(pk=user.pk).update(is_active=active)
        ended = 0 if active else end_sessions_of(user)
        record(
            actor,
            Action.PRIVILEGE_CHANGE,
            Category.STAFF,
            clinic=clinic,
            obj=user,
            detail={"user": user.username, "active": active, "sessions_ended": ended},
        )


def save_credential(actor: Actor, clinic, user: User, **fields) -> Credential:
    """Record or update a practitioner's licence; this changes what they may do, so audited."""
    _require_admin(actor, clinic)
    with transaction.atomic():
        credential, _ = Credential.objects.update_or_create(user=user, defaults=fields)
        record(
            actor,
            Action.PRIVILEGE_CHANGE,
            Category.STAFF,
            clinic=clinic,
            obj=credential,
            detail={
                "user": user.username,
                "licence": fields.get("licence_number", ""),
                "expires_on": str(fields.get("expires_on", "")),
            },
        )
    return credential


def set_language(user: User, language: str) -> None:
    """The staff member's interface language ("" follows the clinic's default). A
    preference, not a privilege: not audited, like the clinic switcher."""
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": gettext_lazy("must be one of the listed languages")})
    User.objects.filter(pk=user.pk).update(language=language)
