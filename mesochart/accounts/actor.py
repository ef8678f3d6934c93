"""Who acts: the one object an action is given in place of the HTTP request.

An action needs to know the member of staff (the user, and their membership at the clinic
whose rules and rows apply) and, for the audit log and a signed consent, where the act came
from (the client's address and its user agent). Views and API operations pass
``request.actor``, set once per request by `accounts.middleware` (pages) and
`accounts.api_auth` (tokens); the console, the demo, the worker and the tests build one
with `Actor.at` and have no address to give.

An actor reads like the membership it wraps (``clinic``, ``role``, ``user``), so the
access checks take either.
"""

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mesochart.accounts.models import Clinic, Membership, User

# The longest user agent kept (a signed consent's device line, the audit row's client).
MAX_USER_AGENT = 500


@dataclass(frozen=True)
class Actor:
    user: "User"
    membership: "Membership | None"
    ip: str | None = None
    user_agent: str = ""

    @classmethod
    def of(cls, request) -> "Actor":
        """The signed-in user of ``request`` at its clinic, from its address and browser."""
        return cls.of_account(request).at_clinic(getattr(request, "membership", None))

    @classmethod
    def of_account(cls, request, user: "User | None" = None) -> "Actor":
        """``user`` (by default the request's) acting on their own account at no clinic
        (signing in or out, a password), from ``request``'s address. Before sign-in the
        request's user is anonymous: the audit row then names the username tried."""
        return cls(
            user=user if user is not None else request.user,
            membership=None,
            ip=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.headers.get("User-Agent", "")[:MAX_USER_AGENT],
        )

    def at_clinic(self, membership: "Membership | None") -> "Actor":
        return replace(self, membership=membership)

    @classmethod
    def at(cls, membership: "Membership", user_agent: str = "") -> "Actor":
        """A member of staff acting with no request (console, demo, worker, tests)."""
        return cls(user=membership.user, membership=membership, user_agent=user_agent)

    @property
    def clinic(self) -> "Clinic":
        return self._membership.clinic

    @property
    def clinic_id(self) -> int:
        return self._membership.clinic_id

    @property
    def role(self) -> str:
        return self._membership.role

    @property
    def user_id(self) -> int:
        return self.user.pk

    @property
    def _membership(self) -> "Membership":
        if self.membership is None:
            raise PermissionError(f"{self.user} acts at no clinic")
        return self.membership
