"""Reminders: an email (and a text, where the patient has a phone) some hours before each
appointment, with a signed link by which the patient confirms or cancels without signing in.

Never twice: one `Reminder` row per appointment and kind (a unique constraint), claimed
(``sending``) in its own committed transaction before anything is sent, so a second run, a
second worker or the same task enqueued twice finds it taken. A send that raises is marked
``failed`` and the next sweep retries it, up to ``MAX_ATTEMPTS``; a worker that dies between
the claim and the send leaves the row ``sending`` and it is not sent again (the reception's
list of unconfirmed appointments is the net). Never for a cancelled appointment: the state
is read under the claim's lock.

The link reveals only the appointment's date, time and clinic; it is signed
(``django.core.signing``, its own salt) and expires when the appointment starts.
"""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.lib import l10n
from mesochart.scheduling.calendar import zone_of
from mesochart.scheduling.channels import text_backend
from mesochart.scheduling.models import (
    Appointment,
    Reminder,
    ReminderKind,
    ReminderStatus,
    State,
)

MAX_ATTEMPTS = 3
SALT = "mesochart.scheduling.reminder-link"
REMINDED = (State.BOOKED, State.CONFIRMED)


class LinkError(ValueError):
    def __init__(self, rule: str) -> None:
        super().__init__(f"link: {rule}")
        self.field, self.rule = "link", rule


def link_token(appointment) -> str:
    return signing.dumps(
        {"a": appointment.pk, "u": int(appointment.starts_at.timestamp())}, salt=SALT
    )


def appointment_of(token: str, now=None) -> Appointment:
    """The appointment a link names; ``LinkError`` if altered or expired."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise LinkError("was altered or is not a reminder link") from None
    now = now or timezone.now()
    if now.timestamp() >= data["u"]:
        raise LinkError("has expired: the appointment has started")
    try:
        return Appointment.objects.select_related("clinic", "patient").get(pk=data["a"])
    except Appointment.DoesNotExist:
        raise LinkError("was altered or is not a reminder link") from None


def message(appointment) -> tuple[str, str]:
    """Subject and body: date, time and clinic, and the link; nothing clinical. In the
    patient's language, the date as that language writes it ("lundi 2 mars 2026 à 14:30")."""
    with translation.override(appointment.patient.language):
        local = appointment.starts_at.astimezone(zone_of(appointment.clinic))
        words = {
            "clinic": appointment.clinic.name,
            "day": l10n.long_day(local),
            "month_day": date_format(local, "MONTH_DAY_FORMAT"),
            "time": f"{local:%H:%M}",
            "url": f"{settings.SCHEDULING_BASE_URL}/schedule/r/{link_token(appointment)}/",
        }
        subject = _("Your appointment at %(clinic)s: %(month_day)s") % words
        body = (
            _("You have an appointment at %(clinic)s on %(day)s at %(time)s.") % words
            + "\n\n"
            + _("Please confirm or cancel it here: %(url)s") % words
            + "\n"
        )
    return subject, body


def due_appointments(now):
    hours = dt.timedelta(hours=settings.SCHEDULING_REMINDER_HOURS)
    return Appointment.objects.filter(
        state__in=REMINDED, starts_at__gt=now, starts_at__lte=now + hours
    ).select_related("patient")


def sweep(now=None) -> list[int]:
    """Create the due reminders (one per appointment and kind) and enqueue each one that
    is pending or failed with attempts left; returns the reminders enqueued."""
    from mesochart.scheduling.tasks import send_reminder

    now = now or timezone.now()
    for appointment in due_appointments(now):
        kinds = [ReminderKind.EMAIL] if appointment.patient.email else []
        kinds += [ReminderKind.TEXT] if appointment.patient.phone else []
        for kind in kinds:
            try:
                with transaction.atomic():
                    Reminder.objects.get_or_create(appointment=appointment, kind=kind)
            except IntegrityError:
                pass  # another sweep made it first
    waiting = Reminder.objects.filter(
        status__in=(ReminderStatus.PENDING, ReminderStatus.FAILED),
        attempts__lt=MAX_ATTEMPTS,
        appointment__starts_at__gt=now,
    ).values_list("pk", flat=True)
    enqueued = list(waiting)
    for pk in enqueued:
        send_reminder.enqueue(pk)
    return enqueued


def _claim(pk: int) -> Reminder | None:
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update()
            .select_related("appointment__clinic", "appointment__patient")
            .get(pk=pk)
        )
        if reminder.status not in (ReminderStatus.PENDING, ReminderStatus.FAILED):
            return None
        if reminder.appointment.state not in REMINDED:
            reminder.status = ReminderStatus.SKIPPED
            reminder.save(update_fields=["status"])
            return None
        if reminder.attempts >= MAX_ATTEMPTS:
            return None
        reminder.status = ReminderStatus.SENDING
        reminder.attempts += 1
        reminder.claimed_at = timezone.now()
        reminder.save(update_fields=["status", "attempts", "claimed_at"])
    return reminder


def deliver(pk: int) -> str:
    """Send one reminder if it is still to be sent; returns what became of it."""
    reminder = _claim(pk)
    if reminder is None:
        return "not sent"
    appointment = reminder.appointment
    subject, body = message(appointment)
    try:
        if reminder.kind == ReminderKind.EMAIL:
            send_mail(subject, body, None, [appointment.patient.email])
        else:
            text_backend().send(appointment.patient.phone, body)
    except Exception as error:
        reminder.status, reminder.last_error = ReminderStatus.FAILED, repr(error)[:500]
        reminder.save(update_fields=["status", "last_error"])
        return "failed"
    with transaction.atomic():
        reminder.status, reminder.sent_at = ReminderStatus.SENT, timezone.now()
        reminder.save(update_fields=["status", "sent_at"])
        record(
            None,
            Action.EXPORT,
            Category.PLANNING,
            clinic=appointment.clinic,
            patient=appointment.patient,
            obj=appointment,
            actor_label="reminder worker",
            detail={"reminder": reminder.kind, "attempt": reminder.attempts},
        )
    return "sent"


def unconfirmed(clinic, day: dt.date):
    """The reception's list: appointments on ``day`` still only booked, earliest first."""
    zone = zone_of(clinic)
    start = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
    return (
        Appointment.objects.in_clinic(clinic)
        .filter(
            state=State.BOOKED, starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1)
        )
        .select_related("patient", "type", "practitioner")
        .order_by("starts_at")
    )
