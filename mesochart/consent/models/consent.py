"""Consent templates (versioned), signed consents and marketing-photo consent.

A template version never changes once written: a new wording is a new version, and a signed
consent keeps the exact document the patient signed, with its SHA-256, whatever the templates
say later. Each template version also stores the hash of its own wording, so an edit made to
the table behind mesochart's back shows up (`ConsentTemplateVersion.is_intact`).
"""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesochart.accounts.models import Clinic
from mesochart.formulary.models import CocktailVersion
from mesochart.patients.models import DEFAULT_LANGUAGE, Language, Patient
from mesochart.planning.models import indication_label


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class TemplateScope(models.TextChoices):
    INDICATION = "indication", _("Indication")
    PRODUCT = "product", _("Product")


class ConsentTemplate(models.Model):
    """What a clinic tells patients about one indication ("lipolysis") or one product (slug)."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=12, choices=TemplateScope.choices)
    subject = models.CharField(max_length=100)
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["scope", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "scope", "subject"], name="cs_template_subject_once"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def subject_label(self, product_names: dict[str, str]) -> str:
        """What the template is for, in words: the indication's name (or the clinic's own
        word for it), or the product's name from ``product_names`` (by slug)."""
        if self.scope == TemplateScope.PRODUCT:
            return product_names.get(self.subject, self.subject)
        return indication_label(self.subject)

    def latest(self, language: str | None = None) -> "ConsentTemplateVersion | None":
        """The newest version, or the newest in ``language`` (None when it has none)."""
        versions = list(self.versions.all())
        if language is not None:
            versions = [v for v in versions if v.language == language]
        return max(versions, key=lambda v: v.number, default=None)

    def offered_to(self, language: str) -> "ConsentTemplateVersion | None":
        """What a patient speaking ``language`` reads: the newest version in it, else the newest
        in the default language (a clinic that has not translated a template yet)."""
        return self.latest(language) or self.latest(DEFAULT_LANGUAGE)


class ConsentTemplateVersion(models.Model):
    template = models.ForeignKey(ConsentTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    language = models.CharField(max_length=10, choices=Language.choices, default=DEFAULT_LANGUAGE)
    # A translation's own title; empty for the default language, which uses the template's.
    title = models.CharField(max_length=200, blank=True)
    risks = models.TextField()
    alternatives = models.TextField()
    expected_sessions = models.CharField(max_length=300)
    aftercare = models.TextField()
    content_sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="cs_template_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"

    @property
    def shown_title(self) -> str:
        return self.title or self.template.title

    def content_hash(self) -> str:
        """SHA-256 of the wording, as written when the version was saved. The language is hashed
        when it is not the default, so versions written before languages existed stay intact."""
        content = {
            "template": self.template_id,
            "number": self.number,
            "risks": self.risks,
            "alternatives": self.alternatives,
            "expected_sessions": self.expected_sessions,
            "aftercare": self.aftercare,
        }
        if self.language != DEFAULT_LANGUAGE:
            content["language"] = self.language
        return sha256_hex(json.dumps(content, sort_keys=True).encode())

    def is_intact(self) -> bool:
        return self.content_hash() == self.content_sha256


class ConsentQuerySet(models.QuerySet):
    def for_patient(self, patient):
        return self.filter(patient=patient, clinic=patient.clinic)

    def in_force(self):
        return self.filter(withdrawn_at__isnull=True)

    def newest_first(self):
        return self.order_by("-signed_at", "-pk")


class Consent(models.Model):
    """A signed treatment consent: the exact document, its hash, the drawn signature, the typed
    name, when, the witnessing member of staff and the device. Only withdrawal changes it."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="consents")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    indication = models.CharField(max_length=100)

    area = models.CharField(max_length=100)
    cocktail_version = models.ForeignKey(
        CocktailVersion, on_delete=models.PROTECT, related_name="+"
    )
    product_slugs = models.JSONField(default=list)
    template_versions = models.ManyToManyField(ConsentTemplateVersion, related_name="consents")
    document = models.TextField()
    document_sha256 = models.CharField(max_length=64)
    signature_png = models.BinaryField()
    signature_sha256 = models.CharField(max_length=64)
    signer_name = models.CharField(max_length=200)
    signed_at = models.DateTimeField(default=timezone.now)
    witness = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    user_agent = models.CharField(max_length=500, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["patient", "-signed_at"], name="cs_consent_patient")]
        constraints = [
            # A consent is signed when written: the document's and the signature's SHA-256.
            models.CheckConstraint(
                condition=~Q(document_sha256="") & ~Q(signature_sha256=""),
                name="cs_consent_has_hashes",
            )
        ]

    def __str__(self) -> str:
        return f"Consent to {self.indication} ({self.area}) signed {self.signed_at:%Y-%m-%d}"

    @property
    def indication_label(self) -> str:
        return indication_label(self.indication)

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def covers(self, indication: str, product_slugs) -> bool:
        """In force, for this indication, and naming every product of the plan."""
        return (
            not self.withdrawn
            and self.indication == indication
            and set(product_slugs) <= set(self.product_slugs)
        )


class PhotoConsent(models.Model):
    """Whether photographs may be used for marketing: separate from treatment consent, and
    "no" until the patient says yes. One row per decision; the newest one holds."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    granted = models.BooleanField(default=False)
    decided_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"Marketing photos {'allowed' if self.granted else 'not allowed'}"

    @classmethod
    def current(cls, patient) -> bool:
        latest = cls.objects.filter(patient=patient).order_by("-decided_at", "-pk").first()
        return bool(latest and latest.granted)
