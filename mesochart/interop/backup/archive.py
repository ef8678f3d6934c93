"""The backup file: one tar archive, read member by member into a folder of our own, so no
name in it can write outside that folder and no link or device is ever created."""

import io
import json
import shutil
import tarfile
from pathlib import Path, PurePosixPath

from mesochart.interop.backup.errors import BackupError

FORMAT = "mesochart-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"


class HashingReader:
    """A file read once both into the archive and into its SHA-256."""

    def __init__(self, handle, sha):
        self.handle, self.sha = handle, sha

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.sha.update(data)
        return data


def add_stream(tar: tarfile.TarFile, name: str, size: int, reader) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    tar.addfile(info, reader)


def add_manifest(tar: tarfile.TarFile, manifest: dict) -> None:
    data = json.dumps(manifest, indent=2, sort_keys=True).encode()
    add_stream(tar, MANIFEST, len(data), io.BytesIO(data))


def _safe_name(member: tarfile.TarInfo) -> PurePosixPath:
    path = PurePosixPath(member.name)
    if path.is_absolute() or ".." in path.parts or "\\" in member.name:
        raise BackupError("backup", f"member {member.name}: is outside the archive's folder")
    if not member.isreg():
        raise BackupError("backup", f"member {member.name}: is not a regular file")
    return path


def unpack(archive: Path, folder: Path) -> dict:
    """Every member into ``folder``; the manifest, checked for its format, returned."""
    try:
        tar = tarfile.open(archive)  # noqa: SIM115 - closed below, errors told apart
    except (tarfile.ReadError, OSError) as error:
        raise BackupError("backup", f"is not a mesochart backup ({error})") from None
    with tar:
        for member in tar:
            path = folder / _safe_name(member)
            path.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            if source is None:
                raise BackupError("backup", f"member {member.name}: cannot be read")
            with source, path.open("wb") as target:
                shutil.copyfileobj(source, target)
    manifest_path = folder / MANIFEST
    if not manifest_path.exists():
        raise BackupError("backup", "has no manifest.json: it is not a mesochart backup")
    try:
        manifest = json.loads(manifest_path.read_text())
    except ValueError:
        raise BackupError("backup", "manifest.json is not valid JSON") from None
    if manifest.get("format") != FORMAT:
        raise BackupError("backup", "manifest.json is not a mesochart backup manifest")
    if not isinstance(manifest.get("format_version"), int) or (
        manifest["format_version"] > FORMAT_VERSION
    ):
        raise BackupError(
            "backup",
            f"format version {manifest.get('format_version')} is newer than this mesochart "
            f"reads ({FORMAT_VERSION}): install the version that made it",
        )
    return manifest
