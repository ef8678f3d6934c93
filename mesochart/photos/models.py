"""Clinical photos and the patient's consent to each purpose beyond the clinical record.

The image and thumbnail live in the photo storage (`photos.storage`) under random names;
only their names and SHA-256 are here. A photo is never deleted; consent is a history of
grants, each revoked at most once (a new grant is a new row).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesochart.accounts.models import Clinic
from mesochart.patients.models import Patient
from mesochart.photos.poses import AREA_CHOICES


class Purpose(models.TextChoices):
    CLINICAL = "clinical", _("Clinical record")
    EDUCATION = "education", _("Education and teaching")
    MARKETING = "marketing", _("Marketing and social media")


# The clinical record is part of treatment consent; these need their own, revocable, consent.
OPTIONAL_PURPOSES = (Purpose.EDUCATION, Purpose.MARKETING)


class PhotoQuerySet(models.QuerySet):
    def in_clinic(self, clinic):
        return self.filter(clinic=clinic, patient__voided_at__isnull=True)

    def consented_to(self, purpose: str):
        """Only photos whose patient's consent to ``purpose`` stands now (clinical: all)."""
        if purpose == Purpose.CLINICAL:
            return self
        standing = PhotoConsent.objects.standing().filter(purpose=purpose)
        return self.filter(patient__in=standing.values("patient"))

    def of_view(self, area: str, view: str):
        return self.filter(area=area, view=view)


class Photo(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="photos")
    session = models.ForeignKey(
        "treatments.TreatmentSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="photos",
    )
    plan_region = models.ForeignKey(
        "planning.PlanRegion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="photos",
    )
    area = models.CharField(max_length=20, choices=AREA_CHOICES)
    view = models.CharField(max_length=20)
    taken_at = models.DateTimeField(default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    image_name = models.CharField(max_length=200, unique=True)
    thumb_name = models.CharField(max_length=200, unique=True)
    sha256 = models.CharField(max_length=64)
    thumb_sha256 = models.CharField(max_length=64)
    width_px = models.PositiveIntegerField()
    height_px = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    source_format = models.CharField(max_length=8)
    sharpness = models.FloatField()
    mean_grey = models.FloatField()
    quality_warnings = models.JSONField(default=list, blank=True)
    kept_reason = models.CharField(max_length=300, blank=True)
    mm_per_px = models.FloatField(null=True, blank=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["taken_at", "pk"]
        indexes = [
            models.Index(fields=["patient", "area", "view", "taken_at"], name="photo_view_at"),
        ]

    def __str__(self) -> str:
        return f"{self.area}/{self.view} {self.taken_at:%Y-%m-%d}"


class ConsentQuerySet(models.QuerySet):
    def standing(self):
        return self.filter(revoked_at__isnull=True)


class PhotoConsent(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="photo_consents")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "purpose"],
                condition=models.Q(revoked_at__isnull=True),
                name="photo_consent_one_standing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} ({'revoked' if self.revoked_at else 'standing'})"
