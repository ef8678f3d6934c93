"""Is a photo sharp, well exposed, and does the patient fill the framing guide? Pure
numpy/OpenCV, no Django.

Measured on the photo scaled to a 1024-pixel long edge, so the blur figure does not depend
on the camera's resolution. The thresholds are engineering heuristics tuned on synthetic
images, not clinical figures; a warning can always be overridden with a reason.

Filling the guide is judged against the plain backdrop repeatable clinical photos are taken
on: the backdrop's colour is read from the frame's border, the subject is what differs from
it, and the guide is the capture page's dashed oval (`GUIDE_INSET`, the same insets as
`.viewfinder .guide` in photos.css; a test holds the two together). Without a plain backdrop
(the border's colours spread too widely) the fill is not judged, and says so (None), rather
than guessed.
"""

from dataclasses import dataclass, field

import cv2
import numpy as np

MEASURE_LONG_EDGE_PX = 1024
BLUR_MIN_LAPLACIAN_VAR = 60.0  # variance of the Laplacian below this reads as blurred
DARK_MAX_MEAN = 50.0  # mean grey level 0–255
BRIGHT_MIN_MEAN = 215.0
CLIPPED_MAX_FRACTION = 0.25  # more than a quarter of pixels at 0–4 or 251–255
GUIDE_INSET = (0.10, 0.22)  # the guide oval's inset from the frame: top/bottom, left/right
GUIDE_MIN_FILL = 0.6  # less of the oval covered by the subject reads as "too far away"
FILL_LONG_EDGE_PX = 256  # the fill needs shapes, not detail
BORDER_FRACTION = 0.04  # the strip along each edge the backdrop's colour is read from
BACKDROP_MAX_SPREAD = 14.0  # 90th percentile of the border's distance from its median (Lab)
SUBJECT_MIN_DISTANCE = 20.0  # distance from the backdrop's colour that reads as the subject


@dataclass(frozen=True)
class Quality:
    sharpness: float  # variance of the Laplacian at the measuring size
    mean_grey: float
    dark_fraction: float
    bright_fraction: float
    warnings: tuple[str, ...] = field(default=())
    guide_fill: float | None = None  # share of the guide oval the subject covers; None: not judged

    @property
    def ok(self) -> bool:
        return not self.warnings


def grey_at_measuring_size(rgb: np.ndarray) -> np.ndarray:
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY) if rgb.ndim == 3 else rgb
    long_edge = max(grey.shape)
    if long_edge > MEASURE_LONG_EDGE_PX:
        factor = MEASURE_LONG_EDGE_PX / long_edge
        grey = cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    return grey


def assess(rgb: np.ndarray) -> Quality:
    """The quality of an RGB (or grey) uint8 array, with the reasons it is poor if it is."""
    grey = grey_at_measuring_size(rgb)
    sharpness = float(cv2.Laplacian(grey, cv2.CV_64F).var())
    mean = float(grey.mean())
    dark = float((grey <= 4).mean())
    bright = float((grey >= 251).mean())
    fill = guide_fill(rgb)
    reasons = []
    if sharpness < BLUR_MIN_LAPLACIAN_VAR:
        reasons.append("blurred: hold the camera still and focus on the area")
    if mean < DARK_MAX_MEAN or dark > CLIPPED_MAX_FRACTION:
        reasons.append("under-exposed: add light or move nearer the window")
    if mean > BRIGHT_MIN_MEAN or bright > CLIPPED_MAX_FRACTION:
        reasons.append("over-exposed: move away from the light or switch off the flash")
    if fill is not None and fill < GUIDE_MIN_FILL:
        reasons.append("does not fill the guide: move nearer until the area fills the outline")
    return Quality(
        round(sharpness, 1),
        round(mean, 1),
        round(dark, 3),
        round(bright, 3),
        tuple(reasons),
        None if fill is None else round(fill, 3),
    )


def guide_fill(rgb: np.ndarray) -> float | None:
    """The share of the guide oval covered by what is not backdrop; None when the frame's
    border is not a plain backdrop to tell the subject from (distances in OpenCV's 8-bit
    Lab, where a unit is a little under one CIE ΔE)."""
    colour = cv2.cvtColor(rgb, cv2.COLOR_GRAY2RGB) if rgb.ndim == 2 else rgb
    height, width = colour.shape[:2]
    factor = min(1.0, FILL_LONG_EDGE_PX / max(height, width))
    small = cv2.resize(colour, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    lab = cv2.cvtColor(small, cv2.COLOR_RGB2LAB).astype(np.float32)
    h, w = lab.shape[:2]
    edge = max(1, round(BORDER_FRACTION * min(h, w)))
    strips = (lab[:edge], lab[-edge:], lab[:, :edge], lab[:, -edge:])
    border = np.concatenate([strip.reshape(-1, 3) for strip in strips])
    backdrop = np.median(border, axis=0)
    if np.percentile(np.linalg.norm(border - backdrop, axis=1), 90) > BACKDROP_MAX_SPREAD:
        return None
    subject = (np.linalg.norm(lab - backdrop, axis=2) > SUBJECT_MIN_DISTANCE).astype(np.uint8)
    subject = cv2.morphologyEx(subject, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    oval = np.zeros((h, w), np.uint8)
    inset_y, inset_x = GUIDE_INSET
    axes = (round(w * (1 - 2 * inset_x) / 2), round(h * (1 - 2 * inset_y) / 2))
    cv2.ellipse(oval, (w // 2, h // 2), axes, 0, 0, 360, 1, thickness=-1)
    inside = oval.astype(bool)
    return float(subject[inside].mean())
