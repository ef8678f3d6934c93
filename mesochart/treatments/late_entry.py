"""A session recorded after the fact (a late entry): when it may say it was performed.

The practitioner gives the real time it was performed (``performed_at``, read in the
clinic's zone when typed without an offset) and why it is entered late. That time becomes
the session's ``started_at``, the moment every clinical reading uses: the lots' expiry, the
practitioner's licence, the screening and the dose engine's history are judged on its day
(`TreatmentSession.judged_on`), and the recall dates the lots' use then. When it was
entered (``created_at``) and signed (``signed_at``) stay what they were.

It is refused (``performed_at: rule``) when it is in the future, earlier than
``settings.LATE_ENTRY_MAX_DAYS`` days ago (house policy, 30 by default: a bookkeeping bound,
not a clinical one), before the plan was approved, or at a time no signed consent covering
the plan was in force (signed by then and not yet withdrawn). Checked when the session is
started and again when it is signed.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from mesochart.consent.models import Consent
from mesochart.consent.plans import target_of
from mesochart.lib import l10n

FIELD, REASON = "performed_at", "late_entry_reason"


def max_days() -> int:
    return settings.LATE_ENTRY_MAX_DAYS


def from_data(clinic, data: dict) -> tuple[datetime | None, str]:
    """The performed time and the reason given in ``data``; ``(None, "")`` for a session
    recorded as it is performed. Refuses a time that is not one, or a late entry with no
    reason."""
    raw = str(data.get(FIELD) or "").strip()
    reason = str(data.get(REASON) or "").strip()
    if not raw:
        if reason:
            raise ValidationError({FIELD: [_("is required for a late entry")]})
        return None, ""
    moment = parse_datetime(raw)
    if moment is None:
        raise ValidationError({FIELD: [_("is not a date and time (YYYY-MM-DD HH:MM)")]})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, ZoneInfo(clinic.time_zone))
    if not reason:
        raise ValidationError(
            {REASON: [_("is required: say why the session is recorded after the fact")]}
        )
    return moment, reason


def check(plan, moment: datetime, now: datetime | None = None) -> None:
    """Refuse ``moment`` as the performed time of a session of ``plan`` (see the module)."""
    now = now or timezone.now()
    zone = ZoneInfo(plan.clinic.time_zone)

    def local(value: datetime) -> str:
        return l10n.moment(value, zone)  # the reader's format: "20 Feb 2026 15:30"

    if moment > now:
        raise ValidationError({FIELD: [_("must not be in the future")]})
    if moment < now - timedelta(days=max_days()):
        raise ValidationError(
            {
                FIELD: [
                    _("must be within the last %(days)s days (the practice's late-entry policy)")
                    % {"days": max_days()}
                ]
            }
        )
    if plan.approved_at is not None and moment < plan.approved_at:
        raise ValidationError(
            {
                FIELD: [
                    _("must not be before the plan was approved (%(at)s)")
                    % {"at": local(plan.approved_at)}
                ]
            }
        )
    consent = consent_in_force(plan, moment)
    if consent is None:
        raise ValidationError(
            {FIELD: [_("no signed consent covering this plan was in force at that time")]}
        )


def consent_in_force(plan, moment: datetime):
    """The newest consent of the plan's patient that covers the plan and was in force at
    ``moment``: signed by then, and not withdrawn by then."""
    target = target_of(plan)
    slugs = set(target.product_slugs)
    candidates = (
        Consent.objects.for_patient(plan.patient)
        .filter(signed_at__lte=moment, indication=target.indication)
        .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=moment))
        .newest_first()
    )
    return next((c for c in candidates if slugs <= set(c.product_slugs)), None)


def describe(performed: datetime, entered: datetime, signed: datetime | None, zone) -> str:
    """ "late entry: performed …, entered …, signed …" in the clinic's time (``zone``)."""

    def local(value: datetime) -> str:
        return l10n.moment(value, zone)  # the reader's format: "20 Feb 2026 15:30"

    words = _("late entry: performed %(performed)s, entered %(entered)s") % {
        "performed": local(performed),
        "entered": local(entered),
    }
    if signed is not None:
        words += _(", signed %(signed)s") % {"signed": local(signed)}
    return str(words)


def words(session) -> str:
    """The record's late-entry line ("" for a session recorded as it was performed)."""
    if not session.is_late_entry:
        return ""
    zone = ZoneInfo(session.clinic.time_zone)
    return describe(session.started_at, session.created_at, session.signed_at, zone)
