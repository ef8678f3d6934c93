"""The append-only, keyed hash-chained audit log.

Each row stores the HMAC-SHA256 of its own content chained to the previous row's MAC, with a
key the database never sees (`audit.keys`), so a row altered, removed or recomputed out of
band breaks the chain (``mesochart audit verify``). The database refuses UPDATE, DELETE and
TRUNCATE on the table (triggers, migrations 0002 and 0005). Rows written before the chain
was keyed (``key_id`` NULL) carry a plain SHA-256 and are accepted only before the first
keyed row; the first keyed row after them is a ``key_rotation`` row.
"""

import hashlib
import json
from datetime import UTC

from django.db import models
from django.utils import timezone

from mesochart.audit.keys import mac

GENESIS_HASH = "0" * 64


class Action(models.TextChoices):
    CREATE = "create"
    READ = "read"
    UPDATE = "update"
    VOID = "void"
    PRINT = "print"
    EXPORT = "export"
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_OUT = "sign_out"
    PRIVILEGE_CHANGE = "privilege_change"
    KEY_ROTATION = "key_rotation"


class Category(models.TextChoices):
    DEMOGRAPHICS = "demographics"
    CLINICAL = "clinical"
    AUTHENTICATION = "authentication"
    STAFF = "staff"
    AUDIT = "audit"
    FORMULARY = "formulary"
    PLANNING = "planning"
    TREATMENT = "treatment"
    OUTCOME = "outcome"
    PHOTO = "photo"


class Outcome(models.TextChoices):
    SUCCESS = "success"
    DENIED = "denied"
    FAILURE = "failure"


def _label(codes, value: str) -> str:
    """The label of a code, or the code itself if a later release no longer knows it."""
    return str(codes(value).label) if value in codes.values else value


class AuditEvent(models.Model):
    """One thing that happened. Foreign keys are plain ids so the log outlives any row."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(null=True, db_index=True)
    actor_label = models.CharField(max_length=150, blank=True)
    organisation_id = models.BigIntegerField(null=True)
    clinic_id = models.BigIntegerField(null=True)
    patient_id = models.BigIntegerField(null=True)
    # The codes come from the enums above; they are not declared as field choices so that a
    # new app adding a category does not need a migration of the audit table.
    action = models.CharField(max_length=20)
    category = models.CharField(max_length=20)
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=10, default=Outcome.SUCCESS)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64, unique=True)
    # The id of the HMAC key that signed the row (`audit.keys`); NULL on rows written before
    # the chain was keyed. Nullable so adding it needed no rebuild of the table.
    key_id = models.CharField(max_length=16, null=True, blank=True)  # noqa: DJ001

    class Meta:
        indexes = [
            models.Index(fields=["patient_id", "-at"], name="audit_patient_at"),
            models.Index(fields=["clinic_id", "-at"], name="audit_clinic_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.category} by {self.actor_label or '-'}"

    def get_action_display(self) -> str:
        return _label(Action, self.action)

    def get_category_display(self) -> str:
        return _label(Category, self.category)

    def get_outcome_display(self) -> str:
        return _label(Outcome, self.outcome)

    def canonical(self) -> bytes:
        """The content the hash covers, in a form that does not depend on the database."""
        content = {
            "at": self.at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "organisation_id": self.organisation_id,
            "clinic_id": self.clinic_id,
            "patient_id": self.patient_id,
            "action": self.action,
            "category": self.category,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "outcome": self.outcome,
            "detail": self.detail,
            "ip_address": self.ip_address,
            "prev_hash": self.prev_hash,
        }
        if self.key_id is not None:
            content["key_id"] = self.key_id
        return json.dumps(content, sort_keys=True, separators=(",", ":")).encode()

    def compute_hash(self, key: bytes | None) -> str:
        """The row's MAC with ``key``; the plain SHA-256 of a row from before the chain was
        keyed (``key`` None)."""
        if key is None:
            return hashlib.sha256(self.canonical()).hexdigest()
        return mac(key, self.canonical())


class ChainHead(models.Model):
    """The last hash written, locked while a row is appended so the chain never forks.

    It also reveals rows cut from the end of the log, which the chain alone cannot show.
    """

    last_event_id = models.BigIntegerField(null=True)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    count = models.BigIntegerField(default=0)
    # The key the last row was signed with: a different current key means a rotation.
    key_id = models.CharField(max_length=16, null=True, blank=True)  # noqa: DJ001

    def __str__(self) -> str:
        return f"audit head at #{self.last_event_id} ({self.count} rows)"


def actor_label_of(user) -> str:
    return user.get_username() if user is not None and user.is_authenticated else ""
