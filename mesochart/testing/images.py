"""Synthetic images for the photo tests and benchmarks: photo-like scenes from a seed and
the similarity transforms that move them (numpy and OpenCV only, never a real photo)."""

import cv2
import numpy as np


def textured(seed: int, width: int = 1600, height: int = 1200) -> np.ndarray:
    """A photo-like synthetic scene: blobs, lines and fine noise, all from one seed."""
    rng = np.random.default_rng(seed)
    image = np.full((height, width, 3), 128, np.uint8)
    for _ in range(260):
        centre = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        if rng.random() < 0.5:
            cv2.circle(image, centre, int(rng.integers(8, 60)), colour, -1)
        else:
            end = (int(rng.integers(0, width)), int(rng.integers(0, height)))
            cv2.line(image, centre, end, colour, int(rng.integers(2, 6)))
    noise = rng.integers(0, 30, image.shape, dtype=np.uint8)
    return cv2.add(image, noise)


def similarity(angle_deg: float, scale: float, shift: tuple[float, float], centre) -> np.ndarray:
    matrix = cv2.getRotationMatrix2D(centre, angle_deg, scale)
    matrix[:, 2] += np.asarray(shift)
    return matrix
