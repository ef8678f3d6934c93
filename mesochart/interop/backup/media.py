"""The stored files a backup carries: every storage of ``settings.STORAGES`` except the
static files, which the installation itself provides."""

import hashlib
from collections.abc import Iterator

from django.conf import settings
from django.core.files.storage import Storage, storages

CHUNK = 1024 * 1024


def media_storages() -> dict[str, Storage]:
    return {alias: storages[alias] for alias in settings.STORAGES if alias != "staticfiles"}


def walk(storage: Storage, top: str = "") -> Iterator[str]:
    """Every file's name in ``storage`` below ``top``, directories first-level first."""
    try:
        directories, files = storage.listdir(top)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{top}/{name}" if top else name
    for directory in sorted(directories):
        yield from walk(storage, f"{top}/{directory}" if top else directory)


def sha256_of(handle) -> str:
    sha = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        sha.update(chunk)
    return sha.hexdigest()
