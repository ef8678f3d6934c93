"""Media (R4; `fhir.resources.R4B.media`, R4B keeping R4's Media): one per photo the patient
allowed for the clinical record, the image itself named by its path in the whole-record zip
(`photos/<sha256>.jpg`) with its size, FHIR's SHA-1 ``hash`` and mesochart's SHA-256.

Which photos: the clinical record is part of the treatment consent (`photos.models`), so a
photo is the record's when a treatment consent of the patient stood when it was taken (signed
at or before, not withdrawn by then). A photo taken when none stood leaves nothing: no Media,
no metadata, no file; the export's audit row counts it (`withheld`)."""

import base64
import hashlib
import hmac

from mesochart.interop.fhir.codes import (
    BODY_SITES,
    CONTENT_HASH,
    LOCAL,
    PLAN_REGION,
    SNOMED,
    local,
)
from mesochart.interop.fhir.ids import Refs
from mesochart.photos import storage
from mesochart.photos.poses import AREAS

MEDIA_TYPE = "http://terminology.hl7.org/CodeSystem/media-type"
MM_PER_PX = "https://mesochart.org/fhir/StructureDefinition/mm-per-pixel"
CONTENT_TYPE = "image/jpeg"  # `core.photo_intake` stores every image re-encoded as JPEG


def allowed(photo, consents: list) -> bool:
    """Whether a treatment consent of the patient stood when ``photo`` was taken."""
    return any(
        consent.signed_at <= photo.taken_at
        and (consent.withdrawn_at is None or consent.withdrawn_at > photo.taken_at)
        for consent in consents
    )


def withheld(patient) -> int:
    """How many of ``patient``'s photos the export leaves out (no consent stood)."""
    from mesochart.consent.models import Consent
    from mesochart.photos.models import Photo

    consents = list(Consent.objects.filter(patient=patient))
    return sum(not allowed(p, consents) for p in Photo.objects.filter(patient=patient))


def file_path(photo) -> str:
    """Where the image is in the whole-record zip (and what Media ``content.url`` says): by
    its SHA-256, so the name is the same wherever the record is exported from."""
    return f"photos/{photo.sha256}.jpg"


def verified_image(photo) -> bytes | None:
    """The stored image while it is still the one taken (its SHA-256), else None."""
    try:
        data = storage.read(photo.image_name)
    except FileNotFoundError:
        return None
    digest = hashlib.sha256(data).hexdigest()
    return data if hmac.compare_digest(digest, photo.sha256) else None


def labels(area: str, view: str) -> tuple[str, str]:
    found = AREAS.get(area)
    pose = found.view(view) if found else None
    return (str(found.label) if found else area, str(pose.label) if pose else view)


def body_site(area: str, label: str) -> dict:
    codings = [{"system": f"{LOCAL}/photo-area", "code": area, "display": label}]
    if area in BODY_SITES:
        code, display = BODY_SITES[area]
        codings.insert(0, {"system": SNOMED, "code": code, "display": display})
    return {"coding": codings, "text": label}


def media(refs: Refs, photo, patient_ref: dict, procedures: set[int]) -> dict:
    """``procedures``: the ids of the sessions the Bundle holds as Procedures."""
    area_label, view_label = labels(photo.area, photo.view)
    content = {
        "extension": [{"url": CONTENT_HASH, "valueString": photo.sha256}],
        "contentType": CONTENT_TYPE,
        "url": file_path(photo),
        "size": photo.size_bytes,
        "title": f"{area_label}, {view_label}",
        "creation": photo.taken_at.isoformat(),
    }
    data = verified_image(photo)
    if data is not None:  # FHIR's hash is the SHA-1 of the data (a lost file has none)
        sha1 = hashlib.sha1(data, usedforsecurity=False).digest()
        content["hash"] = base64.b64encode(sha1).decode()
    resource = {
        "resourceType": "Media",
        "id": refs.id("Media", photo.pk),
        "status": "completed",
        "type": {"coding": [{"system": MEDIA_TYPE, "code": "image", "display": "Image"}]},
        "view": local("photo-view", f"{photo.area}.{photo.view}", f"{area_label}, {view_label}"),
        "subject": patient_ref,
        "createdDateTime": photo.taken_at.isoformat(),
        "operator": refs.ref("Practitioner", photo.taken_by_id),
        "bodySite": body_site(photo.area, area_label),
        "width": photo.width_px,
        "height": photo.height_px,
        "content": content,
    }
    if photo.session_id in procedures:
        resource["partOf"] = [refs.ref("Procedure", photo.session_id)]
    extensions = []
    if photo.mm_per_px:
        extensions.append({"url": MM_PER_PX, "valueDecimal": photo.mm_per_px})
    if photo.plan_region_id is not None:
        area = refs.ref("BodyStructure", f"plan-{photo.plan_region_id}")
        extensions.append({"url": PLAN_REGION, "valueReference": area})
    if extensions:
        resource["extension"] = extensions
    if photo.kept_reason:
        resource["note"] = [{"text": photo.kept_reason}]
    return resource
