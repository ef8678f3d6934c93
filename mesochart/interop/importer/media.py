"""Media: a clinical photo, imported with its image when the import is given the file its
``content.url`` names (the whole-record zip's `photos/<sha256>.jpg`); the image is stored as it
was exported (so its SHA-256 is the one recorded when it was taken), checked by
`core.photo_intake` like any upload before storage, with its thumbnail made again. The files
are stored before the rows: the caller deletes them if the import is refused
(`Context.stored`)."""

import hashlib
import hmac

import numpy as np

from mesochart.accounts.models import User
from mesochart.core import photo_intake, photo_quality
from mesochart.interop.fhir.codes import CONTENT_HASH, LOCAL, PLAN_REGION
from mesochart.interop.fhir.media import MM_PER_PX
from mesochart.interop.importer.context import Context, code_in, extension, moment
from mesochart.interop.importer.errors import refuse
from mesochart.photos import storage
from mesochart.photos.models import Photo
from mesochart.photos.poses import find
from mesochart.planning.models import PlanRegion
from mesochart.treatments.models import TreatmentSession


def import_photos(context: Context) -> None:
    for entry in context.each("Media"):
        context.keep(entry, _photo(context, entry))


def _photo(context: Context, entry) -> Photo:
    resource = entry.resource
    content = resource.get("content") or {}
    path = content.get("url", "")
    data = context.files.get(path)
    if data is None:
        refuse(
            entry.at("content", "url"),
            f"the photo's file {path} is not in the import (import the whole-record zip)",
        )
    signed = (extension(content, CONTENT_HASH) or {}).get("valueString", "")
    if not hmac.compare_digest(hashlib.sha256(data).hexdigest(), signed):
        refuse(entry.at("content", "url"), "its SHA-256 is not the content-sha256 extension's")
    if content.get("size") != len(data):
        refuse(entry.at("content", "size"), f"must be the file's size ({len(data)} bytes)")
    area_code = code_in(resource.get("bodySite"), f"{LOCAL}/photo-area") or ""
    view = (code_in(resource.get("view"), f"{LOCAL}/photo-view") or "").removeprefix(
        f"{area_code}."
    )
    if find(area_code, view) is None:
        refuse(entry.at("view"), f"{area_code}.{view} is not a standard view mesochart takes")
    try:
        processed = photo_intake.process(data)
    except photo_intake.PhotoRefused as refused:
        refuse(entry.at("content", "url"), str(refused))
    quality = photo_quality.assess(np.asarray(processed.rgb))
    session = None
    if resource.get("partOf"):
        session = context.row(resource["partOf"][0], entry.at("partOf", 0), TreatmentSession)
    clinic = context.patient.clinic
    image_name = _stored(context, storage.new_name(clinic.pk, "image"), data)
    thumb_name = _stored(context, storage.new_name(clinic.pk, "thumb"), processed.thumbnail.data)
    scale = extension(resource, MM_PER_PX)
    area = extension(resource, PLAN_REGION)
    plan_region = (
        context.row(area.get("valueReference"), entry.at("extension"), PlanRegion)
        if area is not None
        else None
    )
    return Photo.objects.create(
        clinic=clinic,
        patient=context.patient,
        session=session,
        plan_region=plan_region,
        area=area_code,
        view=view,
        taken_at=moment(resource.get("createdDateTime"), entry.at("createdDateTime")),
        taken_by=context.row(resource.get("operator"), entry.at("operator"), User),
        image_name=image_name,
        thumb_name=thumb_name,
        sha256=signed,
        thumb_sha256=processed.thumbnail.sha256,
        width_px=resource.get("width") or processed.image.width_px,
        height_px=resource.get("height") or processed.image.height_px,
        size_bytes=len(data),
        source_format=processed.source_format,
        sharpness=quality.sharpness,
        mean_grey=quality.mean_grey,
        quality_warnings=list(quality.warnings),
        kept_reason=((resource.get("note") or [{}])[0]).get("text", ""),
        mm_per_px=scale.get("valueDecimal") if scale else None,
    )


def _stored(context: Context, name: str, data: bytes) -> str:
    stored = storage.save(name, data)
    context.stored.append(stored)
    return stored
