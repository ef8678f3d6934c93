"""The signed consent as a PDF (reportlab): the document as signed, the drawn signature, the
signer's typed name, the time, the witness, the device and the document's SHA-256.

Text goes through `escape` before reportlab's mini-markup reads it, so a name or a template
line such as ``<b>`` prints as written; the fonts, styles, page and footer are the house's
(`mesochart.lib.pdf`).
"""

import io
import re
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from reportlab.lib.units import mm
from reportlab.platypus import (
    Image,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from mesochart.lib import l10n, pdf
from mesochart.lib.pdf import LINE

_HEADING = re.compile(r"\d\. [^\W\d_]")  # "1. RISKS", "5. SOINS APRÈS LA SÉANCE": capitals


def consent_pdf(consent, verification) -> bytes:
    """The PDF bytes for ``consent``, in the patient's language; ``verification`` is
    `actions.verify(consent)`. The document itself is the stored text, exactly as signed."""
    with translation.override(consent.patient.language):
        return _consent_pdf(consent, verification)


def _consent_pdf(consent, verification) -> bytes:
    styles = pdf.styles()
    zone = ZoneInfo(consent.clinic.time_zone)
    story = [*_document(consent, styles), Spacer(1, 10), _signature(consent, styles, zone)]
    story += _integrity(consent, verification, styles, zone)
    return pdf.build(
        story,
        title=_("Consent %(pk)s — %(record)s")
        % {"pk": consent.pk, "record": consent.patient.record_number},
        author=consent.clinic.name,
        footer_line=_("Consent #%(pk)s · record %(record)s · SHA-256 %(hash)s…")
        % {
            "pk": consent.pk,
            "record": consent.patient.record_number,
            "hash": consent.document_sha256[:16],
        },
    )


def _document(consent, styles) -> list:
    lines = consent.document.splitlines()
    story = [Paragraph(escape(lines[0]), styles["title"])] if lines else []
    if consent.withdrawn:
        story.append(
            Paragraph(
                _("WITHDRAWN on %(day)s: this consent no longer holds.")
                % {"day": l10n.day(consent.withdrawn_at.date())},
                styles["alert"],
            )
        )
    for index, line in enumerate(lines[1:], start=1):
        if not line.strip():
            story.append(Spacer(1, 4))
        elif index == 1:
            story.append(Paragraph(escape(line), styles["clinic"]))
        elif _HEADING.match(line) and line == line.upper():
            story.append(Paragraph(escape(line), styles["heading"]))
        elif line.startswith("  - "):
            story.append(Paragraph(escape(line[4:]), styles["bullet"], bulletText="•"))
        else:
            story.append(Paragraph(escape(line), styles["body"]))
    return story


def _signature(consent, styles, zone) -> KeepTogether:
    image = _signature_image(bytes(consent.signature_png), 70 * mm, 30 * mm)
    witness = consent.witness.get_full_name() or consent.witness.username

    def cell(label: str, value: str) -> list:
        return [
            Paragraph(escape(label), styles["label"]),
            Paragraph(escape(value), styles["value"]),
        ]

    details = Table(
        [
            [cell(_("Signed by (typed name)"), consent.signer_name)],
            [cell(_("Signed at"), l10n.moment(consent.signed_at, zone, with_zone=True))],
            [cell(_("Witnessed by"), witness)],
            [cell(_("Device"), consent.user_agent or _("not recorded"))],
        ],
        colWidths=[95 * mm],
    )
    details.setStyle(TableStyle([("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    block = Table(
        [[[Paragraph(escape(_("Signature")), styles["label"]), image], details]],
        colWidths=[75 * mm, 95 * mm],
    )
    block.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.75, LINE),
                ("LINEAFTER", (0, 0), (0, 0), 0.75, LINE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    heading = _("7. SIGNATURE")
    return KeepTogether([Paragraph(escape(heading), styles["heading"]), Spacer(1, 4), block])


def _signature_image(png: bytes, max_width: float, max_height: float) -> Image:
    """The drawn signature on white (the pad's background is transparent), cropped to the ink
    and scaled to fit the box without distorting it."""
    drawn = PILImage.open(io.BytesIO(png)).convert("RGBA")
    flat = PILImage.new("RGB", drawn.size, "white")
    flat.paste(drawn, mask=drawn.getchannel("A"))
    ink = drawn.getchannel("A").getbbox()
    if ink:
        pad = 8
        left, top, right, bottom = ink
        flat = flat.crop(
            (
                max(left - pad, 0),
                max(top - pad, 0),
                min(right + pad, flat.width),
                min(bottom + pad, flat.height),
            )
        )
    buffer = io.BytesIO()
    flat.save(buffer, "PNG")
    buffer.seek(0)
    scale = min(max_width / flat.width, max_height / flat.height)
    image = Image(buffer, width=flat.width * scale, height=flat.height * scale)
    image.hAlign = "LEFT"
    return image


def _integrity(consent, verification, styles, zone) -> list:
    story = [
        Spacer(1, 10),
        Paragraph(escape(_("SHA-256 of the signed document")), styles["label"]),
        Paragraph(consent.document_sha256, styles["hash"]),
    ]
    if verification.ok:
        story.append(
            Paragraph(
                escape(
                    _(
                        "Verified when this PDF was made: the stored document matches its hash "
                        "and the audit log's record of the signing."
                    )
                ),
                styles["label"],
            )
        )
    else:
        story += [Paragraph(escape(problem), styles["alert"]) for problem in verification.problems]
    return story
