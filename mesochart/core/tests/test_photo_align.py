"""Before/after alignment and the marker scale, on generated images only."""

import math

import cv2
import numpy as np
import pytest

from mesochart.core.photo_align import align, marker_scale, two_point, warp
from mesochart.core.photo_quality import assess
from mesochart.testing.images import similarity, textured

TOLERANCE_PX = 3.0  # corner error after alignment, on a 1600 × 1200 photo


def test_a_rotated_scaled_shifted_photo_is_aligned_back_within_tolerance():
    earlier = textured(1)
    h, w = earlier.shape[:2]
    moved = similarity(7.0, 1.12, (40.0, -25.0), (w / 2, h / 2))
    later = cv2.warpAffine(earlier, moved, (w, h), borderValue=(128, 128, 128))
    found = align(earlier, later)
    assert found.ok, found.reason
    corners = np.array([[200, 200, 1], [w - 200, 200, 1], [w - 200, h - 200, 1], [200, h - 200, 1]])
    later_corners = corners @ np.vstack([moved, [0, 0, 1]]).T
    back = later_corners @ np.array(found.matrix).T
    error_px = np.linalg.norm(back - corners[:, :2], axis=1).max()
    assert error_px < TOLERANCE_PX
    assert found.scale == pytest.approx(1 / 1.12, rel=0.01)
    assert found.rotation_deg == pytest.approx(7.0, abs=0.3)


def test_an_unrelated_photo_is_reported_as_not_alignable():
    found = align(textured(1), textured(2))
    assert not found.ok
    assert found.matrix is None
    assert "not the same view" in found.reason


def test_a_plain_photo_has_too_few_features():
    plain = np.full((800, 800, 3), 140, np.uint8)
    found = align(plain, plain)
    assert not found.ok and "too few features" in found.reason


def test_two_points_placed_by_hand_give_the_exact_similarity():
    earlier_pts = ((100.0, 100.0), (300.0, 100.0))
    later_pts = ((50.0, 50.0), (50.0, 250.0))  # rotated 90°, same size, shifted
    found = two_point(earlier_pts, later_pts)
    assert found.ok and found.reason == "placed by hand"
    assert found.scale == pytest.approx(1.0)
    matrix = np.array(found.matrix)
    for (ax, ay), (bx, by) in zip(earlier_pts, later_pts, strict=True):
        assert matrix @ [bx, by, 1] == pytest.approx([ax, ay])


def test_two_points_on_top_of_each_other_are_refused():
    assert not two_point(((1.0, 1.0), (1.0, 1.0)), ((5.0, 5.0), (9.0, 9.0))).ok


def test_warp_lays_the_later_photo_in_the_earlier_frame():
    earlier = textured(3, 800, 600)
    later = cv2.warpAffine(earlier, similarity(0, 1, (30.0, 0), (400, 300)), (800, 600))
    restored = warp(
        later,
        two_point(((100.0, 100.0), (200.0, 100.0)), ((130.0, 100.0), (230.0, 100.0))),
        (800, 600),
    )
    assert np.abs(restored[:, 40:760].astype(int) - earlier[:, 40:760]).mean() < 2


def test_a_printed_marker_gives_millimetres_per_pixel():
    dictionary = cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50)
    marker = cv2.aruco.generateImageMarker(dictionary, 7, 200)
    scene = np.full((900, 1200), 255, np.uint8)
    scene[300:500, 400:600] = marker  # a 20 mm marker imaged 200 px wide: 0.1 mm per px
    found = marker_scale(cv2.cvtColor(scene, cv2.COLOR_GRAY2RGB), marker_side_mm=20.0)
    assert found is not None and found.marker_id == 7
    assert found.mm_per_px == pytest.approx(0.1, rel=0.02)
    assert marker_scale(np.full((600, 600, 3), 255, np.uint8), 20.0) is None


def test_quality_names_blur_and_exposure():
    sharp = textured(4, 1200, 900)
    assert assess(sharp).ok
    blurred = cv2.GaussianBlur(sharp, (0, 0), 8)
    assert any(w.startswith("blurred") for w in assess(blurred).warnings)
    dark = (sharp * 0.12).astype(np.uint8)
    assert any(w.startswith("under-exposed") for w in assess(dark).warnings)
    bright = np.full_like(sharp, 253)
    assert any(w.startswith("over-exposed") for w in assess(bright).warnings)
    assert math.isfinite(assess(sharp).sharpness)


def test_an_alignment_found_on_reduced_copies_holds_for_the_full_photos():
    earlier = textured(6, 2400, 1800)
    moved = similarity(-6.0, 0.94, (-50.0, 30.0), (1200, 900))
    later = cv2.warpAffine(earlier, moved, (2400, 1800), borderValue=(128, 128, 128))
    half_a = cv2.resize(earlier, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    quarter_b = cv2.resize(later, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    found = align(half_a, quarter_b, earlier_factor=0.5, later_factor=0.25)
    assert found.ok, found.reason
    points = np.array([[300, 300, 1], [2100, 300, 1], [2100, 1500, 1], [300, 1500, 1]])
    back = (points @ np.vstack([moved, [0, 0, 1]]).T) @ np.array(found.matrix).T
    assert np.linalg.norm(back - points[:, :2], axis=1).max() < 3 * TOLERANCE_PX
