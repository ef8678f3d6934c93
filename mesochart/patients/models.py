"""Patients and their medical history. Clinical data is voided, never deleted."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesochart.accounts.models import Clinic, Organisation
from mesochart.patients.search import name_key


class Language(models.TextChoices):
    """The languages a patient is spoken to in: the tablet, the consent, the documents."""

    EN_GB = "en-gb", _("English")
    FR = "fr", _("French")


DEFAULT_LANGUAGE = Language.EN_GB


class SexAtBirth(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    INTERSEX = "intersex", _("Intersex")
    UNKNOWN = "unknown", _("Not recorded")


class Fitzpatrick(models.TextChoices):
    I = "I", _("I — always burns, never tans")  # noqa: E741
    II = "II", _("II — usually burns, tans minimally")
    III = "III", _("III — sometimes burns, tans uniformly")
    IV = "IV", _("IV — burns minimally, always tans")
    V = "V", _("V — very rarely burns, tans profusely")
    VI = "VI", _("VI — never burns")


class YesNoUnknown(models.TextChoices):
    UNKNOWN = "unknown", _("Not asked")
    NO = "no", _("No")
    YES = "yes", _("Yes")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class Severity(models.TextChoices):
    MILD = "mild", _("Mild")
    MODERATE = "moderate", _("Moderate")
    SEVERE = "severe", _("Severe")
    UNKNOWN = "unknown", _("Unknown")


class Voidable(models.Model):
    """Who voided a clinical row, when and why. Voided rows leave lists, not the database."""

    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    void_reason = models.TextField(blank=True)

    class Meta:
        abstract = True

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class PatientQuerySet(models.QuerySet):
    def current(self):
        return self.filter(voided_at__isnull=True)

    def in_clinic(self, clinic):
        # The organisation follows from the clinic; naming it lets the unique
        # (organisation, record_number) index answer a record-number search in one probe.
        return self.filter(organisation_id=clinic.organisation_id, clinic=clinic)


class Patient(Voidable):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    record_number = models.CharField(max_length=32)
    given_name = models.CharField(max_length=150)
    family_name = models.CharField(max_length=150)
    # Normalised (lower-case, unaccented) copies of the names for indexed prefix search.
    given_key = models.CharField(max_length=150, editable=False)
    family_key = models.CharField(max_length=150, editable=False)
    date_of_birth = models.DateField()
    sex_at_birth = models.CharField(max_length=10, choices=SexAtBirth.choices)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    weight_kg = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    weight_measured_on = models.DateField(null=True, blank=True)
    height_cm = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    fitzpatrick_type = models.CharField(max_length=3, choices=Fitzpatrick.choices, blank=True)
    pregnancy_status = models.CharField(
        max_length=16, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN
    )
    pregnancy_asked_on = models.DateField(null=True, blank=True)
    breastfeeding_status = models.CharField(
        max_length=16, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN
    )
    breastfeeding_asked_on = models.DateField(null=True, blank=True)
    # "No allergies listed" is not "no known allergies": the second is an answer, with a date.
    no_known_allergies = models.BooleanField(default=False)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=Language.choices,
        default=DEFAULT_LANGUAGE,
        help_text=_("The tablet, the consent and the printed documents are in this language."),
    )
    allergies_reviewed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = PatientQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "record_number"], name="patient_record_number_unique"
            )
        ]
        indexes = [
            models.Index(fields=["clinic", "family_key"], name="patient_family_key"),
            models.Index(fields=["clinic", "given_key"], name="patient_given_key"),
            models.Index(fields=["clinic", "date_of_birth"], name="patient_dob"),
        ]

    def __str__(self) -> str:
        return f"{self.family_name.upper()}, {self.given_name} ({self.record_number})"

    def refresh_search_keys(self) -> None:
        self.given_key = name_key(self.given_name)
        self.family_key = name_key(self.family_name)

    def age_on(self, day) -> int:
        before_birthday = (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - before_birthday


class Allergy(Voidable):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="allergies")
    substance = models.CharField(max_length=200)
    reaction = models.CharField(max_length=200, blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.UNKNOWN)
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.substance


class Medication(Voidable):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="medications")
    name = models.CharField(max_length=200)
    dose = models.CharField(max_length=100, blank=True)
    anticoagulant = models.BooleanField(default=False)
    antiplatelet = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class Condition(Voidable):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="conditions")
    name = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name
