"""Education and marketing need the patient's own, revocable, consent; revoking it takes
the photos out of that purpose's gallery and export in the same request."""

import io

from PIL import Image

from mesochart.audit.models import AuditEvent
from mesochart.photos.models import PhotoConsent

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def _consent(client, patient, purpose, decision):
    return client.post(
        f"/photos/patient/{patient.pk}/consent/", {"purpose": purpose, "decision": decision}
    )


def test_revoking_marketing_consent_removes_the_photo_from_gallery_and_export(
    practice, client_for, take
):
    photo = take()
    nurse, practitioner = client_for(practice.nurse), client_for(practice.practitioner)
    export = f"/photos/{photo.pk}/marketing.jpg"
    assert practitioner.get(export).status_code == 404  # no consent yet
    assert _consent(nurse, practice.patient, "marketing", "grant").status_code == 302
    gallery = practitioner.get("/photos/purpose/marketing/").content.decode()
    assert export in gallery and "Lopez" not in gallery and "LOPEZ" not in gallery
    copy = practitioner.get(export)
    assert copy.status_code == 200
    assert dict(Image.open(io.BytesIO(copy.content)).getexif()) == {}
    assert AuditEvent.objects.filter(action="export", category="photo").count() == 1

    _consent(nurse, practice.patient, "marketing", "revoke")
    assert export not in practitioner.get("/photos/purpose/marketing/").content.decode()
    assert practitioner.get(export).status_code == 404
    # The clinical copy stays.
    assert practitioner.get(f"/photos/{photo.pk}/image.jpg").status_code == 200
    consent = PhotoConsent.objects.get()
    assert consent.revoked_at is not None and consent.revoked_by == practice.nurse


def test_education_consent_does_not_open_the_marketing_gallery(practice, client_for, take):
    photo = take()
    _consent(client_for(practice.nurse), practice.patient, "education", "grant")
    practitioner = client_for(practice.practitioner)
    assert practitioner.get(f"/photos/{photo.pk}/education.jpg").status_code == 200
    assert practitioner.get(f"/photos/{photo.pk}/marketing.jpg").status_code == 404


def test_revoking_what_was_never_granted_says_so(practice, client_for):
    nurse = client_for(practice.nurse)
    response = _consent(nurse, practice.patient, "marketing", "revoke")
    page = nurse.get(response["Location"]).content.decode()
    assert "Purpose: has no standing consent to revoke" in page


def test_a_consent_can_be_granted_again_after_revocation(practice, client_for):
    nurse = client_for(practice.nurse)
    for decision in ("grant", "revoke", "grant"):
        _consent(nurse, practice.patient, "education", decision)
    assert PhotoConsent.objects.count() == 2
    assert PhotoConsent.objects.standing().count() == 1
