"""Tenancy and staff: organisations own clinics; users hold a role in each clinic they work at."""

import hashlib
import secrets
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from mesochart.accounts.roles import TWO_FACTOR_ROLES, Role


def language_choices():
    return settings.LANGUAGES


class User(AbstractUser):
    """A member of staff. Lockout state lives here so it survives across sessions."""

    failed_login_count = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    # Set by an admin's reset: every page leads to the password change until it is done.
    must_change_password = models.BooleanField(default=False)
    # The staff interface's language; empty follows the clinic's default language.
    language = models.CharField(max_length=10, blank=True, choices=language_choices)

    def is_locked(self, now=None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or timezone.now())

    def requires_two_factor(self) -> bool:
        """Practitioners and admins handle clinical data or privileges: TOTP is mandatory."""
        return self.memberships.filter(active=True, role__in=TWO_FACTOR_ROLES).exists()


class Organisation(models.Model):
    """A practice or a chain; patients' record numbers are unique within it."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    record_number_prefix = models.CharField(max_length=4, default="MC")
    next_record_number = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.name

    def allocate_record_number(self) -> str:
        """The next free record number; call inside the transaction that uses it."""
        locked = Organisation.objects.select_for_update().get(pk=self.pk)
        number = locked.next_record_number
        Organisation.objects.filter(pk=self.pk).update(next_record_number=number + 1)
        return f"{locked.record_number_prefix}-{number:06d}"


class Clinic(models.Model):
    """A location of an organisation; dates and opening days are read in its time zone."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="clinics")
    name = models.CharField(max_length=200)
    time_zone = models.CharField(max_length=64, default="Europe/London")
    address = models.TextField(blank=True)
    # The staff interface's language for a user who chose none; empty: the browser's.
    language = models.CharField(max_length=10, blank=True, choices=language_choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="clinic_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    def today(self) -> date:
        """Today in the clinic's time zone: screening dates, expiry dates, series and
        late entries are read there, wherever the server runs."""
        return timezone.localdate(timezone=ZoneInfo(self.time_zone))


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True, user__is_active=True)


class Membership(models.Model):
    """A user's role at one clinic. Changing it is a privilege change and is audited."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    active = models.BooleanField(default=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "clinic"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.clinic.name}"


class Credential(models.Model):
    """A practitioner's professional licence, which decides whether they may administer."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="credential")
    profession = models.CharField(max_length=100)
    licence_number = models.CharField(max_length=64)
    issuing_body = models.CharField(max_length=200)
    expires_on = models.DateField()
    may_administer_prescription_medicines = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.profession} {self.licence_number} (until {self.expires_on})"

    def valid_on(self, day: date) -> bool:
        """A licence is valid up to and including its expiry date."""
        return day <= self.expires_on


def can_administer(user, clinic, on: date, prescription: bool = False) -> bool:
    """Whether ``user`` may inject at ``clinic`` on day ``on``.

    True only for an active practitioner membership at that clinic with a licence valid on
    that day; ``prescription`` additionally requires the prescription-medicine scope (for
    products such as lidocaine or deoxycholic acid).
    """
    if user is None or not user.is_active:
        return False
    practising = Membership.objects.active().filter(
        user=models.OuterRef("user"), clinic=clinic, role=Role.PRACTITIONER
    )
    credential = Credential.objects.filter(models.Exists(practising), user=user).first()
    if credential is None or not credential.valid_on(on):
        return False
    return credential.may_administer_prescription_medicines or not prescription


class LoginSession(models.Model):
    """Which session keys belong to which user, so that disabling a user ends them all."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user} since {self.started_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A per-user bearer token for the JSON API. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Tokens issued before expiry existed have none: they end a lifetime after creation.
    expires_at = models.DateTimeField(null=True, blank=True)
    # The user's authenticator confirmed a code when the token was issued. A token without
    # it is refused whenever its user's current role needs a second factor.
    second_factor = models.BooleanField(default=False)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def ends_at(self):
        lifetime = timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)
        return self.expires_at or self.created_at + lifetime

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user, clinic, name: str, second_factor=False) -> tuple["ApiToken", str]:
        """Create a token and return it with its raw value, which is shown once only.

        ``second_factor``: the caller has just verified a code of the user's authenticator
        (`accounts.tokens.issue_token` does); it decides whether the token may act in a
        role that needs one."""
        raw = "mc_" + secrets.token_urlsafe(32)
        now = timezone.now()
        token = cls.objects.create(
            user=user,
            clinic=clinic,
            name=name,
            digest=cls.digest_of(raw),
            prefix=raw[:8],
            created_at=now,
            expires_at=now + timedelta(days=settings.API_TOKEN_LIFETIME_DAYS),
            second_factor=second_factor,
        )
        return token, raw


def session_deadlines(started_at, last_seen_at) -> tuple:
    """When a session ends: (idle deadline, absolute deadline)."""
    idle = timedelta(seconds=settings.SESSION_IDLE_TIMEOUT_SECONDS)
    absolute = timedelta(seconds=settings.SESSION_ABSOLUTE_LIFETIME_SECONDS)
    return last_seen_at + idle, started_at + absolute
