"""Photos over the JSON API: the same access functions and actions as the pages."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from mesochart.audit.log import record_read
from mesochart.audit.models import Category
from mesochart.core.photo_align import two_point
from mesochart.patients.access import get_patient
from mesochart.photos import actions
from mesochart.photos.access import consent_state, get_photo, patient_photos
from mesochart.photos.files import PhotoAltered, read_checked
from mesochart.photos.models import Purpose
from mesochart.photos.views import PRIVATE, _read_capped, audit_read, comparison

router = Router(tags=["photos"])


class PhotoOut(Schema):
    id: int
    patient_id: int
    area: str
    view: str
    taken_at: datetime
    sha256: str
    width_px: int
    height_px: int
    sharpness: float
    quality_warnings: list[str]
    kept_reason: str
    mm_per_px: float | None
    session_id: int | None
    plan_region_id: int | None


class PhotoFields(Schema):
    area: str
    view: str
    session: int | None = None
    plan_region: int | None = None
    keep_reason: str = ""
    marker_side_mm: float | None = None


class AlignIn(Schema):
    earlier: int
    later: int
    earlier_points: list[list[float]] | None = None
    later_points: list[list[float]] | None = None


class AlignmentOut(Schema):
    earlier: int
    later: int
    ok: bool
    reason: str
    matrix: list[list[float]] | None
    inliers: int
    method: str


class ConsentIn(Schema):
    purpose: str
    decision: str


class PhotoConsentOut(Schema):
    purpose: str
    standing: bool


class Altered(HttpError):
    """409 ``photo: rule``: the stored file does not match its SHA-256 (see `photos.files`)."""

    def __init__(self, error: PhotoAltered):
        super().__init__(409, error.rule)
        self.field = "photo"


ALTERED = {
    "responses": {
        "409": {
            "description": "photo: the stored file does not match its SHA-256; not served",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    }
}


@router.post("/patients/{patient_id}/photos", response={201: PhotoOut})
def upload(request, patient_id: int, fields: Form[PhotoFields], photo: File[UploadedFile]):
    patient = get_patient(request.membership, patient_id, "photo.take")
    data = {k: v for k, v in fields.dict().items() if v not in (None, "")}
    return Status(201, actions.take_photo(request.actor, patient, _read_capped(photo), data))


@router.get("/patients/{patient_id}/photos", response=list[PhotoOut])
def list_photos(request, patient_id: int, purpose: str = Purpose.CLINICAL):
    patient = get_patient(request.membership, patient_id, "photo.view")
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": "must be one of " + ", ".join(Purpose.values)})
    photos = list(patient_photos(request.membership, patient, purpose))
    audit_read(request, patient, photos, "api list", purpose)
    return photos


@router.post("/photos/compare", response=AlignmentOut, openapi_extra=ALTERED)
def compare(request, body: AlignIn):
    """Align the later photo to the earlier: automatically, or through two points placed on
    each (``earlier_points``/``later_points``, full-size pixels, same order)."""
    try:
        earlier, later, found = comparison(request.actor, body.earlier, body.later)
    except PhotoAltered as error:
        raise Altered(error) from None
    method = "features"
    if body.earlier_points or body.later_points:
        if len(body.earlier_points or []) != 2 or len(body.later_points or []) != 2:
            raise ValidationError({"earlier_points": _("must be two points on each photo")})
        (e1, e2), (l1, l2) = body.earlier_points or [], body.later_points or []
        found = two_point(((e1[0], e1[1]), (e2[0], e2[1])), ((l1[0], l1[1]), (l2[0], l2[1])))
        method = "two points"
    audit_read(request, earlier.patient, [earlier, later], "api compare")
    return {
        "earlier": earlier.pk,
        "later": later.pk,
        "ok": found.ok,
        "reason": found.reason,
        "matrix": [list(r) for r in found.matrix] if found.matrix else None,
        "inliers": found.inliers,
        "method": method,
    }


@router.get("/photos/{photo_id}", response=PhotoOut)
def fetch(request, photo_id: int):
    photo = get_photo(request.membership, photo_id)
    audit_read(request, photo.patient, [photo], "api metadata")
    return photo


def _file(request, photo_id: int, which: str):
    photo = get_photo(request.membership, photo_id)
    try:
        data = read_checked(request.actor, photo, which)
    except PhotoAltered as error:
        raise Altered(error) from None
    audit_read(request, photo.patient, [photo], f"api {which}")
    return HttpResponse(data, content_type="image/jpeg", headers=PRIVATE)


@router.get("/photos/{photo_id}/image", response={200: None}, openapi_extra=ALTERED)
def image(request, photo_id: int):
    return _file(request, photo_id, "image")


@router.get("/photos/{photo_id}/thumbnail", response={200: None}, openapi_extra=ALTERED)
def thumbnail(request, photo_id: int):
    return _file(request, photo_id, "thumbnail")


@router.get("/patients/{patient_id}/photo-consents", response=list[PhotoConsentOut])
def consents(request, patient_id: int):
    patient = get_patient(request.membership, patient_id, "photo.view")
    return _consents(request, patient)


def _consents(request, patient) -> list[dict]:
    state = consent_state(patient)
    record_read(
        request.actor,
        patient=patient,
        category=Category.PHOTO,
        detail={"what": "api photo consents", "consents": {p.value: s for p, s in state}},
    )
    return [{"purpose": p.value, "standing": s} for p, s in state]


@router.post("/patients/{patient_id}/photo-consents", response=list[PhotoConsentOut])
def set_consent(request, patient_id: int, body: ConsentIn):
    patient = get_patient(request.membership, patient_id, "photo.consent")
    actions.set_consent(request.actor, patient, body.dict())
    return _consents(request, patient)
