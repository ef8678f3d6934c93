"""Is a photo sharp and well exposed? Pure numpy/OpenCV, no Django.

Measured on the photo scaled to a 1024-pixel long edge, so the blur figure does not depend
on the camera's resolution. The thresholds are engineering heuristics tuned on synthetic
images, not clinical figures; a warning can always be overridden with a reason.
"""

from dataclasses import dataclass, field

import cv2
import numpy as np

MEASURE_LONG_EDGE_PX = 1024
BLUR_MIN_LAPLACIAN_VAR = 60.0  # variance of the Laplacian below this reads as blurred
DARK_MAX_MEAN = 50.0  # mean grey level 0–255
BRIGHT_MIN_MEAN = 215.0
CLIPPED_MAX_FRACTION = 0.25  # more than a quarter of pixels at 0–4 or 251–255


@dataclass(frozen=True)
class Quality:
    sharpness: float  # variance of the Laplacian at the measuring size
    mean_grey: float
    dark_fraction: float
    bright_fraction: float
    warnings: tuple[str, ...] = field(default=())

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
    reasons = []
    if sharpness < BLUR_MIN_LAPLACIAN_VAR:
        reasons.append("blurred: hold the camera still and focus on the area")
    if mean < DARK_MAX_MEAN or dark > CLIPPED_MAX_FRACTION:
        reasons.append("under-exposed: add light or move nearer the window")
    if mean > BRIGHT_MIN_MEAN or bright > CLIPPED_MAX_FRACTION:
        reasons.append("over-exposed: move away from the light or switch off the flash")
    return Quality(
        round(sharpness, 1), round(mean, 1), round(dark, 3), round(bright, 3), tuple(reasons)
    )
