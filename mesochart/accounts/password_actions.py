"""Changing a password (with the current one) and an admin's reset (a temporary password,
changed at the next sign-in). Both validate against the policy in
``settings.AUTH_PASSWORD_VALIDATORS``, write and audit in one transaction."""

import secrets

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from mesochart.accounts.actions import _require_admin, end_sessions_of
from mesochart.accounts.actor import Actor
from mesochart.accounts.models import Membership, User
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category


def _rules(error: ValidationError) -> list[str]:
    return [message.rstrip(".") for message in error.messages]


def change_password(request, current: str, new: str, again: str) -> None:
    """The signed-in user's own change; the session stays signed in, others do not."""
    user = request.user
    errors: dict[str, list[str]] = {}
    if not user.check_password(current):
        errors["current_password"] = ["is not your current password"]
    if new != again:
        errors["new_password_again"] = ["does not match the new password"]
    elif new == current:
        errors["new_password"] = ["must differ from the current password"]
    else:
        try:
            validate_password(new, user)
        except ValidationError as error:
            errors["new_password"] = _rules(error)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user.set_password(new)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        update_session_auth_hash(request, user)
        record(
            Actor.of_account(request),
            Action.UPDATE,
            Category.AUTHENTICATION,
            obj=user,
            detail={"password": "changed"},
        )


def reset_password(actor: Actor, clinic, user: User) -> str:
    """A temporary password for ``user`` (shown once to the admin), to be changed at the
    next sign-in; every session the user holds ends."""
    _require_admin(actor, clinic)
    if not Membership.objects.filter(user=user, clinic=clinic).exists():
        raise PermissionDenied(_("That user does not work at this clinic."))
    if user == actor.user:
        raise ValidationError({"password": [_("change your own password on your account page")]})
    temporary = secrets.token_urlsafe(12)
    with transaction.atomic():
        user.set_password(temporary)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        ended = end_sessions_of(user)
        record(
            actor,
            Action.PRIVILEGE_CHANGE,
            Category.STAFF,
            clinic=clinic,
            obj=user,
            detail={"user": user.username, "password": "reset", "sessions_ended": ended},
        )
    return temporary
