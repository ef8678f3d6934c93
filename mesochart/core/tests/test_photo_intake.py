"""The intake checks on generated files: ordinary photos pass, whatever their pixels."""

import io

import numpy as np
from PIL import Image

from mesochart.core import photo_intake


def _noise_jpeg(seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    out = io.BytesIO()
    Image.fromarray(rng.integers(0, 256, (480, 640, 3), dtype=np.uint8)).save(out, "JPEG")
    return out.getvalue()


def test_compressed_pixels_are_never_mistaken_for_markup():
    # Noise compresses worst: the most random bytes, where "<svg " could appear by chance.
    for seed in range(40):
        data = _noise_jpeg(seed)
        assert len(photo_intake._metadata(data, "jpeg")) < 1000
        photo_intake.process(data)


def test_the_stored_copy_has_no_metadata_and_a_capped_size():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    Image.new("RGB", (6000, 4000), (120, 90, 80)).save(out, "JPEG", exif=exif, comment=b"hi")
    result = photo_intake.process(out.getvalue())
    assert (result.image.width_px, result.image.height_px) == (4096, 2731)
    assert b"PhoneMaker" not in result.image.data and b"hi" not in result.image.data[:200]
    assert max(result.thumbnail.width_px, result.thumbnail.height_px) == 320
