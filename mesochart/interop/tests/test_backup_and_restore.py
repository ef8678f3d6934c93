"""A backup is proved by restoring it: taken while the clinic writes, restored into an empty
database, the restored rows match the manifest and the audit chain verifies.

The practice runs in its own database (a SQLite file, or a scratch PostgreSQL database when
the suite runs on PostgreSQL), driven through the real `mesochart` command, as a clinic
would run it. Data is synthetic.
"""

import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import dj_database_url
import psycopg
import pytest

from mesochart.interop.backup.archive import MANIFEST
from mesochart.interop.backup.create import rotate
from mesochart.interop.backup.databases import database_for
from mesochart.interop.backup.errors import BackupError
from mesochart.interop.backup.restore import restore_backup

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

MESOCHART = str(Path(sys.executable).with_name("mesochart"))
SUITE_DATABASE = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SUITE_DATABASE.startswith("postgres")

WRITER = """
import os, pathlib, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesochart.settings")
import django
django.setup()
from mesochart.accounts.actor import Actor
from mesochart.accounts.models import Membership
from mesochart.patients.actions import create_patient
desk = Actor.at(Membership.objects.select_related("clinic__organisation", "user").filter(
    role="reception").first())
ready, stop = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
written = 0
while not stop.exists() and written < 2000:
    create_patient(desk, {"given_name": "Wren", "family_name": f"Writer{written}",
                          "date_of_birth": "1990-01-01", "sex_at_birth": "female"})
    written += 1
    if written == 5:
        ready.touch()
print(written)
"""


class Practice:
    """One practice's installation: its data folder and database, as its commands see them."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.env["MESOCHART_VAR_DIR"] = str(folder)
        self.pg_name = None
        if ON_POSTGRES:
            self.pg_name = f"mesochart_backup_{uuid.uuid4().hex[:12]}"
            with psycopg.connect(_server_url("postgres"), autocommit=True) as server:
                server.execute(f'CREATE DATABASE "{self.pg_name}"')
            self.env["DATABASE_URL"] = _server_url(self.pg_name)
            self.settings_dict = dj_database_url.parse(self.env["DATABASE_URL"])
        else:
            self.settings_dict = {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(folder / "mesochart.sqlite3"),
            }

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(  # noqa: S603 - our own command, fixed arguments
            [MESOCHART, *args], env=self.env, capture_output=True, text=True, check=False
        )
        if check and done.returncode != 0:
            raise AssertionError(f"mesochart {' '.join(args)}: {done.stdout}{done.stderr}")
        return done

    def drop(self) -> None:
        if self.pg_name:
            with psycopg.connect(_server_url("postgres"), autocommit=True) as server:
                server.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


def _server_url(name: str) -> str:
    return f"{SUITE_DATABASE.rsplit('/', 1)[0]}/{name}"


@pytest.fixture(scope="module")
def running_practice(tmp_path_factory):
    """The demo practice, migrated and loaded, with one stored file."""
    practice = Practice(tmp_path_factory.mktemp("live"))
    practice.run("migrate")
    practice.run("demo")
    photo = practice.folder / "media" / "photos" / "synthetic-baseline.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(os.urandom(4096))
    yield practice
    practice.drop()


@pytest.fixture
def empty_practice(tmp_path):
    practice = Practice(tmp_path / "restored")
    practice.folder.mkdir()
    yield practice
    practice.drop()


@pytest.fixture
def empty_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    return settings.MEDIA_ROOT


def test_a_backup_taken_while_the_desk_registers_patients_restores_exactly(
    running_practice, empty_practice, tmp_path
):
    ready, stop = tmp_path / "ready", tmp_path / "stop"
    writer = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", WRITER, str(ready), str(stop)],
        env=running_practice.env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(600):
            if ready.exists() or writer.poll() is not None:
                break
            subprocess.run(["sleep", "0.1"], check=True)  # noqa: S607
        assert ready.exists(), "the writer never started writing"
        archive = tmp_path / "practice.backup.tar"
        done = running_practice.run("backup", str(archive))
    finally:
        stop.touch()
        written = int(writer.communicate(timeout=120)[0])
    assert "Backup written to" in done.stdout
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile(MANIFEST).read())
    patients = manifest["tables"]["patients_patient"]["rows"]
    assert patients >= 40 * 2 + 5, "the rows written before the backup began are in it"
    assert written > 5

    restored = empty_practice.run("restore", str(archive))

    assert "match the manifest" in restored.stdout
    assert "audit chain intact" in restored.stdout
    digests = database_for(empty_practice.settings_dict).current().digests
    for table, entry in manifest["tables"].items():
        if table in ("audit_auditevent", "audit_chainhead"):
            continue  # the restore itself is audited after the comparison
        assert (digests[table].rows, digests[table].sha256) == (entry["rows"], entry["sha256"])
    assert digests["audit_auditevent"].rows == manifest["tables"]["audit_auditevent"]["rows"] + 1
    assert (empty_practice.folder / "media" / "photos" / "synthetic-baseline.jpg").read_bytes() == (
        running_practice.folder / "media" / "photos" / "synthetic-baseline.jpg"
    ).read_bytes()
    assert empty_practice.run("audit", "verify").returncode == 0


def test_restoring_over_a_practice_that_has_data_is_refused(running_practice, tmp_path):
    archive = tmp_path / "practice.backup.tar"
    running_practice.run("backup", str(archive))

    refused = running_practice.run("restore", str(archive), check=False)

    assert refused.returncode == 2
    assert "database: is not empty" in refused.stderr


@pytest.fixture(scope="module")
def archive(running_practice, tmp_path_factory):
    path = tmp_path_factory.mktemp("archive") / "practice.backup.tar"
    running_practice.run("backup", str(path))
    return path


def _rewrite(archive: Path, target: Path, change) -> Path:
    """A copy of ``archive`` with each member passed through ``change(name, data)``."""
    with tarfile.open(archive) as source, tarfile.open(target, "w") as copy:
        for member in source:
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return target


def _is_empty(practice: Practice) -> bool:
    return database_for(practice.settings_dict).table_count() == 0


def test_a_backup_made_by_a_newer_mesochart_is_refused(
    archive, empty_practice, empty_media, tmp_path
):
    def newer(name, data):
        if name != MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["migrations"].append("treatments.9999_from_the_future")
        return json.dumps(manifest).encode()

    with pytest.raises(BackupError) as refused:
        restore_backup(
            _rewrite(archive, tmp_path / "newer.tar", newer), empty_practice.settings_dict
        )

    assert "treatments.9999_from_the_future is unknown" in str(refused.value)
    assert _is_empty(empty_practice)


def test_a_stored_file_altered_in_the_backup_is_refused_before_anything_is_restored(
    archive, empty_practice, empty_media, tmp_path
):
    def tampered(name, data):
        return b"not the photo" if name.startswith("media/") else data

    with pytest.raises(BackupError) as refused:
        restore_backup(
            _rewrite(archive, tmp_path / "tampered.tar", tampered), empty_practice.settings_dict
        )

    assert str(refused.value) == (
        "media/default/photos/synthetic-baseline.jpg: does not match its SHA-256 in the manifest"
    )
    assert _is_empty(empty_practice)
    assert not any(Path(empty_media).rglob("*.jpg"))


def test_a_database_whose_rows_disagree_with_the_manifest_is_not_left_restored(
    archive, empty_practice, empty_media, tmp_path
):
    def undercounted(name, data):
        if name != MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["tables"]["patients_patient"]["rows"] -= 1
        return json.dumps(manifest).encode()

    with pytest.raises(BackupError) as refused:
        restore_backup(
            _rewrite(archive, tmp_path / "undercounted.tar", undercounted),
            empty_practice.settings_dict,
        )

    assert "table patients_patient as restored does not match the manifest" in str(refused.value)
    assert _is_empty(empty_practice)
    assert not any(Path(empty_media).rglob("*.jpg"))


def test_a_member_outside_the_archive_folder_is_refused(empty_practice, tmp_path):
    evil = tmp_path / "evil.tar"
    with tarfile.open(evil, "w") as tar:
        payload = tmp_path / "payload"
        payload.write_text("x")
        tar.add(payload, arcname="../../outside.txt")

    with pytest.raises(BackupError) as refused:
        restore_backup(evil, empty_practice.settings_dict)

    assert str(refused.value) == "backup: member ../../outside.txt: is outside the archive's folder"
    assert not (tmp_path.parent / "outside.txt").exists()


def test_a_file_that_is_not_a_backup_is_refused(empty_practice, tmp_path):
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar archive at all")

    with pytest.raises(BackupError) as refused:
        restore_backup(junk, empty_practice.settings_dict)

    assert str(refused.value).startswith("backup: is not a mesochart backup")


def test_a_folder_of_backups_keeps_only_the_newest(tmp_path):
    for stamp in ("20261101T020000Z", "20261102T020000Z", "20261103T020000Z"):
        (tmp_path / f"mesochart-{stamp}.backup.tar").write_bytes(b"")

    removed = rotate(tmp_path, keep=2)

    assert [path.name for path in removed] == ["mesochart-20261101T020000Z.backup.tar"]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "mesochart-20261102T020000Z.backup.tar",
        "mesochart-20261103T020000Z.backup.tar",
    ]


def test_a_changed_cell_changes_the_table_digest(tmp_path):
    import sqlite3

    path = tmp_path / "small.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE dose (id INTEGER PRIMARY KEY, volume_ml REAL)")
        db.execute("INSERT INTO dose VALUES (1, 0.2), (2, 0.4)")
    database = database_for({"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)})
    before = database.current().digests["dose"]
    with sqlite3.connect(path) as db:
        db.execute("UPDATE dose SET volume_ml = 0.3 WHERE id = 2")

    after = database.current().digests["dose"]

    assert before.rows == after.rows == 2
    assert before.sha256 != after.sha256


def test_a_backup_into_a_missing_folder_is_refused_naming_it(running_practice, tmp_path):
    refused = running_practice.run(
        "backup", str(tmp_path / "no-such-folder" / "x.tar"), check=False
    )

    assert refused.returncode == 2
    assert f"TARGET: folder {tmp_path / 'no-such-folder'} does not exist" in refused.stderr
