"""A photo in which the patient does not fill the framing guide warns before it is kept;
one that fills it does not; a frame with no plain backdrop is not judged."""

import re
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesochart.core.photo_quality import GUIDE_INSET, GUIDE_MIN_FILL, assess, guide_fill

SKIN = (205, 160, 135)
BACKDROP = (70, 110, 160)  # a plain blue backdrop
CSS = Path(__file__).resolve().parents[2] / "static" / "mesochart" / "photos.css"


def patient_on_backdrop(scale: float, width=1200, height=900, backdrop=BACKDROP):
    """A skin-toned oval the size of the guide times ``scale``, textured so it is sharp."""
    frame = np.zeros((height, width, 3), np.uint8)
    frame[:] = backdrop
    inset_y, inset_x = GUIDE_INSET
    axes = (int(width * (1 - 2 * inset_x) / 2 * scale), int(height * (1 - 2 * inset_y) / 2 * scale))
    cv2.ellipse(frame, (width // 2, height // 2), axes, 0, 0, 360, SKIN, thickness=-1)
    rng = np.random.default_rng(3)
    noise = rng.integers(-12, 12, frame.shape[:2], dtype=np.int16)[..., None]
    inside = np.zeros(frame.shape[:2], np.uint8)
    cv2.ellipse(inside, (width // 2, height // 2), axes, 0, 0, 360, 1, thickness=-1)
    textured = np.clip(frame.astype(np.int16) + noise * inside[..., None], 0, 255)
    return textured.astype(np.uint8)


def test_a_patient_who_fills_the_guide_gets_no_framing_warning():
    quality = assess(patient_on_backdrop(1.05))
    assert quality.guide_fill is not None and quality.guide_fill > 0.95
    assert not [w for w in quality.warnings if "guide" in w]


def test_a_patient_standing_too_far_away_is_told_to_move_nearer():
    quality = assess(patient_on_backdrop(0.5))
    assert quality.guide_fill == pytest.approx(0.25, abs=0.05)
    assert "does not fill the guide: move nearer until the area fills the outline" in (
        quality.warnings
    )


def test_a_frame_without_a_plain_backdrop_is_not_judged():
    rng = np.random.default_rng(1)
    busy = rng.integers(0, 255, (900, 1200, 3), dtype=np.uint8)
    assert guide_fill(busy) is None


@given(st.floats(min_value=0.3, max_value=0.95))
def test_a_nearer_patient_never_fills_less_of_the_guide(scale):
    """While the patient stays inside the frame (the backdrop all round it)."""
    nearer = min(scale * 1.2, 1.1)
    assert guide_fill(patient_on_backdrop(nearer, 480, 360)) >= (
        guide_fill(patient_on_backdrop(scale, 480, 360)) - 0.02
    )


@pytest.mark.parametrize("backdrop", [(70, 110, 160), (235, 235, 235), (40, 40, 40)])
def test_the_fill_does_not_depend_on_the_backdrop_colour(backdrop):
    fill = guide_fill(patient_on_backdrop(0.5, backdrop=backdrop))
    assert fill is not None and fill < GUIDE_MIN_FILL


def test_the_guide_the_check_measures_is_the_guide_the_camera_page_draws():
    rule = re.search(r"\.viewfinder \.guide \{[^}]*\}", CSS.read_text()).group(0)
    top, side = re.search(r"inset: (\d+)% (\d+)%", rule).groups()
    assert (int(top) / 100, int(side) / 100) == GUIDE_INSET
    assert "border-radius: 50%" in rule
