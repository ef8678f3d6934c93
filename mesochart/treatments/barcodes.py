"""GS1 barcodes on a product's box, as a scanner types them: GTIN (01), expiry (17), lot (10).

Accepted forms: the raw element string of a GS1 DataMatrix or GS1-128 with group separators
(ASCII 29, which a scanner sends for FNC1) or without (when the variable-length lot comes
last), with or without the symbology identifier (``]d2``, ``]C1``), and the human-readable
form printed under the code, ``(01)…(17)…(10)…``. Parsing is `biip`'s; anything else is
refused with a ``barcode: …`` message.
"""

from dataclasses import dataclass
from datetime import date
from typing import NoReturn

from biip import ParseConfig, parse
from biip.gs1_messages import GS1Message
from django.core.exceptions import ValidationError

from mesochart.formulary.models import LotHold

GROUP_SEPARATOR = "\x1d"
# Some keyboard-wedge scanners cannot type ASCII 29 and send one of these instead.
_SEPARATORS = [GROUP_SEPARATOR, "|", "~"]


@dataclass(frozen=True)
class Scan:
    gtin: str
    lot_number: str
    expires_on: date | None


def _refuse(rule: str) -> NoReturn:
    raise ValidationError({"barcode": [rule]})


def _message(text: str) -> GS1Message | None:
    """The GS1 message ``text`` holds, or None. biip raises its ParseError and ValueError
    subclasses on a bad code, and IndexError on a lone symbology prefix (``]``): each is a
    code that is not GS1, never a server error."""
    try:
        if text.startswith("("):
            return GS1Message.parse_hri(text)
        return parse(text, config=ParseConfig(separator_chars=_SEPARATORS)).gs1_message
    except Exception:  # whatever biip raises (see above), the code is refused
        return None


def parse_gs1(text: str) -> Scan:
    """The GTIN, lot and expiry of a scanned box; ValidationError ``barcode: …`` otherwise."""
    text = (text or "").strip()
    if not text:
        _refuse("scan or type the code on the box")
    if len(text) > 200:
        _refuse("is too long to be a GS1 code")
    message = _message(text)
    if message is None:
        _refuse("is not a GS1 code with a GTIN, lot and expiry: scan the box's DataMatrix")
    elements = message.element_strings
    gtin, lot, expiry = elements.get(ai="01"), elements.get(ai="10"), elements.get(ai="17")
    if gtin is None:
        _refuse("has no GTIN (01)")
    if lot is None:
        _refuse("has no lot number (10)")
    if gtin.gtin_error:
        _refuse(f"GTIN {gtin.value} is not valid (check digit)")
    return Scan(
        gtin=gtin.value,
        lot_number=lot.value,
        expires_on=expiry.date if expiry is not None else None,
    )


def gtin_variants(gtin: str) -> set[str]:
    """A GTIN as 14 digits and as stored without its leading zeros (GTIN-13, GTIN-12)."""
    stripped = gtin.lstrip("0")
    return {gtin, gtin.zfill(14), *(stripped.zfill(n) for n in (8, 12, 13, 14))}


def match_lot(lots, scan: Scan, product=None):
    """The lot of ``lots`` (a clinic's lots with ``on_hand_ml``) that the scan names.

    By GTIN and lot number; failing that, by lot number and ``product``. Refused, naming the
    lot, when none matches, none is in stock, the lot is on hold (quarantine, recall) or the
    box's expiry (17) differs from the lot's recorded expiry (naming both dates).
    """
    candidates = lots.filter(lot_number=scan.lot_number)
    found = candidates.filter(gtin__in=gtin_variants(scan.gtin))
    if not found.exists() and product is not None:
        found = candidates.filter(product=product)
    found = list(found)
    if not found:
        _refuse(f"lot {scan.lot_number} (GTIN {scan.gtin}) is not stock of this clinic")
    if len(found) > 1:
        _refuse(f"lot {scan.lot_number} matches several products: choose the product")
    lot = found[0]
    if scan.expires_on is not None and scan.expires_on != lot.expires_on:
        _refuse(
            f"the box expires on {scan.expires_on.isoformat()} but lot {lot.lot_number} is "
            f"recorded as expiring on {lot.expires_on.isoformat()}: check the box against the "
            "lot's record"
        )
    hold = LotHold.objects.open().filter(lot=lot).select_related("lot", "placed_by").first()
    if hold is not None:
        _refuse(hold.blocking())
    if lot.on_hand_ml <= 0:
        _refuse(f"lot {scan.lot_number} has nothing on hand")
    return lot
