"""Writes of photos and photo consent: validate, write in one transaction, audit explicitly.

`take_photo` refuses a hostile or poor file before anything is stored, then saves the image,
the thumbnail, the row and its audit entry (with the stored image's SHA-256, so the hash is
in the audit chain) together: if any step fails, the files already saved are deleted and the
transaction rolls back, so a row never points at a missing file and no file is orphaned.
Actions take the acting membership, never a request.
"""

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesochart.accounts.actor import Actor
from mesochart.audit.log import append, entry, record
from mesochart.audit.models import Action, Category
from mesochart.core import photo_intake, photo_quality
from mesochart.core.photo_align import marker_scale
from mesochart.photos import storage
from mesochart.photos.access import require
from mesochart.photos.forms import ConsentForm, PhotoForm
from mesochart.photos.models import Photo, PhotoConsent


def _links(patient, data) -> dict:
    """The session and plan region a photo belongs to, when given: the patient's own only."""
    from mesochart.planning.models import PlanRegion
    from mesochart.treatments.models import TreatmentSession

    links: dict[str, object] = {}
    if data.get("session"):
        links["session"] = TreatmentSession.objects.filter(
            pk=data["session"], patient=patient, clinic=patient.clinic
        ).first()
        if links["session"] is None:
            raise ValidationError({"session": _("is not a session of this patient")})
    if data.get("plan_region"):
        links["plan_region"] = PlanRegion.objects.filter(
            pk=data["plan_region"], plan__patient=patient
        ).first()
        if links["plan_region"] is None:
            raise ValidationError({"plan_region": _("is not a region of this patient's plans")})
    return links


def check_photo(data: bytes, fields: dict, patient):
    """Everything before storage: the form, the file, the quality; raise ValidationError."""
    form = PhotoForm(fields)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    clean = form.cleaned_data
    links = _links(patient, clean)
    try:
        processed = photo_intake.process(data)
    except photo_intake.PhotoRefused as refused:
        raise ValidationError({"photo": str(refused)}) from None
    pixels = np.asarray(processed.rgb)
    quality = photo_quality.assess(pixels)
    warnings = list(quality.warnings)
    mm_per_px = None
    if clean.get("marker_side_mm"):
        scale = marker_scale(pixels, float(clean["marker_side_mm"]))
        if scale is None:
            warnings.append(_("no printed marker found: the photo has no scale"))
        else:  # the stored image may be smaller than the decoded one
            mm_per_px = scale.mm_per_px * pixels.shape[1] / processed.image.width_px
    if warnings and not clean.get("keep_reason"):
        rule = "; ".join(warnings) + _(" (retake it, or keep it with a reason)")
        raise ValidationError({"photo": rule})
    return clean, links, processed, quality, warnings, mm_per_px


def take_photo(actor: Actor, patient, data: bytes, fields: dict) -> Photo:
    """Store one photo of ``patient`` (already fetched through `patients.access`)."""
    require(actor, "photo.take", patient=patient)
    clean, links, processed, quality, warnings, mm_per_px = check_photo(data, fields, patient)
    names = []
    try:
        with transaction.atomic():
            image_name = storage.save(
                storage.new_name(actor.clinic_id, "image"), processed.image.data
            )
            names.append(image_name)
            thumb_name = storage.save(
                storage.new_name(actor.clinic_id, "thumb"), processed.thumbnail.data
            )
            names.append(thumb_name)
            photo = Photo.objects.create(
                clinic=actor.clinic,
                patient=patient,
                area=clean["area"],
                view=clean["view"],
                taken_by=actor.user,
                image_name=image_name,
                thumb_name=thumb_name,
                sha256=processed.image.sha256,
                thumb_sha256=processed.thumbnail.sha256,
                width_px=processed.image.width_px,
                height_px=processed.image.height_px,
                size_bytes=len(processed.image.data),
                source_format=processed.source_format,
                sharpness=quality.sharpness,
                mean_grey=quality.mean_grey,
                quality_warnings=warnings,
                kept_reason=clean.get("keep_reason", "") if warnings else "",
                mm_per_px=mm_per_px,
                **links,
            )
            record(
                actor,
                Action.CREATE,
                Category.PHOTO,
                patient=patient,
                obj=photo,
                detail={
                    "sha256": photo.sha256,
                    "thumb_sha256": photo.thumb_sha256,
                    "area": photo.area,
                    "view": photo.view,
                    "warnings": warnings,
                },
            )
    except BaseException:
        for name in names:
            storage.delete_quietly(name)
        raise
    return photo


def record_gallery_read(actor: Actor, photos, what: str, purpose: str) -> None:
    """A clinic-wide gallery (several patients): one ``read`` row per patient shown."""
    by_patient: dict[int, list[int]] = {}
    for photo in photos:
        by_patient.setdefault(photo.patient_id, []).append(photo.pk)
    events = [
        entry(
            actor,
            Action.READ,
            Category.PHOTO,
            detail={"what": what, "purpose": purpose, "photo_ids": ids, "patient": pid},
        )
        for pid, ids in by_patient.items()
    ]
    for event, pid in zip(events, by_patient, strict=True):
        event.patient_id = pid
    if events:
        with transaction.atomic():
            append(events)


def record_export(actor: Actor, photo, purpose: str) -> None:
    record(
        actor,
        Action.EXPORT,
        Category.PHOTO,
        patient=photo.patient,
        obj=photo,
        detail={"purpose": purpose, "sha256": photo.sha256},
    )


def set_consent(actor: Actor, patient, fields: dict) -> PhotoConsent | None:
    """Grant or revoke the patient's consent to one optional purpose, at once."""
    require(actor, "photo.consent", patient=patient)
    form = ConsentForm(fields)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    purpose, decision = form.cleaned_data["purpose"], form.cleaned_data["decision"]
    with transaction.atomic():
        standing = (
            PhotoConsent.objects.select_for_update()
            .standing()
            .filter(patient=patient, purpose=purpose)
            .first()
        )
        if decision == "grant":
            if standing is not None:
                raise ValidationError({"purpose": _("is already consented to")})
            consent = PhotoConsent.objects.create(
                patient=patient, purpose=purpose, granted_by=actor.user
            )
        else:
            if standing is None:
                raise ValidationError({"purpose": _("has no standing consent to revoke")})
            standing.revoked_at = timezone.now()
            standing.revoked_by = actor.user
            standing.save(update_fields=["revoked_at", "revoked_by"])
            consent = standing
        record(
            actor,
            Action.UPDATE,
            Category.PHOTO,
            patient=patient,
            obj=consent,
            detail={"purpose": purpose, "decision": decision},
        )
    return consent
