"""Questionnaire responses, screenings and the practitioner's acknowledgements.

A response keeps the questionnaire version it was given on. A screening stores what the core
found for one response against one cocktail version, area and indication on one day, with the
fingerprint of what it screened, so that a changed plan shows as stale without re-running it.
Rows are written only by `consent.actions`; nothing here changes after it is written except a
response's write-back stamp.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesochart.accounts.models import Clinic
from mesochart.core.screening import (
    Acknowledgement as CoreAcknowledgement,
)
from mesochart.core.screening import (
    may_treat,
    needs_acknowledgement,
    screening_status,
)
from mesochart.core.screening_rules import Kind
from mesochart.core.screening_validity import DEFAULT_VALID_DAYS, Finding, ScreeningStatus
from mesochart.formulary.models import CocktailVersion
from mesochart.patients.models import Patient
from mesochart.planning.models import indication_label


def no_rules() -> dict:
    return {"rules": []}


class ScreeningPolicy(models.Model):
    """A clinic's screening settings: how many days a screening holds, and the clinic's own
    rules as the JSON `core.screening.parse_clinic_rules` reads (added to the defaults)."""

    clinic = models.OneToOneField(Clinic, on_delete=models.PROTECT, related_name="+")
    valid_days = models.PositiveSmallIntegerField(default=DEFAULT_VALID_DAYS)
    rules = models.JSONField(default=no_rules)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Screening policy of {self.clinic}"

    @classmethod
    def of(cls, clinic) -> "ScreeningPolicy":
        """The clinic's policy, or the defaults (unsaved) when it has none."""
        return cls.objects.filter(clinic=clinic).first() or cls(clinic=clinic)


class CollectionMode(models.TextChoices):
    STAFF = "staff", _("Asked by staff")
    PATIENT = "patient", _("Answered by the patient on a tablet")


class QuestionnaireResponse(models.Model):
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="questionnaire_responses"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    questionnaire_version = models.CharField(max_length=40)
    # The treatment area the site questions ("… in the {area} area") were asked about.
    area = models.CharField(max_length=100)
    # Question key → "yes" / "no" / "unsure", free text, or an ISO date.
    answers = models.JSONField(default=dict)
    mode = models.CharField(max_length=10, choices=CollectionMode.choices)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    asked_on = models.DateField()
    # When the new facts (allergies, medications, pregnancy) went into the patient record.
    written_back_at = models.DateTimeField(null=True, blank=True)
    written_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["patient", "-submitted_at"], name="cs_response_patient")]

    def __str__(self) -> str:
        return f"Questionnaire {self.questionnaire_version} of {self.asked_on} ({self.area})"


class ScreeningQuerySet(models.QuerySet):
    def for_patient(self, patient):
        return self.filter(patient=patient, clinic=patient.clinic)

    def newest_first(self):
        return self.order_by("-completed_on", "-created_at", "-pk")


class Screening(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="screenings")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    response = models.ForeignKey(
        QuestionnaireResponse, on_delete=models.PROTECT, related_name="screenings"
    )
    cocktail_version = models.ForeignKey(
        CocktailVersion, on_delete=models.PROTECT, related_name="+"
    )
    area = models.CharField(max_length=100)
    indication = models.CharField(max_length=100)

    completed_on = models.DateField()
    # core.screening_fingerprint of the cocktail's ingredient and excipient slugs and the area.
    fingerprint = models.CharField(max_length=80)
    # The core's findings as written: key, kind, message, evidence, source, unanswered.
    findings = models.JSONField(default=list)
    valid_days = models.PositiveSmallIntegerField(default=DEFAULT_VALID_DAYS)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScreeningQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["patient", "-completed_on"], name="cs_screening_patient")]

    def __str__(self) -> str:
        return f"Screening of {self.completed_on} ({self.cocktail_version}, {self.area})"

    @property
    def indication_label(self) -> str:
        return indication_label(self.indication)

    def core_findings(self) -> tuple[Finding, ...]:
        return tuple(
            Finding(
                f["key"],
                Kind(f["kind"]),
                f["message"],
                tuple(f["evidence"]),
                f["source"],
                tuple(f.get("unanswered", ())),
            )
            for f in self.findings
        )

    def core_acknowledgements(self) -> tuple[CoreAcknowledgement, ...]:
        return tuple(
            CoreAcknowledgement(a.finding_key, a.reason) for a in self.acknowledgements.all()
        )

    @property
    def absolute(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.core_findings() if f.kind == Kind.ABSOLUTE)

    @property
    def relative(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.core_findings() if f.kind == Kind.RELATIVE)

    def unacknowledged(self) -> tuple[Finding, ...]:
        return needs_acknowledgement(self.core_findings(), self.core_acknowledgements())

    def may_treat(self) -> bool:
        return may_treat(self.core_findings(), self.core_acknowledgements())

    def status(self, today: date, current_fingerprint: str | None = None) -> ScreeningStatus:
        """Valid, expired or stale (``current_fingerprint``: the plan's as it is today)."""
        return screening_status(
            self.completed_on,
            self.fingerprint,
            current_fingerprint or self.fingerprint,
            today,
            self.valid_days,
        )


class Acknowledgement(models.Model):
    """The practitioner's written reason to treat despite one relative finding."""

    screening = models.ForeignKey(
        Screening, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    finding_key = models.CharField(max_length=60)
    reason = models.TextField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["acknowledged_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["screening", "finding_key"], name="cs_acknowledged_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.finding_key} acknowledged by {self.acknowledged_by}"
