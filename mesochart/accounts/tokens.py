"""API tokens: issued with the second factor when the role needs one, listed and revoked by
their user or by an admin of their clinic; each change audited in its transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesochart.accounts.actor import Actor
from mesochart.accounts.models import ApiToken, Membership
from mesochart.accounts.roles import TWO_FACTOR_ROLES, allows
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category


def _second_factor(user, role, code: str) -> bool:
    """Whether ``code`` is a current code of the user's confirmed authenticator; refused
    (naming ``code``) when the role needs one and it is missing or wrong."""
    needed = role in TWO_FACTOR_ROLES
    device = user.totpdevice_set.filter(confirmed=True).first()
    if device is None:
        if needed:
            raise ValidationError(
                {"code": [_("your role needs an authenticator: enrol one first")]}
            )
        return False
    if not code:
        if needed:
            raise ValidationError({"code": [_("is required: your role needs a second factor")]})
        return False
    if not device.verify_token(code.strip()):
        raise ValidationError({"code": [_("is not a current code of your authenticator")]})
    return True


def issue_token(actor: Actor, clinic, name: str, code: str = "") -> tuple[ApiToken, str]:
    """A new API token for the actor's user at this clinic; the raw value is returned once. A
    role that needs a second factor gives a current TOTP ``code``; the token records it."""
    user = actor.user
    membership = Membership.objects.active().filter(user=user, clinic=clinic).first()
    if membership is None:
        raise PermissionDenied(_("You are not a member of this clinic."))
    confirmed = _second_factor(user, membership.role, code)
    with transaction.atomic():
        token, raw = ApiToken.issue(user, clinic, name, second_factor=confirmed)
        record(
            actor,
            Action.CREATE,
            Category.AUTHENTICATION,
            clinic=clinic,
            obj=token,
            detail={
                "token": token.prefix,
                "name": name,
                "second_factor": confirmed,
                "expires_at": token.expires_at.isoformat() if token.expires_at else None,
            },
        )
    return token, raw


def tokens_of_clinic(membership):
    """The clinic's active tokens, every user's, for its admin."""
    if not allows(membership.role, "staff.manage"):
        raise PermissionDenied(_("Only an admin of this clinic may see its API tokens."))
    return (
        ApiToken.objects.filter(clinic=membership.clinic, revoked_at__isnull=True)
        .select_related("user")
        .order_by("user__username", "created_at", "pk")
    )


def revoke_token(actor: Actor, token_id: int) -> None:
    """The user revokes one of their own tokens (someone else's is ignored)."""
    _revoke(actor, ApiToken.objects.filter(user=actor.user), token_id)


def revoke_clinic_token(actor: Actor, token_id: int) -> ApiToken:
    """An admin revokes any token of their clinic; another clinic's is not found."""
    if not allows(actor.role, "staff.manage"):
        raise PermissionDenied(_("Only an admin of this clinic may revoke its API tokens."))
    token = _revoke(actor, ApiToken.objects.filter(clinic=actor.clinic), token_id)
    if token is None:
        from django.http import Http404

        raise Http404("no such token")
    return token


def _revoke(actor: Actor, tokens, token_id: int) -> ApiToken | None:
    with transaction.atomic():
        token = (
            tokens.select_for_update()
            .filter(pk=token_id, revoked_at__isnull=True)
            .select_related("user")
            .first()
        )
        if token is None:
            return None
        token.revoked_at = timezone.now()
        token.revoked_by = actor.user
        token.save(update_fields=["revoked_at", "revoked_by"])
        record(
            actor,
            Action.UPDATE,
            Category.AUTHENTICATION,
            clinic=token.clinic,
            obj=token,
            detail={"token": token.prefix, "user": token.user.username, "revoked": True},
        )
        return token
