"""The audit chain's HMAC keys, from the settings (the environment), never the database.

Each row names the key that signed it by a short id (a digest of the key, so the id says
nothing about the key itself); a rotation writes a ``key_rotation`` row signed by the new
key, and the keys used before stay in ``AUDIT_OLD_KEYS`` so older rows still verify.
"""

import hashlib
import hmac

from django.conf import settings


def key_id_of(key: str) -> str:
    return hashlib.sha256(b"mesochart audit key id\x00" + key.encode()).hexdigest()[:12]


def current() -> tuple[str, bytes]:
    """The id and bytes of the key new rows are signed with."""
    return key_id_of(settings.AUDIT_KEY), settings.AUDIT_KEY.encode()


def lookup(key_id: str) -> bytes | None:
    """The key with ``key_id``, current or old, or None if this server does not know it."""
    for key in [settings.AUDIT_KEY, *settings.AUDIT_OLD_KEYS]:
        if key_id_of(key) == key_id:
            return key.encode()
    return None


def mac(key: bytes, content: bytes) -> str:
    return hmac.new(key, content, hashlib.sha256).hexdigest()
