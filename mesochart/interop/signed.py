"""Whether a signed session still verifies: the one place that check lives.

A session signed here verifies when the SHA-256 of its canonical content, computed now, is
the hash stored at signing. A session imported from another installation was signed over
that installation's row ids: it verifies when its stored canonical content (`SignedOrigin`)
still hashes to the stored hash, and the session's own content, read now, is that canonical
content in everything but the row ids."""

import hashlib
import json

from mesochart.treatments.content import canonical, content_hash

# The keys of the canonical content that are row ids of the installation that signed it.
ROW_IDS = (
    "session",
    "patient",
    "clinic",
    "plan",
    "plan_session",
    "cocktail_version",
    "practitioner",
)
PRODUCT_ROW_IDS = ("product", "lot")
# What a product row binds besides its row ids, in records signed since lots were bound.
LOT_BINDING = ("lot_number", "lot_expires_on")


def canonical_text(content: dict) -> str:
    """The canonical JSON exactly as `treatments.content.content_hash` hashes it."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def signed_text(session, products) -> str:
    """What the session's signature covers, as text: its original content if imported."""
    origin = _origin(session)
    if origin:
        return origin.canonical
    text = canonical_text(canonical(session, products))
    if sha256_text(text) != session.content_hash:  # signed before lots were bound
        legacy = canonical_text(canonical(session, products, bind_lots=False))
        if sha256_text(legacy) == session.content_hash:
            return legacy
    return text


def without_row_ids(content: dict) -> dict:
    plain = {key: value for key, value in content.items() if key not in ROW_IDS}
    plain["products"] = [
        {key: value for key, value in row.items() if key not in PRODUCT_ROW_IDS}
        for row in content.get("products", [])
    ]
    return plain


def binds_lots(content: dict) -> bool:
    """Whether signed ``content`` names each product row's lot by number and expiry (records
    signed before lots were bound name them by row id alone)."""
    return any(LOT_BINDING[0] in row for row in content.get("products", []))


def verify(session, products=None) -> bool:
    """Whether ``session`` (signed) is the record its stored hash signed, in the form it was
    signed in: with each product row's lot number and expiry, or (signed before those were
    bound) without."""
    products = list(session.products.select_related("lot")) if products is None else products
    origin = _origin(session)
    if origin is None:
        return session.content_hash in (
            content_hash(session, products),
            content_hash(session, products, bind_lots=False),
        )
    if not (sha256_text(origin.canonical) == origin.content_hash == session.content_hash):
        return False
    signed = json.loads(origin.canonical)
    now = canonical(session, products, bind_lots=binds_lots(signed))
    return without_row_ids(json.loads(canonical_text(now))) == without_row_ids(signed)


def _origin(session):
    try:
        return session.signed_origin
    except session.__class__.signed_origin.RelatedObjectDoesNotExist:
        return None
