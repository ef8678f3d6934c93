"""A marketing copy keeps only the treated area where the view allows it: a submental
photo is cut below the eyes; a forehead photo, where the eyes are beside the treated area,
stays whole; the clinical and education copies are never cut."""

import io

import numpy as np
import pytest
from PIL import Image

from mesochart.core.photo_export import Box
from mesochart.photos.crops import EYE_LINE, GUIDE_BOX, marketing_crop
from mesochart.photos.models import Photo
from mesochart.testing import photos as support
from mesochart.testing.photos import upload
from mesochart.testing.sessions import Ready

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


@pytest.mark.parametrize(
    ("area", "view", "region", "kept"),
    [
        ("face", "front", "submental", Box(0.0, EYE_LINE, 1.0, 1.0)),
        ("face", "profile_left", "jawline-left", Box(0.0, EYE_LINE, 1.0, 1.0)),
        ("face", "front", "forehead", None),
        ("face", "oblique_left", "malar-left", None),
        ("face", "front", None, None),
        ("abdomen", "front", "abdomen", GUIDE_BOX),
        ("thighs", "back", None, GUIDE_BOX),
        ("scalp", "hairline", "scalp-frontal", Box(0.0, 0.0, 1.0, 0.45)),
        ("scalp", "vertex", "scalp-vertex", None),
    ],
)
def test_what_a_marketing_copy_keeps_of_each_view(area, view, region, kept):
    assert marketing_crop(area, view, region) == kept


def test_a_crop_outside_the_frame_is_refused():
    with pytest.raises(ValueError, match="crop"):
        Box(0.0, 0.6, 1.0, 0.5)


def _eyes_above_chin_below() -> bytes:
    """Red where the eyes are (the top half), textured blue below: which part a copy kept
    is read off its colours."""
    pixels = support.textured(5, 800, 600).copy()
    pixels[:300, :, :] = (pixels[:300, :, :] // 4) + np.array([180, 0, 0], np.uint8)
    pixels[300:, :, :] = (pixels[300:, :, :] // 4) + np.array([0, 0, 180], np.uint8)
    return support.jpeg(pixels=pixels)


def _consent(client, patient, purpose):
    client.post(f"/photos/patient/{patient.pk}/consent/", {"purpose": purpose, "decision": "grant"})


def test_a_submental_photo_for_marketing_is_cut_below_the_eyes(practice, client_for):
    ready = Ready(practice)  # a submental deoxycholic acid plan
    nurse = client_for(practice.nurse)
    url = f"/photos/patient/{practice.patient.pk}/capture/?plan={ready.plan.pk}"
    nurse.post(
        url,
        {"area": "face", "view": "front", "photo": upload(_eyes_above_chin_below()),
         "keep_reason": "synthetic test image"},
    )  # fmt: skip
    photo = Photo.objects.get()
    assert photo.plan_region.region == "submental"
    for purpose in ("marketing", "education"):
        _consent(nurse, practice.patient, purpose)
    practitioner = client_for(practice.practitioner)

    marketing = Image.open(
        io.BytesIO(practitioner.get(f"/photos/{photo.pk}/marketing.jpg").content)
    )
    education = Image.open(
        io.BytesIO(practitioner.get(f"/photos/{photo.pk}/education.jpg").content)
    )
    assert education.height / education.width == pytest.approx(600 / 800, abs=0.01)
    assert marketing.height / marketing.width == pytest.approx((1 - EYE_LINE) * 600 / 800, abs=0.01)
    kept = np.asarray(marketing.convert("RGB"), dtype=int)
    assert (kept[..., 0] > kept[..., 2]).mean() < 0.05  # nothing of the eyes' half is left
