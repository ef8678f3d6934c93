"""TOTP enrolment helpers: the otpauth:// QR code is drawn as inline SVG with segno."""

import segno


def qr_svg(config_url: str) -> str:
    # svg_inline returns text; saving into a StringIO made segno write encoded bytes into it.
    return segno.make(config_url, error="m").svg_inline(scale=5)
