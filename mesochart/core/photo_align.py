"""Aligning the later photo of a view to the earlier one, and a scale from a marker.

Pure numpy/OpenCV, no Django. `align` matches ORB features and fits a similarity (rotation,
uniform scale, shift) with RANSAC; when too few matches agree it says so (`Alignment.ok` is
False with the reason) instead of returning a wrong transform. `two_point` is the manual
fallback: the same similarity from two points the user placed on each photo. A transform
maps a point of the *later* photo to the *earlier* photo's pixels: ``[x', y'] = M @ [x, y, 1]``.
"""

import math
from dataclasses import dataclass

import cv2
import numpy as np

MATCH_LONG_EDGE_PX = 1024  # features are found at this size, the transform scaled back
ORB_FEATURES = 4000
RATIO = 0.75  # Lowe's ratio test
MIN_INLIERS = 25
MIN_INLIER_FRACTION = 0.25
RANSAC_THRESHOLD_PX = 3.0  # at the matching size
MIN_SCALE, MAX_SCALE = 0.5, 2.0  # a later photo twice as near is still plausible


@dataclass(frozen=True)
class Alignment:
    ok: bool
    matrix: tuple[tuple[float, ...], ...] | None  # 2 × 3, later → earlier, full-size pixels
    inliers: int
    matches: int
    reason: str = ""

    @property
    def scale(self) -> float | None:
        if self.matrix is None:
            return None
        return math.hypot(self.matrix[0][0], self.matrix[1][0])

    @property
    def rotation_deg(self) -> float | None:
        if self.matrix is None:
            return None
        return math.degrees(math.atan2(self.matrix[1][0], self.matrix[0][0]))


def _grey_small(image: np.ndarray) -> tuple[np.ndarray, float]:
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    factor = min(1.0, MATCH_LONG_EDGE_PX / max(grey.shape))
    if factor < 1.0:
        grey = cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    return grey, factor


def _refused(reason: str, matches: int = 0, inliers: int = 0) -> Alignment:
    return Alignment(False, None, inliers, matches, reason)


def align(
    earlier: np.ndarray, later: np.ndarray, earlier_factor: float = 1.0, later_factor: float = 1.0
) -> Alignment:
    """The similarity that lays ``later`` over ``earlier`` (uint8 RGB or grey arrays).

    The arrays may be reduced copies (decoding a 12 MP JPEG at a quarter costs a fraction);
    the factors (copy px / full px) turn the result into a transform between full photos,
    and the plausibility of the scale is judged there."""
    grey_a, fa = _grey_small(earlier)
    grey_b, fb = _grey_small(later)
    orb = cv2.ORB.create(nfeatures=ORB_FEATURES)
    kp_a, des_a = orb.detectAndCompute(grey_a, None)
    kp_b, des_b = orb.detectAndCompute(grey_b, None)
    if des_a is None or des_b is None or len(kp_a) < MIN_INLIERS or len(kp_b) < MIN_INLIERS:
        return _refused("too few features: the photos are too plain to match")
    pairs = cv2.BFMatcher(cv2.NORM_HAMMING).knnMatch(des_b, des_a, k=2)
    good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < RATIO * p[1].distance]
    if len(good) < MIN_INLIERS:
        return _refused("too few matching features: not the same view", len(good))
    src = np.array([kp_b[m.queryIdx].pt for m in good], dtype=np.float32)
    dst = np.array([kp_a[m.trainIdx].pt for m in good], dtype=np.float32)
    matrix, mask = cv2.estimateAffinePartial2D(
        src,
        dst,
        method=cv2.RANSAC,
        ransacReprojThreshold=RANSAC_THRESHOLD_PX,
        maxIters=4000,
        confidence=0.995,
    )
    inliers = int(mask.sum()) if mask is not None else 0
    if matrix is None or inliers < MIN_INLIERS or inliers < MIN_INLIER_FRACTION * len(good):
        return _refused("the matching features disagree: not the same view", len(good), inliers)
    # Back to full-size pixels: p_a = M_small @ (fb · p_b) / fa.
    full = np.asarray(matrix, dtype=np.float64).copy()
    full[:, :2] *= fb / fa
    full[:, 2] /= fa
    found = Alignment(True, tuple(map(tuple, full.tolist())), inliers, len(good))
    result = rescaled(found, earlier_factor, later_factor)
    if result.scale is None or not MIN_SCALE <= result.scale <= MAX_SCALE:
        return _refused("the fitted scale is implausible: not the same view", len(good), inliers)
    return result


def rescaled(found: Alignment, earlier_factor: float, later_factor: float) -> Alignment:
    """``found`` between copies scaled by these factors (copy px / full px), as a transform
    between the full-size photos: matching on reduced decodes costs a fraction of the time."""
    if found.matrix is None:
        return found
    matrix = np.array(found.matrix)
    matrix[:, :2] *= later_factor / earlier_factor
    matrix[:, 2] /= earlier_factor
    return Alignment(
        found.ok, tuple(map(tuple, matrix.tolist())), found.inliers, found.matches, found.reason
    )


def two_point(
    earlier_pts: tuple[tuple[float, float], tuple[float, float]],
    later_pts: tuple[tuple[float, float], tuple[float, float]],
) -> Alignment:
    """The similarity taking the two ``later_pts`` onto the two ``earlier_pts`` exactly."""
    (a1, a2), (b1, b2) = earlier_pts, later_pts
    za, zb = complex(*a2) - complex(*a1), complex(*b2) - complex(*b1)
    if abs(zb) < 1 or abs(za) < 1:
        return _refused("the two points must be apart on both photos")
    rot = za / zb  # rotation and scale as one complex number
    shift = complex(*a1) - rot * complex(*b1)
    matrix = ((rot.real, -rot.imag, shift.real), (rot.imag, rot.real, shift.imag))
    return Alignment(True, matrix, 2, 2, "placed by hand")


def warp(later: np.ndarray, alignment: Alignment, size: tuple[int, int]) -> np.ndarray:
    """``later`` resampled into the earlier photo's frame (``size`` is width, height)."""
    matrix = np.array(alignment.matrix, dtype=np.float64)
    return cv2.warpAffine(
        later,
        matrix,
        size,
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(0, 0, 0),
    )


@dataclass(frozen=True)
class Scale:
    mm_per_px: float
    marker_id: int
    marker_side_px: float


def marker_scale(image: np.ndarray, marker_side_mm: float) -> Scale | None:
    """The scale from the first printed ArUco marker (4×4, ids 0–49) found in ``image``;
    None when there is none. ``marker_side_mm`` is the printed side of the black square."""
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    dictionary = cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50)
    detector = cv2.aruco.ArucoDetector(dictionary, cv2.aruco.DetectorParameters())
    corners, ids, _ = detector.detectMarkers(grey)
    if ids is None or len(ids) == 0:
        return None
    quad = corners[0].reshape(4, 2)
    sides = [float(np.linalg.norm(quad[i] - quad[(i + 1) % 4])) for i in range(4)]
    side_px = sum(sides) / 4
    return Scale(round(marker_side_mm / side_px, 5), int(ids[0][0]), round(side_px, 2))
