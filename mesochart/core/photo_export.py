"""A photo for use outside the clinical record: de-identified and watermarked. No Django.

The stored image already carries no metadata (`photo_intake`); this re-encodes it with a
visible watermark so a copy found elsewhere is recognisably the practice's, and with
nothing that names the patient or the date.
"""

import io

from PIL import Image, ImageDraw, ImageFont


def watermarked(jpeg: bytes, text: str, long_edge_px: int = 1600) -> bytes:
    image = Image.open(io.BytesIO(jpeg)).convert("RGB")
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
