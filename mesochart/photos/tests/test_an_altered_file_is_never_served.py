"""A stored photo is served only while it is what was stored: its SHA-256 is checked again on
every read. A file changed (or lost) in the storage after it was taken is refused with
``photo: rule``, never shown, and the mismatch is written to the audit log."""

from mesochart.audit.models import AuditEvent, Outcome
from mesochart.photos import actions
from mesochart.testing.plans import ApiCaller

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

RULE = "does not match its SHA-256"


def _alter(photo_root, name: str) -> None:
    """Someone with access to the storage edits the file: a few bytes in the middle."""
    path = photo_root / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _failures(photo):
    return AuditEvent.objects.filter(outcome=Outcome.FAILURE, object_id=str(photo.pk))


def _successful_reads(photo):
    return AuditEvent.objects.filter(
        action="read", outcome=Outcome.SUCCESS, object_id=str(photo.pk)
    )


def test_an_altered_image_is_refused_and_the_mismatch_audited(
    practice, client_for, take, photo_root
):
    photo = take()
    _alter(photo_root, photo.image_name)
    answer = client_for(practice.practitioner).get(f"/photos/{photo.pk}/image.jpg")
    assert answer.status_code == 409
    assert answer["Content-Type"].startswith("text/plain")
    assert RULE in answer.content.decode() and b"\xff\xd8" not in answer.content
    (failure,) = _failures(photo)
    assert (failure.action, failure.category, failure.patient_id) == (
        "read",
        "photo",
        practice.patient.pk,
    )
    assert failure.detail["file"] == "image"
    assert failure.detail["expected_sha256"] == photo.sha256
    assert failure.detail["found_sha256"] != photo.sha256
    assert not _successful_reads(photo).exists()


def test_an_altered_thumbnail_is_refused_through_the_api(practice, take, photo_root):
    photo = take()
    _alter(photo_root, photo.thumb_name)
    answer = ApiCaller(practice.nurse).get(f"/photos/{photo.pk}/thumbnail")
    assert answer.status_code == 409
    (error,) = answer.json()["errors"]
    assert error["field"] == "photo" and RULE in error["rule"]
    assert answer.json()["detail"].startswith("photo: the stored thumbnail ")
    assert _failures(photo).get().detail["file"] == "thumbnail"
    # The image itself is untouched, and still served.
    assert ApiCaller(practice.nurse).get(f"/photos/{photo.pk}/image").status_code == 200


def test_a_lost_file_is_refused_the_same_way(practice, client_for, take, photo_root):
    photo = take()
    (photo_root / photo.image_name).unlink()
    answer = client_for(practice.practitioner).get(f"/photos/{photo.pk}/image.jpg")
    assert answer.status_code == 409
    assert _failures(photo).get().detail["found_sha256"] == "missing"


def test_an_altered_photo_is_not_exported(practice, client_for, take, photo_root):
    photo = take()
    actions.set_consent(
        practice.actor(practice.nurse),
        practice.patient,
        {"purpose": "education", "decision": "grant"},
    )
    _alter(photo_root, photo.image_name)
    answer = client_for(practice.practitioner).get(f"/photos/{photo.pk}/education.jpg")
    assert answer.status_code == 409
    assert not AuditEvent.objects.filter(action="export", object_id=str(photo.pk)).exists()


def test_an_altered_photo_is_not_compared(practice, client_for, take, photo_root):
    earlier, later = take(), take()
    _alter(photo_root, later.image_name)
    answer = client_for(practice.practitioner).get(
        f"/photos/patient/{practice.patient.pk}/compare/", {"a": earlier.pk, "b": later.pk}
    )
    assert answer.status_code == 409
    assert f"photo: the stored image {RULE}" in answer.content.decode()
    assert "data-matrix" not in answer.content.decode()
    assert _failures(later).exists()


def test_an_altered_photo_is_not_aligned_through_the_api(practice, take, photo_root):
    earlier, later = take(), take()
    _alter(photo_root, earlier.image_name)
    answer = ApiCaller(practice.practitioner).post(
        "/photos/compare", {"earlier": earlier.pk, "later": later.pk}
    )
    assert answer.status_code == 409
    assert answer.json()["detail"].startswith("photo: the stored image ")
