"""API authentication: a per-user bearer token, or the browser's verified session."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Q
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from mesochart.accounts.actor import Actor
from mesochart.accounts.models import ApiToken, Membership
from mesochart.accounts.roles import TWO_FACTOR_ROLES

log = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer mc_…``: the token acts for its user at its clinic, in the
    role the user holds there now (read at every request, never stored on the token)."""

    def authenticate(self, request, token: str):
        found = (
            ApiToken.objects.select_related("user", "clinic")
            .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True)
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        now = timezone.now()
        if found.ends_at <= now:
            raise HttpError(401, "token: has expired; issue a new one")
        membership = (
            Membership.objects.active()
            .select_related("clinic", "user")
            .filter(user=found.user, clinic=found.clinic)
            .first()
        )
        if membership is None:
            return None
        if membership.role in TWO_FACTOR_ROLES and not found.second_factor:
            raise HttpError(
                401, "token: your role needs a second factor; issue a new token with your code"
            )
        _touch(found, now)
        request.user = found.user
        request.membership = membership
        request.clinic = membership.clinic
        request.actor = Actor.of(request)
        return found


def _touch(token: ApiToken, now) -> None:
    """Record the token's last use at most once a minute: a read-only call then almost
    never writes, and one that cannot write (a full disk) still answers."""
    since = now - timedelta(seconds=settings.API_TOKEN_TOUCH_SECONDS)
    if token.last_used_at is not None and token.last_used_at > since:
        return
    try:
        ApiToken.objects.filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=since), pk=token.pk
        ).update(last_used_at=now)
    except DatabaseError:
        log.warning("could not record the last use of API token %s", token.prefix)


class VerifiedSessionAuth(SessionAuth):
    """The page's own session (for the chart editor's calls), second factor included."""

    def __call__(self, request):
        # A request that sent a token (refused above) or has no session is not the page's
        # script: it gets 401 for its credentials, never a CSRF failure.
        if "Authorization" in request.headers or self.param_name not in request.COOKIES:
            return None
        return super().__call__(request)

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None or getattr(request, "membership", None) is None:
            return None
        if request.session.get("needs_2fa", True) and not user.is_verified():
            return None
        return user
