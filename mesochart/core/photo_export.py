"""A photo for use outside the clinical record: de-identified and watermarked. No Django.

The stored image already carries no metadata (`photo_intake`); this re-encodes it with a
visible watermark so a copy found elsewhere is recognisably the practice's, with nothing
that names the patient or the date, and, given a ``crop``, only that part of the frame.
"""

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont


@dataclass(frozen=True)
class Box:
    """Part of a frame, as fractions of its width and height from the top left."""

    left: float
    top: float
    right: float
    bottom: float

    def __post_init__(self) -> None:
        if not (0 <= self.left < self.right <= 1 and 0 <= self.top < self.bottom <= 1):
            raise ValueError(f"crop: {self} is not a part of the frame")

    def pixels(self, width: int, height: int) -> tuple[int, int, int, int]:
        return (
            round(self.left * width),
            round(self.top * height),
            round(self.right * width),
            round(self.bottom * height),
        )


def watermarked(jpeg: bytes, text: str, long_edge_px: int = 1600, crop: Box | None = None) -> bytes:
    image = Image.open(io.BytesIO(jpeg)).convert("RGB")
    if crop is not None:
        image = image.crop(crop.pixels(image.width, image.height))
    image.thumbnail((long_edge_px, long_edge_px), Image.Resampling.LANCZOS)
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    size = max(14, image.width // 28)
    font = ImageFont.load_default(size=size)
    margin = size // 2
    box = draw.textbbox((0, 0), text, font=font)
    x = image.width - (box[2] - box[0]) - 2 * margin
    y = image.height - (box[3] - box[1]) - 2 * margin
    draw.rectangle((x - margin, y - margin, image.width, image.height), fill=(0, 0, 0, 110))
    draw.text((x, y), text, font=font, fill=(255, 255, 255, 220))
    out = io.BytesIO()
    Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB").save(
        out, format="JPEG", quality=85
    )
    return out.getvalue()
