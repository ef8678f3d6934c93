"""Restoring a backup into an empty database, and proving it holds what was backed up.

Everything that can be checked before a write is checked first: the archive's members and
format, the schema (a backup made by a newer mesochart is refused), every stored file's
SHA-256 and that no file of that name exists yet, and that the database is empty. Then the
database is loaded in one transaction (PostgreSQL) or renamed into place (SQLite), digested
again and compared with the manifest, and only then are the files stored. A restore that
fails at any step leaves the database empty and no file behind.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.files import File
from django.db.migrations.loader import MigrationLoader

from mesochart.interop.backup.archive import MEDIA, unpack
from mesochart.interop.backup.databases import TableDigest, database_for
from mesochart.interop.backup.errors import BackupError
from mesochart.interop.backup.media import media_storages, sha256_of


@dataclass(frozen=True)
class RestoreResult:
    tables: int
    rows: int
    files: int
    created_at: str


def restore_backup(
    archive: Path, settings_dict: dict, progress: Callable[[str], None] | None = None
) -> RestoreResult:
    database = database_for(settings_dict)
    with TemporaryDirectory() as work:
        folder = Path(work)
        manifest = unpack(archive, folder)
        if manifest["database"]["vendor"] != database.vendor:
            raise BackupError(
                "database",
                f"the backup is of a {manifest['database']['vendor']} database and restores "
                f"into {manifest['database']['vendor']} only, not {database.vendor}",
            )
        _check_schema(manifest["migrations"])
        existing = database.table_count()
        if existing:
            raise BackupError(
                "database",
                f"is not empty ({existing} tables): a backup restores into an empty database",
            )
        storages = media_storages()
        _check_media(manifest["media"], folder, storages)
        database.load(folder / manifest["database"]["file"])
        expected = {
            name: TableDigest(entry["rows"], entry["sha256"])
            for name, entry in manifest["tables"].items()
        }
        try:
            _compare(expected, database.current(progress).digests)
            _store_media(manifest["media"], folder, storages)
        except BaseException:
            database.wipe()
            raise
    return RestoreResult(
        tables=len(expected),
        rows=sum(digest.rows for digest in expected.values()),
        files=len(manifest["media"]),
        created_at=manifest["created_at"],
    )


def _check_schema(applied: list[str]) -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    unknown = sorted(set(applied) - known)
    if unknown:
        raise BackupError(
            "backup",
            f"was made by a newer mesochart (its migration {unknown[0]} is unknown to this "
            "version): install that version to restore it",
        )


def _check_media(entries: list[dict], folder: Path, storages) -> None:
    for entry in entries:
        label = f"{MEDIA}/{entry['storage']}/{entry['name']}"
        if entry["storage"] not in storages:
            raise BackupError(label, f"storage {entry['storage']} is not configured here")
        path = folder / MEDIA / entry["storage"] / entry["name"]
        if not path.is_file():
            raise BackupError(label, "is named in the manifest but missing from the archive")
        with path.open("rb") as handle:
            if sha256_of(handle) != entry["sha256"]:
                raise BackupError(label, "does not match its SHA-256 in the manifest")
        if storages[entry["storage"]].exists(entry["name"]):
            raise BackupError(label, "already exists in the storage: restore needs it empty")


def _compare(expected: dict[str, TableDigest], restored: dict[str, TableDigest]) -> None:
    for name in sorted(set(expected) | set(restored)):
        if expected.get(name) != restored.get(name):
            raise BackupError(
                "database",
                f"table {name} as restored does not match the manifest "
                f"({_rows(restored.get(name))} rows restored, {_rows(expected.get(name))} "
                "backed up, or their content differs)",
            )


def _rows(digest: TableDigest | None) -> str:
    return "no" if digest is None else str(digest.rows)


def _store_media(entries: list[dict], folder: Path, storages) -> None:
    stored: list[tuple[str, str]] = []
    try:
        for entry in entries:
            storage = storages[entry["storage"]]
            with (folder / MEDIA / entry["storage"] / entry["name"]).open("rb") as handle:
                name = storage.save(entry["name"], File(handle))
            stored.append((entry["storage"], name))
            if name != entry["name"]:
                raise BackupError(
                    f"{MEDIA}/{entry['storage']}/{entry['name']}",
                    f"was stored as {name}: the storage renamed it",
                )
    except BaseException:
        for alias, name in stored:
            storages[alias].delete(name)
        raise
