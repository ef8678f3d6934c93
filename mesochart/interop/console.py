"""What `mesochart backup` and `mesochart restore` do around the backup itself: audit the
backup in the database it copies, rotate a folder of backups, and prove a restore by
walking the restored audit chain; and `mesochart import fhir`."""

import json
import zipfile
from pathlib import Path, PurePosixPath

from django.db import connection, transaction

from mesochart.audit import checkpoints
from mesochart.audit.log import record, verify
from mesochart.audit.models import Action, Category
from mesochart.interop.backup.create import BackupResult, make_backup, rotate
from mesochart.interop.backup.errors import BackupError
from mesochart.interop.backup.restore import RestoreResult, restore_backup
from mesochart.interop.importer.actions import Imported, import_patient_bundle
from mesochart.interop.importer.errors import ImportRefused

BUNDLE = "fhir/bundle.json"  # where the whole-record zip holds the Bundle (`interop.ehi`)


def backup(target: Path, keep: int | None, progress=None) -> tuple[BackupResult, list[Path]]:
    if keep is not None and not target.is_dir():
        raise BackupError("--keep", "needs TARGET to be a folder of backups")
    if not target.is_dir() and not target.parent.is_dir():
        raise BackupError("TARGET", f"folder {target.parent} does not exist")
    with transaction.atomic():
        record(None, Action.EXPORT, Category.AUDIT, detail={"backup": str(target)})
    result = make_backup(target, connection.settings_dict, progress)
    removed = rotate(target, keep) if keep is not None else []
    return result, removed


def restore(archive: Path, progress=None) -> tuple[RestoreResult, int]:
    """Restore, then verify the restored audit chain; the number of rows verified."""
    if not archive.is_file():
        raise BackupError("FILE", "does not exist")
    result = restore_backup(archive, connection.settings_dict, progress)
    # The checkpoints describe the chain as it was before the restore, which may be newer
    # than the backup: they are kept aside and the restored chain is checkpointed afresh.
    report = verify(use_checkpoints=False)
    if not report.ok:
        raise BackupError(
            "audit", f"the restored chain is broken at row {report.first_bad_id}: {report.problem}"
        )
    checkpoints.archive()
    with transaction.atomic():
        record(
            None,
            Action.CREATE,
            Category.AUDIT,
            detail={"restored_from": archive.name, "backup_created_at": result.created_at},
        )
    checkpoints.write_head()
    return result, report.checked


def import_fhir(path: Path, organisation) -> Imported:
    """The console's import of a Bundle file, or of a whole-record zip (its Bundle and its
    photos), by the installation's own operator (no actor)."""
    if not path.is_file():
        raise ImportRefused([("FILE", "does not exist")])
    files: dict[str, bytes] = {}
    if zipfile.is_zipfile(path):
        text, files = _from_zip(path)
    else:
        text = path.read_bytes()
    try:
        bundle = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportRefused([("FILE", f"is not JSON ({error})")]) from None
    return import_patient_bundle(organisation, bundle, via="console", files=files)


def _from_zip(path: Path) -> tuple[bytes, dict[str, bytes]]:
    """The Bundle and the photos of a whole-record zip, read in memory (nothing extracted);
    a zip naming a path outside its own folder is refused before anything is read."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        for name in names:
            parts = PurePosixPath(name).parts
            if name.startswith(("/", "\\")) or ".." in parts or ":" in name:
                raise ImportRefused([("FILE", f"holds {name}, a path outside its folder")])
        if BUNDLE not in names:
            raise ImportRefused([("FILE", f"is a zip without {BUNDLE}")])
        photos = {
            name: archive.read(name)
            for name in names
            if name.startswith("photos/") and not name.endswith("/")
        }
        return archive.read(BUNDLE), photos
