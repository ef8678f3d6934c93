"""The one way in to photos: the caller's clinic, by role, and by purpose.

A photo of another clinic (or of a voided patient) is not found (404), and neither is a
photo asked for a purpose its patient has not consented to (or has revoked): for that
purpose it does not exist. A role without the permission is refused (403). The role check
and the lookup are `lib.access`'s, so both refusals are written to the audit log with
outcome ``denied`` (category ``photo``), as for every other app.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mesochart.lib.access import get_or_404, require
from mesochart.photos.models import OPTIONAL_PURPOSES, Photo, PhotoConsent, Purpose

__all__ = ["consent_state", "get_photo", "patient_photos", "photos_for", "plan_photos", "require"]
PUBLISH = "photo.publish"


def permission_for(purpose: str) -> str:
    return "photo.view" if purpose == Purpose.CLINICAL else PUBLISH


def photos_for(membership, purpose: str = Purpose.CLINICAL, *, patient=None):
    """The clinic's photos that may be shown for ``purpose`` right now (a refusal names
    ``patient`` when the photos asked for are one patient's)."""
    require(membership, permission_for(purpose), patient=patient, detail={"purpose": purpose})
    return Photo.objects.in_clinic(membership.clinic).consented_to(purpose)


def patient_photos(membership, patient, purpose: str = Purpose.CLINICAL):
    """One patient's photos (``patient`` already fetched through `patients.access`)."""
    return photos_for(membership, purpose, patient=patient).filter(patient=patient)


def plan_photos(membership, plan):
    """The photos taken for ``plan`` (one of its regions or sessions); ``plan.patient``
    already fetched through `patients.access`."""
    rows = patient_photos(membership, plan.patient)
    return rows.filter(Q(plan_region__plan=plan) | Q(session__plan=plan)).distinct()


def get_photo(membership, pk, purpose: str = Purpose.CLINICAL, permission: str | None = None):
    permission = permission or permission_for(purpose)
    if membership is None:
        raise PermissionDenied(
            _("Your role may not do this (%(permission)s).") % {"permission": permission}
        )
    rows = Photo.objects.in_clinic(membership.clinic).consented_to(purpose)
    return get_or_404(
        membership,
        rows.select_related("patient"),
        pk,
        permission,
        key="photo_id",
        what="photo",
        detail={"purpose": purpose},
    )


def consent_state(patient) -> list[tuple[Purpose, bool]]:
    """Each optional purpose and whether the patient's consent to it stands now
    (``patient`` already fetched through `patients.access`)."""
    standing = set(
        PhotoConsent.objects.standing().filter(patient=patient).values_list("purpose", flat=True)
    )
    return [(p, p.value in standing) for p in OPTIONAL_PURPOSES]
