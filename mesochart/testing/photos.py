"""Synthetic photos for the tests: generated, never real patients."""

import io
import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from mesochart.testing.images import textured


def jpeg(seed: int = 1, width: int = 800, height: int = 600, exif=None, pixels=None) -> bytes:
    array = textured(seed, width, height) if pixels is None else pixels
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    Image.fromarray(array).save(out, format="JPEG", quality=92, **kwargs)
    return out.getvalue()


def with_gps(seed: int = 1, orientation: int = 6) -> bytes:
    """A JPEG carrying a camera's GPS position, a maker, and 'rotate 90°' orientation."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (51.0, 30.0, 12.5)
    gps[3], gps[4] = "W", (0.0, 7.0, 39.0)
    return jpeg(seed, 800, 600, exif=exif)


def png(seed: int = 1) -> bytes:
    out = io.BytesIO()
    Image.fromarray(textured(seed, 800, 600)).save(out, format="PNG")
    return out.getvalue()


def heic(seed: int = 1) -> bytes:
    out = io.BytesIO()
    Image.fromarray(textured(seed, 800, 600)).save(out, format="HEIF", quality=90)
    return out.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(side_px: int = 60_000) -> bytes:
    """A valid-looking PNG header claiming side × side pixels (3.6 gigapixels), tiny data."""
    header = struct.pack(">IIBBBBB", side_px, side_px, 8, 2, 0, 0, 0)
    row = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", row) + _chunk(b"IEND", b"")
    )


def png_with_text(text: bytes) -> bytes:
    """A real PNG with a tEXt chunk (metadata) holding ``text``."""
    image = png()
    return image[:33] + _chunk(b"tEXt", b"Comment\x00" + text) + image[33:]


def blurred_jpeg() -> bytes:
    return jpeg(pixels=cv2.GaussianBlur(textured(5, 800, 600), (0, 0), 9))


HOSTILE = {
    "not an image": b"Dear clinic, here are my notes.\n" * 40,
    "truncated": jpeg(2)[:20_000],
    "decompression bomb": png_bomb(),
    "svg named .jpg": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
    b'onload="alert(1)"><rect width="10" height="10"/></svg>',
    "html named .jpg": b"<!doctype html><html><script>alert(document.cookie)</script></html>",
    "polyglot (html after the image)": jpeg(3) + b"<html><script>alert(1)</script></html>",
    "polyglot (zip after the image)": jpeg(3) + b"PK\x03\x04" + b"\x00" * 200,
    "svg in a png text chunk": png_with_text(b'<svg onload="alert(1)"></svg>'),
    "script in a jpeg comment": jpeg(3)[:2]
    + b"\xff\xfe\x00\x20<script>alert(1)</script>...."
    + jpeg(3)[2:],
}


def pixel_mean_difference(a: bytes, b: bytes) -> float:
    x = np.asarray(Image.open(io.BytesIO(a)).convert("RGB"), dtype=float)
    y = np.asarray(Image.open(io.BytesIO(b)).convert("RGB"), dtype=float)
    return float(np.abs(x - y).mean())


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")
