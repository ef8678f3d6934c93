"""Where photo files live: Django's storage API, the ``photos`` alias of ``STORAGES``.

The filesystem under ``MESOCHART_PHOTO_ROOT`` (outside the web root, never served as static
or media) by default; any S3-compatible object store through django-storages when
``MESOCHART_PHOTO_STORAGE=s3`` (see settings). Names are random: nothing is guessable, and
every read goes through a view that checks access.
"""

import contextlib
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import storages


def photo_storage():
    return storages["photos"]


def new_name(clinic_id: int, kind: str) -> str:
    return f"clinic-{clinic_id}/{secrets.token_hex(16)}-{kind}.jpg"


def save(name: str, data: bytes) -> str:
    stored = photo_storage().save(name, ContentFile(data))
    if stored != name:  # a random name never collides; if it did, refuse rather than guess
        photo_storage().delete(stored)
        raise RuntimeError(f"photo storage renamed {name}")
    return stored


def read(name: str) -> bytes:
    with photo_storage().open(name, "rb") as handle:
        return handle.read()


def delete_quietly(name: str) -> None:
    # Cleaning up after a failure must not hide that failure.
    with contextlib.suppress(Exception):
        photo_storage().delete(name)
