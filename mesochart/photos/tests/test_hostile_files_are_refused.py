"""Hostile files are refused before anything is stored ("Photo: rule" on the page,
``photo: rule`` from the API): no file, no row, no audit entry of a photo; and a failure
after storage leaves nothing half-written."""

import pytest

from mesochart.audit.models import AuditEvent
from mesochart.photos import actions
from mesochart.photos.models import Photo
from mesochart.testing import photos as support
from mesochart.testing.photos import stored_files, upload

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

RULES = {
    "not an image": "must be a JPEG, PNG or HEIC image",
    "truncated": "has data after the end of the image, or is truncated",
    "decompression bomb": "must have at most 50 megapixels",
    "svg named .jpg": "must be a JPEG, PNG or HEIC image",
    "html named .jpg": "must be a JPEG, PNG or HEIC image",
    "polyglot (html after the image)": "has data after the end of the image, or is truncated",
    "polyglot (zip after the image)": "has data after the end of the image, or is truncated",
    "script in a jpeg comment": "contains markup or script (not a plain image)",
    "svg in a png text chunk": "contains markup or script (not a plain image)",
}


def _nothing_written(photo_root):
    assert Photo.objects.count() == 0
    assert stored_files(photo_root) == []
    assert not AuditEvent.objects.filter(action="create", category="photo").exists()


@pytest.mark.parametrize("kind", list(support.HOSTILE))
def test_a_hostile_file_is_refused_and_leaves_nothing(practice, client_for, photo_root, kind):
    response = client_for(practice.nurse).post(
        f"/photos/patient/{practice.patient.pk}/capture/",
        {"area": "face", "view": "front", "photo": upload(support.HOSTILE[kind])},
    )
    assert response.status_code == 422
    assert f"Photo: {RULES[kind]}" in response.content.decode()
    assert f"photo: {RULES[kind]}" not in response.content.decode()
    _nothing_written(photo_root)


def test_a_200_mb_file_is_refused_without_being_read(practice, client_for, photo_root):
    huge = b"\xff\xd8\xff" + b"\0" * (200 * 1024 * 1024)
    response = client_for(practice.nurse).post(
        f"/photos/patient/{practice.patient.pk}/capture/",
        {"area": "face", "view": "front", "photo": upload(huge)},
    )
    assert response.status_code == 422
    assert "Photo: must be at most 30 MB" in response.content.decode()
    _nothing_written(photo_root)


def test_the_api_refuses_a_hostile_file_as_field_and_rule(practice, photo_root):
    from mesochart.testing.plans import ApiCaller

    api = ApiCaller(practice.nurse)
    response = api.client.post(
        f"/api/v1/patients/{practice.patient.pk}/photos",
        {"area": "face", "view": "front", "photo": upload(support.HOSTILE["html named .jpg"])},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "photo", "rule": "must be a JPEG, PNG or HEIC image"}
    ]
    _nothing_written(photo_root)


def test_a_view_that_is_not_of_the_area_is_refused(take, photo_root):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        take(area="scalp", view="profile_left")
    assert refused.value.message_dict == {"view": ["is not a standard view of this area"]}
    _nothing_written(photo_root)


def test_a_failure_after_the_files_are_saved_removes_them(take, photo_root, monkeypatch):
    def broken_audit(*args, **kwargs):
        raise RuntimeError("audit chain unavailable")

    monkeypatch.setattr(actions, "record", broken_audit)
    with pytest.raises(RuntimeError):
        take()
    _nothing_written(photo_root)
