"""Signing, withdrawing and verifying consents; marketing-photo consent.

Anyone at the clinic may witness a signature (``consent.collect``). The page sends back the
SHA-256 of the document it showed; if the document rendered now differs (a template changed
in between), the signature is refused, so a patient only ever signs the text they read. The
signing's audit row carries the document's and the signature's hashes, so `verify` can tell a
document altered in the table even when its stored hash was altered with it.
"""

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from mesochart.accounts.actor import Actor
from mesochart.audit.log import record
from mesochart.audit.models import Action, AuditEvent, Category
from mesochart.consent.access import require
from mesochart.consent.actions.common import refuse, valid
from mesochart.consent.document import prepare, sha256_text
from mesochart.consent.facts import Target
from mesochart.consent.forms import PhotoConsentForm, SignForm, WithdrawForm
from mesochart.consent.models import Consent, PhotoConsent


def sign_consent(actor: Actor, patient, *, target: Target, data: dict) -> Consent:
    """Store the signed document; ``data``: signer_name, signature (PNG data URL),
    document_sha256 (of the document shown), photo_marketing (bool, default no). The device
    it was signed on is the actor's user agent (the tablet's browser)."""
    require(actor, "consent.collect")
    cleaned = valid(SignForm(data))
    prepared = prepare(actor.clinic, patient, target, actor.clinic.today())
    if cleaned["document_sha256"] != prepared.sha256:
        refuse(
            "document_sha256",
            "the document changed after it was shown: read the new version before signing",
        )
    png = cleaned["signature"]
    with transaction.atomic():
        consent = Consent.objects.create(
            patient=patient,
            clinic=actor.clinic,
            indication=target.indication,
            area=target.area,
            cocktail_version=target.cocktail_version,
            product_slugs=list(prepared.product_slugs),
            document=prepared.text,
            document_sha256=prepared.sha256,
            signature_png=png,
            signature_sha256=hashlib.sha256(png).hexdigest(),
            signer_name=cleaned["signer_name"],
            witness=actor.user,
            user_agent=actor.user_agent,
        )
        consent.template_versions.set(prepared.template_versions)
        record(
            actor,
            Action.CREATE,
            Category.CLINICAL,
            patient=patient,
            obj=consent,
            detail={
                "document_sha256": consent.document_sha256,
                "signature_sha256": consent.signature_sha256,
                "template_versions": [v.pk for v in prepared.template_versions],
                "indication": consent.indication,
                "area": consent.area,
                "products": consent.product_slugs,
            },
        )
        _photo_decision(actor, patient, cleaned["photo_marketing"])
    return consent


def withdraw_consent(actor: Actor, consent: Consent, data: dict) -> Consent:
    """Record the patient's withdrawal: the consent stays, and no longer covers any session."""
    require(actor, "consent.collect")
    cleaned = valid(WithdrawForm(data))
    with transaction.atomic():
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        if locked.withdrawn:
            refuse("consent", "is already withdrawn")
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = actor.user
        locked.withdrawal_reason = cleaned["reason"]
        locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        record(
            actor,
            Action.UPDATE,
            Category.CLINICAL,
            patient=locked.patient,
            obj=locked,
            detail={"withdrawn": True, "reason": locked.withdrawal_reason},
        )
    return locked


def record_photo_consent(actor: Actor, patient, data: dict) -> PhotoConsent:
    """The patient's yes or no to marketing photographs (no until they say yes)."""
    require(actor, "consent.collect")
    cleaned = valid(PhotoConsentForm(data))
    with transaction.atomic():
        return _photo_decision(actor, patient, cleaned["granted"])


def _photo_decision(actor: Actor, patient, granted: bool) -> PhotoConsent:
    decision = PhotoConsent.objects.create(
        patient=patient, clinic=actor.clinic, granted=granted, recorded_by=actor.user
    )
    record(
        actor,
        Action.CREATE,
        Category.CLINICAL,
        patient=patient,
        obj=decision,
        detail={"marketing_photos": "yes" if granted else "no"},
    )
    return decision


@dataclass
class Verification:
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(consent: Consent) -> Verification:
    """Recompute the hashes of what is stored and compare them with the signing's record."""
    result = Verification()
    if sha256_text(consent.document) != consent.document_sha256:
        result.problems.append("document: does not match its SHA-256; the stored text changed")
    if hashlib.sha256(bytes(consent.signature_png)).hexdigest() != consent.signature_sha256:
        result.problems.append("signature: does not match its SHA-256; the image changed")
    signed = (
        AuditEvent.objects.filter(
            object_type="consent", object_id=str(consent.pk), action=Action.CREATE
        )
        .order_by("pk")
        .first()
    )
    if signed is None:
        result.problems.append("audit: the signing is not in the audit log")
    else:
        for name in ("document_sha256", "signature_sha256"):
            if signed.detail.get(name) != getattr(consent, name):
                result.problems.append(
                    f"{name}: differs from the audit log's record of the signing"
                )
    for version in consent.template_versions.select_related("template"):
        if not version.is_intact():
            result.problems.append(
                f"template: {version} was altered after it was saved (its SHA-256 differs)"
            )
    return result
