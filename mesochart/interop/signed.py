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


def canonical_text(content: dict) -> str:
    """The canonical JSON exactly as `treatments.content.content_hash` hashes it."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def signed_text(session, products) -> str:
    """What the session's signature covers, as text: its original content if imported."""
    origin = _origin(session)
    return origin.canonical if origin else canonical_text(canonical(session, products))


def without_row_ids(content: dict) -> dict:
    plain = {key: value for key, value in content.items() if key not in ROW_IDS}
    plain["products"] = [
        {key: value for key, value in row.items() if key not in PRODUCT_ROW_IDS}
        for row in content.get("products", [])
    ]
    return plain


def verify(session, products=None) -> bool:
    """Whether ``session`` (signed) is the record its stored hash signed."""
    products = list(session.products.all()) if products is None else products
    origin = _origin(session)
    if origin is None:
        return content_hash(session, products) == session.content_hash
    if not (sha256_text(origin.canonical) == origin.content_hash == session.content_hash):
        return False
    now = json.loads(canonical_text(canonical(session, products)))
    return without_row_ids(now) == without_row_ids(json.loads(origin.canonical))


def _origin(session):
    try:
        return session.signed_origin
    except session.__class__.signed_origin.RelatedObjectDoesNotExist:
        return None
