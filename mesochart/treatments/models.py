"""Treatment sessions: what actually went into a patient, signed and locked; amendments;
adverse events.

A session is a draft until its performing practitioner signs it (`actions.sign_session`).
Signing stores the SHA-256 of the record's canonical content (`content.canonical`) and
from then on every write path refuses it: a change is an `Amendment` (an addendum, or a
correction carrying the changed fields), and the original stays readable as signed.

Points administered are kept like a plan's: one JSON list per region inside ``regions``
(``[{"view", "region", "depth_mm", "volume_ml", "points": [[x_cm, y_cm, ...], ...]}]``),
copied from the plan when the session starts, so a 60-point session is one row to sign.

Times: ``started_at`` is when the session was performed, the moment every clinical reading
uses (the timeline, the recall's uses, the dose engine's history, lot expiry); ``created_at``
is when it was entered and ``signed_at`` when it was signed. A session recorded after the
fact (a late entry, `treatments.late_entry`) is started with the real time it was performed
and a written reason: its ``started_at`` then lies before its ``created_at``, and the record
says "late entry" wherever it is shown.

Volumes: ``volume_drawn_ml`` is what left the vial; ``volume_wasted_ml`` is the part of it
discarded (0 ≤ wasted ≤ drawn); the difference was administered. Signing posts both to
the stock ledger. Nothing here overrides ``save()``: the rules live in `actions`.
"""

from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesochart.accounts.models import Clinic
from mesochart.formulary.models import CocktailVersion, Lot, Product
from mesochart.patients.models import Patient
from mesochart.planning.models import Plan, PlanSession, Technique


class SessionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    VOIDED = "voided", _("Voided (draft abandoned)")


class SessionQuerySet(models.QuerySet):
    def in_clinic(self, clinic):
        return self.filter(clinic=clinic, patient__voided_at__isnull=True)

    def signed(self):
        return self.filter(status=SessionStatus.SIGNED)

    def current(self):
        return self.exclude(status=SessionStatus.VOIDED)


class TreatmentSession(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="treatment_sessions"
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="treatment_sessions")
    # Null for an ad hoc session (still under an approved plan).
    plan_session = models.ForeignKey(
        PlanSession, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cocktail_version = models.ForeignKey(
        CocktailVersion, on_delete=models.PROTECT, related_name="+"
    )
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.DRAFT
    )
    started_at = models.DateTimeField(default=timezone.now)
    technique = models.CharField(max_length=20, choices=Technique.choices, blank=True)
    needle_gauge = models.PositiveSmallIntegerField(null=True, blank=True)
    needle_length_mm = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    depth_mm = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    areas = models.JSONField(default=list, blank=True)
    regions = models.JSONField(default=list, blank=True)
    anaesthesia = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    aftercare = models.TextField(blank=True)
    # Relative pre-flight items accepted with a written reason: {item key: reason}.
    acknowledgements = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    content_hash = models.CharField(max_length=64, blank=True)
    void_reason = models.TextField(blank=True)
    # Signed as a deviation (`core.deviation`): what was administered differs from the plan.
    # The findings signed past (their messages) and the practitioner's written justification;
    # both empty for a session signed as planned. Covered by the signature's hash.
    deviation_findings = models.JSONField(default=list, blank=True)
    deviation_justification = models.TextField(blank=True)
    # A late entry (`treatments.late_entry`): why the session is recorded after the fact;
    # empty for a session recorded as it was performed. Covered by the signature's hash.
    late_entry_reason = models.TextField(blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["patient", "-started_at"], name="tx_session_patient"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["plan_session"],
                condition=Q(plan_session__isnull=False) & ~Q(status="voided"),
                name="tx_plan_session_recorded_once",
            ),
            models.CheckConstraint(
                condition=~Q(status="signed") | (Q(signed_at__isnull=False) & ~Q(content_hash="")),
                name="tx_signed_has_hash",
            ),
            models.CheckConstraint(
                condition=~Q(status="signed") | Q(signed_by__isnull=False),
                name="tx_signed_has_signer",
            ),
        ]

    def __str__(self) -> str:
        return f"Session of {self.started_at:%Y-%m-%d} ({self.get_status_display()})"

    @property
    def signed(self) -> bool:
        return self.status == SessionStatus.SIGNED

    @property
    def is_deviation(self) -> bool:
        return bool(self.deviation_justification)

    @property
    def is_late_entry(self) -> bool:
        return bool(self.late_entry_reason)

    @property
    def performed_at(self):
        """When the session was performed (``started_at``), as the record names it beside
        when it was entered (``created_at``) and signed (``signed_at``)."""
        return self.started_at

    def performed_on(self) -> date:
        """The clinic's date of the performed time."""
        return timezone.localtime(self.started_at, ZoneInfo(self.clinic.time_zone)).date()

    def judged_on(self) -> date:
        """The day the pre-flight judges lots' expiry, the practitioner's licence, the
        screening and the dose engine's history on: a late entry's performed day; for a
        session recorded as it is performed, the clinic's today (a draft left open overnight
        is signed against today's stock and licence, as before)."""
        return self.performed_on() if self.is_late_entry else self.clinic.today()

    @property
    def point_count(self) -> int:
        return sum(len(region.get("points") or []) for region in self.regions)


class SessionProduct(models.Model):
    session = models.ForeignKey(TreatmentSession, on_delete=models.PROTECT, related_name="products")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="session_uses")
    volume_drawn_ml = models.DecimalField(max_digits=8, decimal_places=3)
    volume_wasted_ml = models.DecimalField(max_digits=8, decimal_places=3, default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(volume_drawn_ml__gt=0)
                & Q(volume_wasted_ml__gte=0)
                & Q(volume_wasted_ml__lte=models.F("volume_drawn_ml")),
                name="tx_product_volumes_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.volume_drawn_ml} mL of {self.lot}"

    @property
    def volume_administered_ml(self):
        return self.volume_drawn_ml - self.volume_wasted_ml


class LotUse(models.Model):
    """One lot given in one signed session, as a recall reads it.

    Written in the signing transaction (`for_signed`), never changed afterwards: a signed
    record is never edited, and a correction of its areas is read from its amendments, as
    everywhere. Why a table of its own: a recall must reach everyone who received a lot
    within minutes, and read through the sessions a lot used 5,000 times costs 5,000
    lookups of session rows, a conversion of each moment to the clinic's day and a sort
    (bench/bench_treatments.py). Here each use already holds its patient, practitioner,
    moment, the clinic's day and the areas as signed, found by lot in order of the moment.
    """

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="+", db_index=False)
    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, related_name="lot_uses", db_index=False
    )
    position = models.PositiveSmallIntegerField()
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    administered_at = models.DateTimeField()
    day = models.DateField(help_text=_("the clinic's date of administered_at"))
    areas = models.JSONField(default=list)
    volume_administered_ml = models.DecimalField(max_digits=8, decimal_places=3)
    volume_wasted_ml = models.DecimalField(max_digits=8, decimal_places=3)
    # A lot or volume corrected after signing (`treatments.corrections`): the use as signed is
    # marked superseded by the correction (never deleted, its other columns never rewritten),
    # and the correction writes the true use, saying what it replaced in ``corrected_from``.
    # No index of its own: nearly every value is null, and one would draw the recall's
    # planner away from the partial index below.
    superseded_by = models.ForeignKey(
        "Amendment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    corrected_from = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [
            # The recall reads a lot's uses from this index alone, in order of the moment,
            # never visiting the table: every column it asks for is in the key.
            models.Index(
                fields=[
                    "lot",
                    "administered_at",
                    "session",
                    "position",
                    "patient",
                    "practitioner",
                    "day",
                    "volume_administered_ml",
                    "volume_wasted_ml",
                    "areas",
                    "corrected_from",
                ],
                # Only the uses a correction has not superseded: what a recall reads.
                condition=Q(superseded_by__isnull=True),
                name="tx_lot_use_recall",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "position"],
                condition=Q(superseded_by__isnull=True),
                name="tx_lot_use_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.volume_administered_ml} mL of lot {self.lot_id} on {self.day}"

    @classmethod
    def for_signed(cls, session, products, time_zone: str) -> list["LotUse"]:
        """The uses of a session being signed, one per product row (``products``, in the
        record's order), dated in the clinic's ``time_zone``: an evening session in Sydney is not
        dated the next morning in UTC."""
        day = timezone.localtime(session.started_at, ZoneInfo(time_zone)).date()
        return [
            cls(
                lot_id=row.lot_id,
                session_id=session.pk,
                position=position,
                patient_id=session.patient_id,
                practitioner_id=session.practitioner_id,
                administered_at=session.started_at,
                day=day,
                areas=list(session.areas),
                volume_administered_ml=row.volume_administered_ml,
                volume_wasted_ml=row.volume_wasted_ml,
            )
            for position, row in enumerate(products)
        ]


class AmendmentKind(models.TextChoices):
    ADDENDUM = "addendum", _("Addendum")
    CORRECTION = "correction", _("Correction")


class Amendment(models.Model):
    """A later note on a signed session. A correction's ``changes`` are
    ``{field: {"from": signed value, "to": corrected value}}``; the session row keeps the
    signed values."""

    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, related_name="amendments"
    )
    kind = models.CharField(max_length=12, choices=AmendmentKind.choices)
    text = models.TextField()
    reason = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.at:%Y-%m-%d}"


class EventType(models.TextChoices):
    BRUISING = "bruising", _("Bruising")
    PAIN = "pain", _("Pain")
    SWELLING = "swelling", _("Swelling")
    NODULE = "nodule", _("Nodule")
    PIGMENTATION = "pigmentation", _("Pigmentation")
    ULCERATION = "ulceration", _("Ulceration")
    NECROSIS = "necrosis", _("Necrosis")
    INFECTION = "infection", _("Infection")
    NERVE_INJURY = "nerve_injury", _("Nerve injury")
    DYSPHAGIA = "dysphagia", _("Dysphagia")
    ALLERGIC_REACTION = "allergic_reaction", _("Allergic reaction")
    OTHER = "other", _("Other")


class EventSeverity(models.TextChoices):
    MILD = "mild", _("Mild")
    MODERATE = "moderate", _("Moderate")
    SEVERE = "severe", _("Severe")


class Seriousness(models.TextChoices):
    """MedWatch 3500 box B2 outcomes attributed to the adverse event."""

    DEATH = "death", _("Death")
    LIFE_THREATENING = "life_threatening", _("Life-threatening")
    HOSPITALISATION = "hospitalisation", _("Hospitalisation (initial or prolonged)")
    DISABILITY = "disability", _("Disability or permanent damage")
    CONGENITAL = "congenital", _("Congenital anomaly / birth defect")
    INTERVENTION = "intervention", _("Required intervention to prevent permanent damage")
    OTHER_SERIOUS = "other_serious", _("Other serious (important medical event)")


class Causality(models.TextChoices):
    """WHO-UMC causality categories."""

    CERTAIN = "certain", _("Certain")
    PROBABLE = "probable", _("Probable / likely")
    POSSIBLE = "possible", _("Possible")
    UNLIKELY = "unlikely", _("Unlikely")
    UNASSESSABLE = "unassessable", _("Unassessable")


class EventOutcome(models.TextChoices):
    RECOVERED = "recovered", _("Recovered")
    RECOVERING = "recovering", _("Recovering")
    NOT_RECOVERED = "not_recovered", _("Not recovered")
    SEQUELAE = "sequelae", _("Recovered with sequelae")
    FATAL = "fatal", _("Fatal")
    UNKNOWN = "unknown", _("Unknown")


class AdverseEventQuerySet(models.QuerySet):
    def in_clinic(self, clinic):
        return self.filter(clinic=clinic, patient__voided_at__isnull=True)


class AdverseEvent(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="adverse_events")
    session = models.ForeignKey(
        TreatmentSession,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adverse_events",
    )
    lots = models.ManyToManyField(Lot, blank=True, related_name="+")
    # Suspect products whose lot is not known (the lots above name their own products).
    products = models.ManyToManyField("formulary.Product", blank=True, related_name="+")
    event_type = models.CharField(max_length=20, choices=EventType.choices)
    description = models.TextField(blank=True)
    severity = models.CharField(max_length=10, choices=EventSeverity.choices)
    # Empty: not serious. Otherwise the MedWatch outcomes that make it serious.
    seriousness = models.JSONField(default=list, blank=True)
    onset_on = models.DateField()
    causality = models.CharField(max_length=15, choices=Causality.choices)
    actions_taken = models.TextField(blank=True)
    outcome = models.CharField(
        max_length=15, choices=EventOutcome.choices, default=EventOutcome.UNKNOWN
    )
    follow_up_dates = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # Raised by every follow-up (`events.follow_up`): one made from a stale version is refused.
    version = models.PositiveIntegerField(default=1)

    objects = AdverseEventQuerySet.as_manager()

    class Meta:
        ordering = ["-onset_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} from {self.onset_on}"

    @property
    def serious(self) -> bool:
        return bool(self.seriousness)


class AdverseEventUpdate(models.Model):
    """A follow-up of an adverse event (`events.follow_up`). The event row holds the current
    outcome, actions, follow-up dates, causality and seriousness; each follow-up keeps what it
    changed as ``{field: {"from": value before, "to": value after}}`` with who, when and a
    note, so the event as first reported can still be read."""

    event = models.ForeignKey(AdverseEvent, on_delete=models.PROTECT, related_name="updates")
    changes = models.JSONField(default=dict)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Follow-up of {self.at:%Y-%m-%d}"
