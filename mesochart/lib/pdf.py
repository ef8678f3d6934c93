"""What every printed document of mesochart shares (reportlab): the fonts, the colours, the
paragraph styles, the page and the footer that names the record and its hash.

Text goes through `text` (``escape``) before reportlab's mini-markup reads it, so a name or a
line such as ``<b>`` prints as written. A Unicode TrueType font (DejaVu Sans where the
system has it, else the Vera font reportlab ships) prints accented names as they are spelt.
"""

import io
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from django.utils.translation import gettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from mesochart.lib import l10n

INK = colors.HexColor("#1b2631")
MUTED = colors.HexColor("#55626e")
ACCENT = colors.HexColor("#0e6b71")
LINE = colors.HexColor("#dde3e9")
DANGER = colors.HexColor("#b42318")
SKIN = colors.HexColor("#f6ece4")

MARGIN = 20 * mm
PAGE = A4
# The width a story may use between the margins, in points.
FRAME_WIDTH = PAGE[0] - 2 * MARGIN

_FONTS = (
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
    (
        Path(reportlab.__file__).parent / "fonts" / "Vera.ttf",
        Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf",
    ),
)
# The registered names stay the consent's, the first document that used them: a consent
# printed today embeds the same fonts under the same names as one printed before.
REGULAR, BOLD = "ConsentSans", "ConsentSans-Bold"


def fonts() -> tuple[str, str]:
    """(regular, bold) font names, registered on first use."""
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        regular, bold = next((r, b) for r, b in _FONTS if r.exists() and b.exists())
        pdfmetrics.registerFont(TTFont(REGULAR, str(regular)))
        pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
    return REGULAR, BOLD


def styles() -> dict[str, ParagraphStyle]:
    regular, bold = fonts()
    base = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=13.5, textColor=INK)
    return {
        "body": base,
        "title": ParagraphStyle("title", base, fontName=bold, fontSize=16, leading=20),
        "clinic": ParagraphStyle("clinic", base, textColor=MUTED, fontSize=9),
        "heading": ParagraphStyle(
            "heading", base, fontName=bold, fontSize=10.5, textColor=ACCENT, spaceBefore=8
        ),
        # A heading that stays on the page of what follows it (the new documents use it;
        # the consent keeps its own layout).
        "section": ParagraphStyle(
            "section",
            base,
            fontName=bold,
            fontSize=10.5,
            textColor=ACCENT,
            spaceBefore=8,
            keepWithNext=1,
        ),
        "bullet": ParagraphStyle("bullet", base, leftIndent=12, bulletIndent=2),
        "label": ParagraphStyle("label", base, fontSize=8, textColor=MUTED, leading=10),
        "value": ParagraphStyle("value", base, fontName=bold),
        "hash": ParagraphStyle("hash", base, fontName="Courier", fontSize=7.6, leading=10),
        "alert": ParagraphStyle("alert", base, fontName=bold, textColor=DANGER),
        "small": ParagraphStyle("small", base, fontSize=8.5, leading=11),
    }


def text(value, style: ParagraphStyle, **kw) -> Paragraph:
    """A paragraph of plain ``value`` (escaped: nothing in it is read as markup)."""
    return Paragraph(escape(str(value)), style, **kw)


def quantity(value: dict | None) -> str:
    """A quantity as the dose engine writes it (``{"value", "unit"}``, `result_to_dict`)."""
    if value is None:
        return "—"
    return f"{l10n.number(value['value'], '.4g')} {value['unit']}"


def table(rows: list[list], widths: list[float], header: bool = True) -> Table:
    """A ruled table in the house style; the first row is the header when ``header``."""
    found = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, LINE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("LINEBELOW", (0, 0), (-1, 0), 0.9, MUTED))
    found.setStyle(TableStyle(commands))
    return found


def footer(line: str, page_label: str | None = None) -> Callable:
    """The page callback that prints ``line`` (the record and its hash) and the page number
    ("Page", in the active language, unless ``page_label`` says otherwise)."""
    regular, _bold = fonts()
    page_label = gettext("Page") if page_label is None else page_label

    def draw(canvas, document):
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, 11 * mm, line)
        canvas.drawRightString(PAGE[0] - MARGIN, 11 * mm, f"{page_label} {document.page}")
        canvas.restoreState()

    return draw


def build(story: list, *, title: str, author: str, footer_line: str, on_page=None) -> bytes:
    """The PDF bytes of ``story`` on A4 with the house margins and footer. ``on_page`` is
    drawn on every page after the footer (a DRAFT mark, for one)."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=18 * mm,
        bottomMargin=20 * mm,
        title=title,
        author=author,
    )
    draw_footer = footer(footer_line)

    def page(canvas, document):
        draw_footer(canvas, document)
        if on_page is not None:
            on_page(canvas, document)

    doc.build(story, onFirstPage=page, onLaterPages=page)
    return buffer.getvalue()
