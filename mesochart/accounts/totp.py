"""TOTP enrolment helpers: the otpauth:// QR code is drawn as inline SVG with segno."""

import io

import segno


def qr_svg(config_url: str) -> str:
    buffer = io.StringIO()
    segno.make(config_url, error="m").save(
        buffer, kind="svg", scale=5, xmldecl=False, svgns=True, nl=False
    )
    return buffer.getvalue()
