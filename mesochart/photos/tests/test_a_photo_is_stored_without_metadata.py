"""An uploaded photo keeps its pixels, loses every piece of metadata, and is hashed."""

import hashlib
import io

from PIL import Image

from mesochart.audit.models import AuditEvent
from mesochart.photos.models import Photo
from mesochart.testing import photos as support
from mesochart.testing.photos import stored_files, upload

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_a_jpeg_with_gps_comes_back_without_any_exif(practice, client_for, photo_root):
    sent = support.with_gps()
    assert b"PhoneMaker" in sent
    response = client_for(practice.nurse).post(
        f"/photos/patient/{practice.patient.pk}/capture/",
        {"area": "face", "view": "front", "photo": upload(sent)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    photo = Photo.objects.get()
    got = client_for(practice.practitioner).get(f"/photos/{photo.pk}/image.jpg")
    assert got.status_code == 200 and got["Content-Type"] == "image/jpeg"
    assert {"private", "no-store"} <= {d.strip() for d in got["Cache-Control"].split(",")}
    data = got.content
    image = Image.open(io.BytesIO(data))
    assert dict(image.getexif()) == {}
    assert b"Exif" not in data and b"PhoneMaker" not in data and b"GPS" not in data
    assert (image.width, image.height) == (600, 800)  # "rotate 90°" applied to the pixels
    assert hashlib.sha256(data).hexdigest() == photo.sha256
    created = AuditEvent.objects.get(action="create", category="photo")
    assert created.detail["sha256"] == photo.sha256
    thumb = client_for(practice.practitioner).get(f"/photos/{photo.pk}/thumbnail.jpg").content
    assert hashlib.sha256(thumb).hexdigest() == photo.thumb_sha256
    assert max(Image.open(io.BytesIO(thumb)).size) == 320
    assert len(stored_files(photo_root)) == 2


def test_each_fetch_of_the_image_or_thumbnail_is_an_audited_read(practice, client_for, take):
    photo = take()
    client = client_for(practice.practitioner)
    client.get(f"/photos/{photo.pk}/image.jpg")
    client.get(f"/photos/{photo.pk}/thumbnail.jpg")
    reads = AuditEvent.objects.filter(action="read", category="photo", patient_id=photo.patient_id)
    assert [r.detail["what"] for r in reads.order_by("pk")] == ["image", "thumbnail"]


def test_another_clinic_and_a_too_junior_role_get_neither_file(practice, client_for, take):
    photo = take()
    for url in (f"/photos/{photo.pk}/image.jpg", f"/photos/{photo.pk}/thumbnail.jpg"):
        assert client_for(practice.outsider).get(url).status_code == 404
        assert client_for(practice.sister_practitioner).get(url).status_code == 404
        assert client_for(practice.reception).get(url).status_code == 403
    denied = AuditEvent.objects.filter(outcome="denied", category="photo")
    assert denied.count() == 6


def test_png_and_heic_from_an_iphone_are_accepted(take):
    assert take(support.png()).source_format == "png"
    photo = take(support.heic(), view="oblique_left")
    assert photo.source_format == "heif" and (photo.width_px, photo.height_px) == (800, 600)


def test_a_blurred_photo_warns_and_is_kept_only_with_a_reason(take):
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        take(support.blurred_jpeg())
    assert "blurred" in refused.value.message_dict["photo"][0]
    assert Photo.objects.count() == 0
    kept = take(support.blurred_jpeg(), keep_reason="patient could not hold still")
    assert kept.quality_warnings[0].startswith("blurred")
    assert kept.kept_reason == "patient could not hold still"
