"""Comparing two dates of one view: aligned automatically when the features agree, said so
plainly when they do not, and aligned by hand through two points (page and API)."""

import cv2
import numpy as np

from mesochart.audit.models import AuditEvent
from mesochart.testing import photos as support
from mesochart.testing.images import similarity, textured
from mesochart.testing.plans import ApiCaller

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def _moved_jpeg(seed: int) -> bytes:
    earlier = textured(seed)
    h, w = earlier.shape[:2]
    moved = cv2.warpAffine(
        earlier, similarity(5, 1.08, (30, -20), (w / 2, h / 2)), (w, h), borderValue=(128, 128, 128)
    )
    return support.jpeg(pixels=moved)


def test_the_later_photo_is_aligned_to_the_earlier(practice, client_for, take):
    earlier = take(support.jpeg(pixels=textured(7)))
    later = take(_moved_jpeg(7))
    page = client_for(practice.practitioner).get(
        f"/photos/patient/{practice.patient.pk}/compare/", {"a": later.pk, "b": earlier.pk}
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "Aligned automatically on" in body
    assert f'data-earlier="{earlier.pk}"' in body  # put in date order whatever was asked
    read = AuditEvent.objects.filter(action="read", category="photo").latest("pk")
    assert read.detail["what"] == "compare" and read.detail["photo_ids"] == [earlier.pk, later.pk]


def test_photos_that_do_not_match_are_shown_unaligned_and_say_so(practice, client_for, take):
    earlier, later = take(support.jpeg(1)), take(support.jpeg(2))
    body = (
        client_for(practice.practitioner)
        .get(f"/photos/patient/{practice.patient.pk}/compare/", {"a": earlier.pk, "b": later.pk})
        .content.decode()
    )
    assert "Not aligned: " in body and "not the same view." in body
    assert "place two points on each photo to align by hand" in body
    assert 'data-matrix=""' in body


def test_two_different_views_are_not_compared(practice, client_for, take):
    front, profile = take(), take(view="profile_left")
    body = (
        client_for(practice.practitioner)
        .get(f"/photos/patient/{practice.patient.pk}/compare/", {"a": front.pk, "b": profile.pk})
        .content.decode()
    )
    assert "Later: must be the same patient&#x27;s same view" in body


def test_the_api_aligns_by_two_points_when_asked(practice, take):
    earlier, later = take(support.jpeg(1)), take(support.jpeg(2))
    api = ApiCaller(practice.practitioner)
    automatic = api.post("/photos/compare", {"earlier": earlier.pk, "later": later.pk}).json()
    assert automatic["ok"] is False and automatic["matrix"] is None
    by_hand = api.post(
        "/photos/compare",
        {
            "earlier": earlier.pk,
            "later": later.pk,
            "earlier_points": [[100, 100], [300, 100]],
            "later_points": [[110, 90], [310, 90]],
        },
    ).json()
    assert by_hand["ok"] is True and by_hand["method"] == "two points"
    assert np.allclose(by_hand["matrix"], [[1, 0, -10], [0, 1, 10]])
    one_point = api.post(
        "/photos/compare",
        {
            "earlier": earlier.pk,
            "later": later.pk,
            "earlier_points": [[1, 1]],
            "later_points": [[1, 1]],
        },
    )
    assert one_point.status_code == 422
    assert one_point.json()["detail"] == "earlier_points: must be two points on each photo"


def test_the_api_lists_only_what_a_purpose_allows(practice, take):
    take()
    api = ApiCaller(practice.practitioner)
    url = f"/patients/{practice.patient.pk}/photos"
    assert len(api.get(url).json()) == 1
    assert api.get(url + "?purpose=marketing").json() == []
    assert api.get(url + "?purpose=selfies").json()["detail"].startswith("purpose: must be")
