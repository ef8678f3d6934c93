"""The clinic's calendar: rooms, appointment types, practitioners' hours and appointments.

No double booking is enforced by the database as well as by `scheduling.actions`: on
PostgreSQL an exclusion constraint on ``tstzrange(starts_at, ends_at)`` per practitioner and
per room (migration 0002, btree_gist); on SQLite the booking actions check for an overlap
inside the transaction, which ``transaction_mode = IMMEDIATE`` opens with the write lock
held, so two bookings are serialised. Cancelled and no-show appointments free their time.

Business rules live in `scheduling.actions`; nothing here overrides ``save()``.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesochart.accounts.models import Clinic
from mesochart.patients.models import Patient
from mesochart.planning.models import Plan


class Room(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinic", "name"], name="room_name_once")]

    def __str__(self) -> str:
        return self.name

    def is_referenced(self) -> bool:
        """Whether an appointment names this room: then it is retired, never deleted."""
        return Appointment.objects.filter(room=self).exists()


class Kind(models.TextChoices):
    SESSION = "session", _("Treatment session")
    CONSULTATION = "consultation", _("Consultation")
    FOLLOW_UP = "follow_up", _("Follow-up / measurement")
    PHOTO = "photo", _("Photo visit")


class AppointmentType(models.Model):
    """What is booked and how long it holds the practitioner and room; buffers are the
    preparation before and the cleaning after, kept free of other appointments."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    buffer_before_minutes = models.PositiveSmallIntegerField(default=0)
    buffer_after_minutes = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="appointment_type_once"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="appointment_type_has_duration"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_referenced(self) -> bool:
        """Whether an appointment or a waitlist entry names this type: then it is retired."""
        return (
            Appointment.objects.filter(type=self).exists()
            or WaitlistEntry.objects.filter(type=self).exists()
        )


class HoursQuerySet(models.QuerySet):
    def of(self, clinic, practitioner):
        return self.filter(clinic=clinic, practitioner=practitioner)

    def clashing(self, weekday: int, starts, ends):
        """Blocks of the same weekday that share time with ``starts``–``ends`` (touching
        ends do not clash: 09:00–12:00 and 12:00–17:00 make one day)."""
        return self.filter(weekday=weekday, starts__lt=ends, ends__gt=starts)


class WorkingHours(models.Model):
    """One block of a practitioner's weekly pattern at a clinic (weekday 0 Monday)."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    weekday = models.PositiveSmallIntegerField()
    starts = models.TimeField()
    ends = models.TimeField()

    objects = HoursQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="hours_end_after"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="hours_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.weekday}: {self.starts}-{self.ends}"


class DayException(models.Model):
    """One date's hours replaced (several rows for several blocks); ``starts`` null: day off."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField()
    starts = models.TimeField(null=True, blank=True)
    ends = models.TimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.date}: {self.starts or 'off'}-{self.ends or ''}"


class Leave(models.Model):
    """Whole days off, first to last inclusive."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    first_day = models.DateField()
    last_day = models.DateField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="leave_last_after_first"
            )
        ]

    def __str__(self) -> str:
        return f"Leave {self.first_day} to {self.last_day}"


class State(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CONFIRMED = "confirmed", _("Confirmed")
    ARRIVED = "arrived", _("Arrived")
    IN_SESSION = "in_session", _("In session")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")


# States whose time is free again for someone else.
RELEASED = (State.CANCELLED, State.NO_SHOW)
# The longest an appointment lasts, and the longest its preparation or cleaning: the setup
# form bounds a type's duration and buffers to a day, the booking form a booking's own end.
# The calendar's reads rely on it to walk only the days near the time asked for.
LONGEST = dt.timedelta(days=1)


class AppointmentQuerySet(models.QuerySet):
    def in_clinic(self, clinic):
        return self.filter(clinic=clinic, patient__voided_at__isnull=True)

    def holding_time(self):
        return self.exclude(state__in=RELEASED)

    def overlapping(self, starts_at, ends_at):
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


class Appointment(models.Model):
    """One appointment. A session appointment names its plan and the series' session
    (``plan_session_index``, 0-based); starting it links the treatment session record."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="appointments")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    type = models.ForeignKey(AppointmentType, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.BOOKED)
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments"
    )
    plan_session_index = models.PositiveSmallIntegerField(null=True, blank=True)
    treatment_session = models.ForeignKey(
        "treatments.TreatmentSession",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A warning of the interval rules accepted with a written reason.
    override_reason = models.TextField(blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_by_patient = models.BooleanField(default=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    # How long before the start the cancellation came (negative: after the start).
    cancelled_hours_before = models.DecimalField(
        max_digits=8, decimal_places=1, null=True, blank=True
    )

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="appointment_ends_after_start"
            )
        ]
        indexes = [
            models.Index(fields=["clinic", "starts_at"], name="appointment_clinic_day"),
            models.Index(fields=["practitioner", "starts_at"], name="appointment_practitioner"),
        ]

    def __str__(self) -> str:
        return f"{self.type} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def holds_time(self) -> bool:
        return self.state not in RELEASED


class ReminderKind(models.TextChoices):
    EMAIL = "email", _("Email")
    TEXT = "text", _("Text message")


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class Reminder(models.Model):
    """One reminder of one appointment by one channel: the row is claimed (``sending``) in
    its own committed transaction before anything goes out, so a second worker, or the same
    one run again, finds it taken; one appointment and kind have one row, ever."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    status = models.CharField(
        max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["appointment", "kind"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder of {self.appointment_id}: {self.status}"


class ClinicOptions(models.Model):
    """A clinic's calendar choices; without a row, the safe defaults."""

    clinic = models.OneToOneField(Clinic, on_delete=models.CASCADE, related_name="+")
    feed_shows_patient_names = models.BooleanField(
        _("show patients' names in practitioners' calendar feeds"), default=False
    )

    def __str__(self) -> str:
        return f"Calendar options of {self.clinic}"


class CalendarFeed(models.Model):
    """A practitioner's private iCalendar feed: whoever has the URL reads it, so the token is
    long and random, and regenerating it replaces the row (the old URL stops working)."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinic", "practitioner"], name="feed_once")]

    def __str__(self) -> str:
        return f"Feed of {self.practitioner_id} at {self.clinic_id}"


class WaitStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Offered a slot")
    DONE = "done", _("Booked or withdrawn")


class WaitlistEntry(models.Model):
    """A patient who wants an earlier slot of an appointment type (with one practitioner,
    or any); a cancellation offers its slot to the first waiting, in the order they asked."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    type = models.ForeignKey(AppointmentType, on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=WaitStatus.choices, default=WaitStatus.WAITING)
    offered_starts_at = models.DateTimeField(null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["clinic", "type", "status", "created_at"], name="waitlist")]

    def __str__(self) -> str:
        return f"Waitlist {self.patient_id} for {self.type_id}: {self.status}"
