"""A stored photo file, read back only while it is still what was stored.

Every image and thumbnail served, and every photo decoded for a comparison or an export, is
read through `read_checked`: its SHA-256 is computed again and compared with the one
recorded when the photo was taken (which is also in the audit chain). A file altered,
damaged or lost in the storage is never served: the mismatch is written to the audit log
(a ``read`` with outcome ``failure``, both hashes in its detail) and `PhotoAltered` refuses
the request with ``photo: rule``.
"""

import hashlib
import hmac

from mesochart.accounts.actor import Actor
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category, Outcome
from mesochart.photos import storage


class PhotoAltered(Exception):
    """The stored file is not the one taken; ``rule`` is said to the caller."""

    def __init__(self, which: str):
        self.rule = (
            f"the stored {which} does not match its SHA-256 (altered or damaged in the "
            "storage); it is not shown"
        )
        super().__init__(f"photo: {self.rule}")


def read_checked(actor: Actor, photo, which: str = "image") -> bytes:
    """The bytes of ``photo``'s image (or ``which="thumbnail"``), or `PhotoAltered`."""
    if which == "image":
        name, expected = photo.image_name, photo.sha256
    else:
        name, expected = photo.thumb_name, photo.thumb_sha256
    data: bytes | None
    try:
        data = storage.read(name)
    except FileNotFoundError:
        data, found = None, "missing"
    else:
        found = hashlib.sha256(data).hexdigest()
    if data is not None and hmac.compare_digest(found, expected):
        return data
    record(
        actor,
        Action.READ,
        Category.PHOTO,
        patient=photo.patient,
        obj=photo,
        outcome=Outcome.FAILURE,
        detail={"file": which, "expected_sha256": expected, "found_sha256": found},
    )
    raise PhotoAltered(which)
