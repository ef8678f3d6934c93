"""API authentication: a per-user bearer token, or the browser's verified session."""

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from mesochart.accounts.models import ApiToken, Membership


class TokenAuth(HttpBearer):
    """``Authorization: Bearer mc_…``: the token acts for its user at its clinic."""

    def authenticate(self, request, token: str):
        found = (
            ApiToken.objects.select_related("user", "clinic")
            .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True)
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        membership = (
            Membership.objects.active()
            .select_related("clinic", "user")
            .filter(user=found.user, clinic=found.clinic)
            .first()
        )
        if membership is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        request.membership = membership
        request.clinic = membership.clinic
        return found


class VerifiedSessionAuth(SessionAuth):
    """The page's own session (for the chart editor's calls), second factor included."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None or getattr(request, "membership", None) is None:
            return None
        if request.session.get("needs_2fa", True) and not user.is_verified():
            return None
        return user
