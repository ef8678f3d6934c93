"""Protocols, a clinic's calendar, and treatment plans with their regions, points and series.

Storage choice for points: each `PlanRegion` keeps its points as one JSON list
(``[[x_cm, y_cm], ...]``, or ``[x_cm, y_cm, depth_mm, volume_ml]`` where a point differs from
its region), not one row per point. The chart editor always loads and saves a region's points
together, nothing queries a single point, and a 500-point plan is then a handful of rows:
one query and a JSON decode instead of 500 model instances (see bench/bench_planning.py).

Business rules live in `planning.actions`; nothing here overrides ``save()``.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from mesochart.accounts.models import Clinic
from mesochart.core.grid import PATTERNS
from mesochart.formulary.models import Cocktail, CocktailVersion
from mesochart.patients.models import Patient


class Indication(models.TextChoices):
    BODY_CONTOURING = "body_contouring", _("Body contouring / fat reduction")
    CELLULITE = "cellulite", _("Cellulite")
    SKIN_REJUVENATION = "skin_rejuvenation", _("Skin rejuvenation (wrinkles, laxity)")
    PIGMENTATION = "pigmentation", _("Pigmentation (melasma)")
    HAIR_LOSS = "hair_loss", _("Hair loss / alopecia")
    PAIN = "pain", _("Pain")
    OTHER = "other", _("Other")


def indication_label(code: str) -> str:
    """What a person reads for an indication code; an unknown code is shown as it is."""
    return str(Indication(code).label) if code in Indication.values else code


class Technique(models.TextChoices):
    EPIDERMAL = "epidermal", _("Epidermal")
    NAPPAGE = "nappage", _("Nappage")
    PAPULE = "papule", _("Papule / micropapule")
    POINT_BY_POINT = "point_by_point", _("Point-by-point")
    LINEAR = "linear", _("Linear / retrograde")


class ProtocolQuerySet(models.QuerySet):
    def shipped(self):
        return self.filter(clinic__isnull=True)

    def for_clinic(self, clinic):
        """The clinic's own protocols and the shipped ones it has not replaced with its own."""
        adopted = self.filter(clinic=clinic, based_on__isnull=False).values("based_on")
        return self.filter(Q(clinic=clinic) | Q(clinic__isnull=True)).exclude(pk__in=adopted)


class Protocol(models.Model):
    """A course of treatment for an indication: technique, doses, spacing and the series.

    Shipped protocols (clinic null) are built only from sourced facts and kept in line with
    `protocols.SHIPPED`; every number carries its source in ``references``. A clinic edits a
    shipped protocol by saving its own copy (``based_on``), which then replaces it there.
    ``phases`` is the series, e.g. ``[{"count": 6, "every_days": 7}, {"count": 3,
    "every_days": 30}]`` for weekly × 6 then monthly × 3 (see `core.schedule`).
    ``outcome_measures`` e.g. ``[["css"], ["circumference"]]``; ``follow_ups`` e.g.
    ``[{"weeks": 4}, {"months": 3}]``.
    """

    clinic = models.ForeignKey(
        Clinic, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    slug = models.SlugField(max_length=100)
    name = models.CharField(max_length=200)
    indication = models.CharField(max_length=20, choices=Indication.choices)
    technique = models.CharField(max_length=20, choices=Technique.choices, blank=True)
    depth_min_mm = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    depth_max_mm = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    volume_per_point_ml = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    spacing_cm = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    needle_gauge = models.PositiveSmallIntegerField(null=True, blank=True)
    needle_length_mm = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    phases = models.JSONField(default=list)
    maintenance = models.TextField(blank=True)
    products = models.JSONField(default=list, blank=True, help_text=_("Product slugs it is about."))
    default_cocktail = models.ForeignKey(
        Cocktail, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    references = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    # What the course is judged by (see core.outcome_plan): groups of measure codes, any one
    # of a group serving, recorded at baseline before approval; follow-up offsets after the
    # last session. Empty: the indication's defaults (outcomes.protocols).
    outcome_measures = models.JSONField(default=list, blank=True)
    follow_ups = models.JSONField(default=list, blank=True)

    objects = ProtocolQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=Q(clinic__isnull=True), name="protocol_slug_shipped"
            ),
            models.UniqueConstraint(
                fields=["clinic", "slug"],
                condition=Q(clinic__isnull=False),
                name="protocol_slug_per_clinic",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def shipped(self) -> bool:
        return self.clinic_id is None

    @property
    def session_count(self) -> int:
        return sum(int(phase["count"]) for phase in self.phases)

    def phases_text(self) -> str:
        """E.g. "4 × every 7 days, then 2 × every 14 days", in the active language."""
        return gettext(", then ").join(
            ngettext("%(count)s × every day", "%(count)s × every %(days)s days", p["every_days"])
            % {"count": p["count"], "days": p["every_days"]}
            for p in self.phases
        )


class ClinicCalendar(models.Model):
    """When a clinic is open, for the series scheduler: weekdays 0 (Monday) to 6 (Sunday),
    and closed dates (holidays, ISO strings). A clinic without one is open Monday–Friday."""

    clinic = models.OneToOneField(Clinic, on_delete=models.CASCADE, related_name="+")
    opening_weekdays = models.JSONField(default=list)
    closed_dates = models.JSONField(default=list, blank=True)

    DEFAULT_WEEKDAYS = (0, 1, 2, 3, 4)

    def __str__(self) -> str:
        return f"Calendar of {self.clinic}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class PlanQuerySet(models.QuerySet):
    def in_clinic(self, clinic):
        return self.filter(clinic=clinic, patient__voided_at__isnull=True)


class Plan(models.Model):
    """A treatment plan for one patient: what, where (regions and points) and when (series).

    An approved plan is locked: ``approval_result`` holds the dose engine's totals and
    findings at approval, as JSON, so the record shows what the approver saw.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="plans")
    title = models.CharField(max_length=200)
    indication = models.CharField(max_length=20, choices=Indication.choices)
    protocol = models.ForeignKey(
        Protocol, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cocktail_version = models.ForeignKey(
        CocktailVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_result = models.JSONField(null=True, blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["clinic", "patient", "-created_at"], name="plan_patient")]
        constraints = [
            # Approval records who and when (`planning.approval`); the database holds it too.
            models.CheckConstraint(
                condition=~Q(status="approved")
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="plan_approved_has_approver",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def approved(self) -> bool:
        return self.status == PlanStatus.APPROVED


class PlanRegion(models.Model):
    """One region of a plan, measured on the patient, with its points (see module docstring).

    Measurements replace the template's illustrative size: ``width_cm`` × ``height_cm`` for
    regions scaled by size, ``circumference_cm`` for those scaled by circumference. Points are
    in cm in the patient's frame (the template's frame stretched to the measurements).
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="regions")
    position = models.PositiveSmallIntegerField(default=0)
    view = models.CharField(max_length=40)
    region = models.SlugField(max_length=60)
    width_cm = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    height_cm = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    circumference_cm = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    spacing_cm = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.00"))
    pattern = models.CharField(
        max_length=10, choices=[(p, p.capitalize()) for p in PATTERNS], default="square"
    )
    depth_mm = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    volume_ml = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    points = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "view", "region"], name="plan_region_once")
        ]

    def __str__(self) -> str:
        return f"{self.view}/{self.region}"


class PlanSession(models.Model):
    """One session of the plan's series: its date, the protocol's date, and why they differ."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sessions")
    index = models.PositiveSmallIntegerField()
    date = models.DateField()
    # The time of day at the clinic (its time zone), so calendars get a timed appointment.
    start_time = models.TimeField(default=datetime.time(9, 0))
    planned_date = models.DateField()
    reasons = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["index"]
        constraints = [models.UniqueConstraint(fields=["plan", "index"], name="plan_session_once")]

    def __str__(self) -> str:
        return f"Session {self.index + 1} on {self.date}"


class AftercareQuerySet(models.QuerySet):
    def current(self, clinic, protocol):
        """The clinic's newest version for ``protocol``, else for the shipped protocol its
        copy is based on (a clinic that adopts a protocol keeps the sheet it wrote); None."""
        for candidate in (protocol.pk, protocol.based_on_id):
            if candidate is not None:
                found = self.filter(clinic=clinic, protocol_id=candidate).order_by("-version")
                if sheet := found.first():
                    return sheet
        return None


class AftercareSheet(models.Model):
    """One version of a clinic's aftercare advice for a protocol, as printed for a patient.

    A version is never changed: an edit adds the next one (`aftercare.save_sheet`), so a
    sheet handed to a patient can be read again exactly as it was.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    protocol = models.ForeignKey(Protocol, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    text = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = AftercareQuerySet.as_manager()

    class Meta:
        ordering = ["clinic", "protocol", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "protocol", "version"], name="aftercare_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"Aftercare for {self.protocol} v{self.version}"
