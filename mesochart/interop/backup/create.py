"""Taking a backup: the database snapshot first, then the stored files, then the manifest.

Files are copied after the snapshot because a file is always stored before the row that
names it: every file the snapshot's rows refer to is therefore in the archive (a file
uploaded in between is carried too, harmlessly). The archive is written beside its target
and renamed into place, so a backup that fails leaves no partial file behind.
"""

import hashlib
import os
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from tempfile import TemporaryDirectory

from mesochart.interop.backup.archive import (
    FORMAT,
    FORMAT_VERSION,
    MEDIA,
    HashingReader,
    add_manifest,
    add_stream,
)
from mesochart.interop.backup.databases import database_for
from mesochart.interop.backup.media import media_storages, walk

PATTERN = "mesochart-*.backup.tar"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    tables: int
    rows: int
    files: int
    size_bytes: int


def target_path(target: Path, now: datetime) -> Path:
    """A folder gets a file named by the moment (UTC), so names sort in time order."""
    if target.is_dir():
        return target / f"mesochart-{now:%Y%m%dT%H%M%SZ}.backup.tar"
    return target


def make_backup(
    target: Path, settings_dict: dict, progress: Callable[[str], None] | None = None
) -> BackupResult:
    now = datetime.now(UTC)
    path = target_path(target, now)
    database = database_for(settings_dict)
    partial = path.with_name(path.name + ".partial")
    try:
        with TemporaryDirectory(dir=path.parent) as work:
            dump = Path(work) / database.dump_name
            snapshot = database.snapshot(dump, progress)
            with tarfile.open(partial, "w") as tar:
                with dump.open("rb") as handle:
                    add_stream(tar, database.dump_name, dump.stat().st_size, handle)
                files = _add_media(tar, progress)
                add_manifest(
                    tar,
                    {
                        "format": FORMAT,
                        "format_version": FORMAT_VERSION,
                        "created_at": now.isoformat(),
                        "mesochart_version": version("mesochart"),
                        "database": {"vendor": database.vendor, "file": database.dump_name},
                        "migrations": snapshot.migrations,
                        "tables": {
                            name: {"rows": digest.rows, "sha256": digest.sha256}
                            for name, digest in snapshot.digests.items()
                        },
                        "media": files,
                    },
                )
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(
        path=path,
        tables=len(snapshot.digests),
        rows=sum(digest.rows for digest in snapshot.digests.values()),
        files=len(files),
        size_bytes=path.stat().st_size,
    )


def _add_media(tar: tarfile.TarFile, progress) -> list[dict]:
    entries = []
    for alias, storage in media_storages().items():
        for name in walk(storage):
            if progress:
                progress(f"{alias}: {name}")
            sha = hashlib.sha256()
            size = storage.size(name)
            with storage.open(name, "rb") as handle:
                add_stream(tar, f"{MEDIA}/{alias}/{name}", size, HashingReader(handle, sha))
            entries.append(
                {"storage": alias, "name": name, "size": size, "sha256": sha.hexdigest()}
            )
    return entries


def rotate(folder: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` backups in ``folder``; the removed paths."""
    backups = sorted(folder.glob(PATTERN))
    removed = backups[:-keep] if keep > 0 else []
    for old in removed:
        old.unlink()
    return removed
