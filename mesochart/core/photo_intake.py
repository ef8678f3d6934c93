"""A file someone says is a photo, checked and made safe before anything is stored.

Pure Python (Pillow, pillow-heif), no Django. `process` takes the uploaded bytes and either
raises `PhotoRefused` with the rule it broke, or returns the re-encoded JPEG and its
thumbnail, both without any metadata (EXIF, XMP, GPS, ICC, comments), the camera's
orientation applied to the pixels, and their SHA-256.

The order matters: the size cap before reading, the magic bytes before any decoder sees the
file, the pixel count from the header before decoding (a decompression bomb is a small file
with an enormous header), then a full decode (a truncated file fails here), then the check
for bytes after the end of the image (a polyglot). The bounds are engineering limits, not
clinical figures: a 48-megapixel phone photo passes, a 24 MB JPEG passes.
"""

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

import pillow_heif
from PIL import Image, ImageFile, ImageOps

pillow_heif.register_heif_opener()
ImageFile.LOAD_TRUNCATED_IMAGES = False  # a truncated file is refused, never half-decoded

MAX_UPLOAD_BYTES = 30 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 48 MP phone sensor is 8064 × 6048 = 48.8 MP
MIN_SIDE_PX = 320
STORED_LONG_EDGE_PX = 4096
THUMB_LONG_EDGE_PX = 320
JPEG_QUALITY = 90
THUMB_QUALITY = 80

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
# Markup or script that a browser would act on: never inside a photo's metadata. Only the
# metadata is searched (not the compressed pixels, where any short byte string turns up by
# chance now and then), and each pattern needs its delimiter.
_ACTIVE_CONTENT = re.compile(
    rb"<(?:html|script|svg|body|iframe|object|embed)[\s>/]|<\?php|<!doctype|<\?xml",
    re.IGNORECASE,
)


class PhotoRefused(ValueError):
    """The file is not accepted; ``str(error)`` is the rule, for ``photo: rule``."""


@dataclass(frozen=True)
class Encoded:
    data: bytes
    sha256: str
    width_px: int
    height_px: int


@dataclass(frozen=True)
class ProcessedPhoto:
    image: Encoded
    thumbnail: Encoded
    source_format: str  # "jpeg", "png" or "heif"
    rgb: object  # the decoded, oriented PIL image (for the quality check), not stored


def sniff(head: bytes) -> str:
    """The format the first bytes say, whatever the file is called; or refuse."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "heif"
    raise PhotoRefused("must be a JPEG, PNG or HEIC image")


def _metadata(data: bytes, kind: str) -> bytes:
    """The parts of the file that are not compressed pixels: a JPEG's segments before the
    start of scan, a PNG's chunks other than IDAT, the first 64 KiB of a HEIF."""
    if kind == "jpeg":
        i = 2
        while i + 4 <= len(data) and data[i] == 0xFF:
            marker = data[i + 1]
            if marker == 0xDA:  # start of scan: the pixels follow
                break
            if marker == 0xFF:  # fill byte
                i += 1
                continue
            i += 2 + int.from_bytes(data[i + 2 : i + 4], "big")
        return data[:i]
    if kind == "png":
        parts, i = [], 8
        while i + 8 <= len(data):
            length = int.from_bytes(data[i : i + 4], "big")
            if data[i + 4 : i + 8] != b"IDAT":
                parts.append(data[i : i + 12 + length])
            i += 12 + length
        return b"".join(parts)
    return data[:65536]


def _check_end(data: bytes, kind: str) -> None:
    """Nothing may follow the image's last marker: that is where polyglots hide."""
    body = data.rstrip(b"\x00")
    if kind == "jpeg" and not body.endswith(b"\xff\xd9"):
        raise PhotoRefused("has data after the end of the image, or is truncated")
    if kind == "png" and not body.endswith(b"IEND\xaeB`\x82"):
        raise PhotoRefused("has data after the end of the image, or is truncated")


def _decode(data: bytes, kind: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            expected = {"jpeg": "JPEG", "png": "PNG", "heif": "HEIF"}[kind]
            if image.format != expected:
                raise PhotoRefused("must be a JPEG, PNG or HEIC image")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise PhotoRefused(f"must have at most {MAX_PIXELS // 1_000_000} megapixels")
            if min(width, height) < MIN_SIDE_PX:
                raise PhotoRefused(f"must be at least {MIN_SIDE_PX} pixels on each side")
            image.load()
    except PhotoRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRefused(f"must have at most {MAX_PIXELS // 1_000_000} megapixels") from None
    except Exception:  # every decoder failure means the same to the user
        raise PhotoRefused("is not a readable image (damaged or truncated)") from None
    return image


def _encode(image: Image.Image, long_edge_px: int, quality: int) -> Encoded:
    copy = image.copy() if max(image.size) > long_edge_px else image
    # reducing_gap: shrink by whole factors first, then resample; same look, a fraction of
    # the time on a 12-megapixel photo.
    copy.thumbnail((long_edge_px, long_edge_px), Image.Resampling.LANCZOS, reducing_gap=3.0)
    out = io.BytesIO()
    # No exif=, no icc_profile=: Pillow writes those only when asked. It does carry a JPEG
    # comment over from ``info``, so the info goes too.
    copy.info = {}
    copy.save(out, format="JPEG", quality=quality, optimize=False, progressive=False)
    data = out.getvalue()
    return Encoded(data, hashlib.sha256(data).hexdigest(), copy.width, copy.height)


def process(data: bytes) -> ProcessedPhoto:
    """Check ``data`` and return the stored image and thumbnail; raise `PhotoRefused`."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise PhotoRefused(f"must be at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    if not data:
        raise PhotoRefused("is empty")
    kind = sniff(data[:16])
    if _ACTIVE_CONTENT.search(_metadata(data, kind)):
        raise PhotoRefused("contains markup or script (not a plain image)")
    _check_end(data, kind)
    image = _decode(data, kind)
    oriented = ImageOps.exif_transpose(image)  # the pixels turned as the camera meant
    rgb = oriented.convert("RGB")
    rgb.info = {}  # comments, XMP, ICC and the rest stay behind with the original
    stored = _encode(rgb, STORED_LONG_EDGE_PX, JPEG_QUALITY)
    thumb = _encode(rgb, THUMB_LONG_EDGE_PX, THUMB_QUALITY)
    return ProcessedPhoto(stored, thumb, kind, rgb)
