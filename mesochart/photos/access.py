"""The one way in to photos: the caller's clinic, by role, and by purpose.

A photo of another clinic (or of a voided patient) is not found (404), and neither is a
photo asked for a purpose its patient has not consented to (or has revoked): for that
purpose it does not exist. A role without the permission is refused (403). Both refusals
are written to the audit log with outcome ``denied``, as `patients.access.get_patient` does.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from mesochart.accounts.roles import allows
from mesochart.audit.models import Category
from mesochart.patients.access import refused
from mesochart.photos.models import OPTIONAL_PURPOSES, Photo, PhotoConsent, Purpose

PUBLISH = "photo.publish"


def permission_for(purpose: str) -> str:
    return "photo.view" if purpose == Purpose.CLINICAL else PUBLISH


def require(membership, permission: str) -> None:
    if membership is None or not allows(membership.role, permission):
        raise PermissionDenied(f"Your role may not do this ({permission}).")


def photos_for(membership, purpose: str = Purpose.CLINICAL):
    """The clinic's photos that may be shown for ``purpose`` right now."""
    require(membership, permission_for(purpose))
    return Photo.objects.in_clinic(membership.clinic).consented_to(purpose)


def patient_photos(membership, patient, purpose: str = Purpose.CLINICAL):
    """One patient's photos (``patient`` already fetched through `patients.access`)."""
    return photos_for(membership, purpose).filter(patient=patient)


def get_photo(membership, pk, purpose: str = Purpose.CLINICAL, permission: str | None = None):
    permission = permission or permission_for(purpose)
    if membership is None:
        raise PermissionDenied(f"Your role may not do this ({permission}).")
    rows = Photo.objects.in_clinic(membership.clinic).consented_to(purpose)
    try:
        photo = rows.select_related("patient").get(pk=pk)
    except (Photo.DoesNotExist, ValueError, TypeError):
        detail = {"photo_id": str(pk), "reason": "not in this clinic", "purpose": purpose}
        refused(membership, None, detail, Category.PHOTO)
        raise Http404("No such photo in this clinic.") from None
    if not allows(membership.role, permission):
        refused(
            membership,
            photo.patient,
            {"photo_id": str(pk), "permission": permission},
            Category.PHOTO,
        )
        raise PermissionDenied(f"Your role may not do this ({permission}).")
    return photo


def consent_state(patient) -> list[tuple[Purpose, bool]]:
    """Each optional purpose and whether the patient's consent to it stands now
    (``patient`` already fetched through `patients.access`)."""
    standing = set(
        PhotoConsent.objects.standing().filter(patient=patient).values_list("purpose", flat=True)
    )
    return [(p, p.value in standing) for p in OPTIONAL_PURPOSES]
