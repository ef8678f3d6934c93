"""The canonical content of a session record and its SHA-256.

What a signature covers: the record's clinical fields, its products with lots and volumes,
and every administered point, as JSON with sorted keys and no insignificant whitespace.
Decimals are written as strings at the precision the columns store, so the hash read back
from SQLite or PostgreSQL is the same.

Each product row names its lot by row id and, in records signed since lots were bound (issue
20), by the lot's number and expiry too: a row id means nothing outside the installation that
signed, so without them a record exported elsewhere could be given another lot of the same
count unnoticed. Records signed before still verify by the content they were signed as
(``bind_lots=False``): `interop.signed.verify` tries both.
"""

import hashlib
import json
from decimal import Decimal

FIELDS = (
    "technique",
    "needle_gauge",
    "needle_length_mm",
    "depth_mm",
    "areas",
    "regions",
    "anaesthesia",
    "notes",
    "aftercare",
    "acknowledgements",
)


def _plain(value):
    if isinstance(value, Decimal):
        return f"{value:.3f}"
    return value


def canonical(session, products, *, bind_lots: bool = True) -> dict:
    """``products``: the session's SessionProduct rows, in order (their ``lot`` read with
    them when ``bind_lots``). A deviation (its findings and justification) is part of what
    is signed; a session without one hashes as before."""
    deviation = (
        {
            "deviation": {
                "findings": list(session.deviation_findings),
                "justification": session.deviation_justification,
            }
        }
        if session.deviation_justification
        else {}
    )
    # A late entry's reason is signed with it (the performed time is ``started_at``, always
    # signed); a session recorded live hashes as before.
    late = {"late_entry": session.late_entry_reason} if session.late_entry_reason else {}
    return {
        **deviation,
        **late,
        "session": session.pk,
        "patient": session.patient_id,
        "clinic": session.clinic_id,
        "plan": session.plan_id,
        "plan_session": session.plan_session_id,
        "cocktail_version": session.cocktail_version_id,
        "practitioner": session.practitioner_id,
        "started_at": session.started_at.isoformat(),
        **{field: _plain(getattr(session, field)) for field in FIELDS},
        "products": [_product(row, bind_lots) for row in products],
    }


def _product(row, bind_lots: bool) -> dict:
    signed = {
        "product": row.product_id,
        "lot": row.lot_id,
        "volume_drawn_ml": str(Decimal(row.volume_drawn_ml).quantize(Decimal("0.001"))),
        "volume_wasted_ml": str(Decimal(row.volume_wasted_ml).quantize(Decimal("0.001"))),
    }
    if bind_lots:
        signed["lot_number"] = row.lot.lot_number
        signed["lot_expires_on"] = row.lot.expires_on.isoformat()
    return signed


def content_hash(session, products, *, bind_lots: bool = True) -> str:
    text = json.dumps(
        canonical(session, products, bind_lots=bind_lots),
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()
