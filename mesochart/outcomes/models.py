"""Outcome values: what a measure read on a patient, when, by whom, for which plan.

The definitions (unit or levels, range, better direction, landmark, source) are data in
`core.measures`; a value stores the measure's ``code``. What a value holds depends on the
measure's kind: ``value`` for a quantity (in the measure's unit) and for a composite's total
(computed by `core.scores` when recorded, never typed, null when an item is missing);
``level`` (a level code) and ``coding`` (the numbering a study uses, GAIS 1–5 or −1…3) for an
ordinal scale; ``items`` for a composite's items as rated. ``not_measured_reason`` records an
explicit "not measured" instead of a value.

Ties, for the analytics built on these rows: ``plan`` always; ``session`` when the value was
taken at a session (its cocktail version and lots are the session's: ``session.cocktail_version``
and ``session.products``); ``context`` says baseline, session or follow-up (a visit with no
injection). ``area`` is the plan's area, ``site`` the marked landmark (a progress series is
one measure at one site).

Values are never overwritten: an amendment is a new row whose ``amends`` points at the value
it replaces (one amendment per value, so a chain is linear); `OutcomeQuerySet.current` is
the values no row amends. Rules live in `outcomes.actions`; nothing here overrides ``save()``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesochart.accounts.models import Clinic
from mesochart.core import clinic_items
from mesochart.patients.models import Patient
from mesochart.planning.models import Plan
from mesochart.treatments.models import TreatmentSession


class Context(models.TextChoices):
    BASELINE = "baseline", _("Baseline (before the first session)")
    SESSION = "session", _("At a session")
    FOLLOW_UP = "follow_up", _("Follow-up visit (no injection)")


class RaterRole(models.TextChoices):
    PRACTITIONER = "practitioner", _("Practitioner")
    SECOND_RATER = "second_rater", _("Second rater")
    PATIENT = "patient", _("Patient")


class OutcomeQuerySet(models.QuerySet):
    def in_clinic(self, clinic):
        return self.filter(clinic=clinic, patient__voided_at__isnull=True)

    def current(self):
        """The values as they now read: those no amendment replaces."""
        return self.filter(amended_by__isnull=True)

    def measured(self):
        return self.filter(not_measured_reason="")


class ClinicItemQuerySet(models.QuerySet):
    def in_clinic(self, clinic):
        return self.filter(clinic=clinic)

    def latest_versions(self):
        """Each item's newest version (retired or not): no later version supersedes it."""
        return self.filter(superseded_by__isnull=True)

    def offered(self):
        return self.latest_versions().filter(retired_at__isnull=True)


class ClinicItem(models.Model):
    """One version of a clinic's own patient-reported item (`core.clinic_items` holds its
    rules). Editing an item that has values makes a new row whose ``supersedes`` is this one;
    values keep pointing at the version they were answered on. Retired: not offered, kept."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    slug = models.CharField(max_length=30)
    version = models.PositiveIntegerField(default=1)
    question = models.CharField(max_length=300)
    response = models.CharField(max_length=10)  # core.clinic_items.SCALE or LEVELS
    better = models.CharField(max_length=10)
    maximum = models.PositiveIntegerField(null=True, blank=True)
    low_anchor = models.CharField(max_length=80, blank=True)
    high_anchor = models.CharField(max_length=80, blank=True)
    levels = models.JSONField(default=list, blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    retired_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ClinicItemQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "slug", "version"], name="clinic_item_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question} (v{self.version})"

    @property
    def code(self) -> str:
        return clinic_items.PREFIX + self.slug

    def definition(self) -> clinic_items.ItemDefinition:
        return clinic_items.ItemDefinition(
            slug=self.slug,
            question=self.question,
            response=self.response,
            better=self.better,
            maximum=self.maximum,
            low_anchor=self.low_anchor,
            high_anchor=self.high_anchor,
            levels=tuple(self.levels),
        )

    def measure(self):
        return clinic_items.to_measure(self.definition(), self.version)

    @property
    def scale(self) -> range:
        """The numbers a patient picks from (0..maximum), empty for labelled levels."""
        if self.response != clinic_items.SCALE or self.maximum is None:
            return range(0)
        return range(self.maximum + 1)


class OutcomeValue(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="outcome_values")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="outcome_values")
    session = models.ForeignKey(
        TreatmentSession,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcome_values",
    )
    context = models.CharField(max_length=10, choices=Context.choices)
    measure = models.CharField(max_length=40, help_text=_("a code of core.measures"))
    area = models.CharField(max_length=100, blank=True)
    site = models.CharField(max_length=200, blank=True, help_text=_("the marked landmark"))
    measured_on = models.DateField()
    value = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    level = models.CharField(max_length=40, blank=True)
    coding = models.CharField(max_length=10, blank=True)
    items = models.JSONField(default=dict, blank=True)
    band = models.CharField(max_length=20, blank=True)
    not_measured_reason = models.TextField(blank=True)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rater_role = models.CharField(max_length=20, choices=RaterRole.choices)
    blinded = models.BooleanField(default=False, help_text=_("rater did not know the date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    amends = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="amended_by"
    )
    amend_reason = models.TextField(blank=True)
    clinic_item = models.ForeignKey(
        ClinicItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="values",
        help_text=_("the version of the clinic's own item this value answered"),
    )

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["plan", "measure", "measured_on"], name="outcome_plan_measure"),
            models.Index(fields=["patient", "-measured_on"], name="outcome_patient"),
            # Analytics (issue 17) reads one measure across a clinic's patients.
            models.Index(
                fields=["clinic", "measure", "measured_on"], name="outcome_clinic_measure"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} on {self.measured_on}"
