"""The two databases mesochart runs on, as a backup sees them.

Each gives a consistent snapshot (the dump file) together with the content digests *of that
same snapshot*, tells whether a database is empty, loads a dump, and digests a database
again after a restore. They take Django's ``DATABASES`` entry but open their own
connections, so a backup never runs inside a request's transaction and a restore can target
a database the running application is not connected to.
"""

import hashlib
import os
import sqlite3
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from mesochart.interop.backup.errors import BackupError

Progress = Callable[[str], None]


@dataclass(frozen=True)
class TableDigest:
    """A table's row count and the SHA-256 of its rows in primary-key order."""

    rows: int
    sha256: str


@dataclass(frozen=True)
class Snapshot:
    digests: dict[str, TableDigest]
    migrations: list[str]  # "app.name" of every migration applied in the snapshot


def _digest(rows: Iterable[object]) -> TableDigest:
    sha, count = hashlib.sha256(), 0
    for row in rows:
        sha.update(repr(row).encode())
        sha.update(b"\n")
        count += 1
    return TableDigest(count, sha.hexdigest())


def _migrations(connection, digests: dict) -> list[str]:
    """The migrations a snapshot has applied (sqlite3 and psycopg connections alike)."""
    if "django_migrations" not in digests:
        return []
    rows = connection.execute("SELECT app, name FROM django_migrations")
    return sorted(f"{app}.{name}" for app, name in rows)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Sqlite:
    """A SQLite file, copied with the online backup API: one read transaction on the
    source, so writers in WAL mode go on and the copy is of one instant."""

    vendor = "sqlite"
    dump_name = "database.sqlite3"

    def __init__(self, settings_dict: dict):
        self.name = str(settings_dict["NAME"])

    def _connect(self, name: str | None = None) -> sqlite3.Connection:
        name = name or self.name
        connection = sqlite3.connect(name, uri=name.startswith("file:"), timeout=30)
        connection.execute("PRAGMA busy_timeout = 30000")
        return connection

    def snapshot(self, dump: Path, progress: Progress | None = None) -> Snapshot:
        source, copy = self._connect(), sqlite3.connect(dump)
        try:
            source.backup(copy)
            return self._snapshot_of(copy, progress)
        finally:
            source.close()
            copy.close()

    def _snapshot_of(self, connection: sqlite3.Connection, progress: Progress | None):
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        digests: dict[str, TableDigest] = {}
        for table in tables:
            if progress:
                progress(table)
            columns = sorted(
                (row for row in connection.execute(f"PRAGMA table_info({_quote(table)})")),
                key=lambda row: row[5],
            )
            key = ", ".join(_quote(row[1]) for row in columns if row[5] > 0) or "rowid"
            # Table and column names come from the database's own catalogue, quoted.
            query = f"SELECT * FROM {_quote(table)} ORDER BY {key}"  # noqa: S608
            digests[table] = _digest(connection.execute(query))
        return Snapshot(digests, _migrations(connection, digests))

    def table_count(self) -> int:
        if self.name.startswith("file:") or not Path(self.name).exists():
            return 0
        with self._connect() as connection:
            return connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%'"
            ).fetchone()[0]

    def load(self, dump: Path) -> None:
        """Copy the dump into place through a file beside the target, then rename it, so a
        failed restore leaves no half-copied database."""
        target = Path(self.name)
        for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
            leftover.unlink(missing_ok=True)
        partial = target.with_name(target.name + ".restoring")
        source, copy = sqlite3.connect(dump), sqlite3.connect(partial)
        try:
            source.backup(copy)
        finally:
            source.close()
            copy.close()
        os.replace(partial, target)

    def current(self, progress: Progress | None = None) -> Snapshot:
        with self._connect() as connection:
            return self._snapshot_of(connection, progress)

    def wipe(self) -> None:
        Path(self.name).unlink(missing_ok=True)


class Postgres:
    """A PostgreSQL database, dumped by ``pg_dump`` from a snapshot exported by the same
    REPEATABLE READ transaction that computes the digests."""

    vendor = "postgresql"
    dump_name = "database.pgdump"
    # Fixed output settings, so a row's text is the same at backup and at restore.
    SESSION = (
        "SET TIME ZONE 'UTC'",
        "SET datestyle = 'ISO, YMD'",
        "SET intervalstyle = 'postgres'",
        "SET extra_float_digits = 1",
        "SET bytea_output = 'hex'",
    )

    def __init__(self, settings_dict: dict):
        from psycopg.conninfo import make_conninfo

        parts = {
            "dbname": settings_dict["NAME"],
            "user": settings_dict.get("USER") or None,
            "password": settings_dict.get("PASSWORD") or None,
            "host": settings_dict.get("HOST") or None,
            "port": str(settings_dict["PORT"]) if settings_dict.get("PORT") else None,
        }
        self.conninfo = make_conninfo(**{k: v for k, v in parts.items() if v})

    def _connect(self, snapshot: bool = False, **options):
        """A connection with the fixed output settings; ``snapshot``: in one REPEATABLE
        READ, read-only transaction (set before the first statement opens it)."""
        import psycopg

        connection = psycopg.connect(self.conninfo, **options)
        if snapshot:
            connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            connection.read_only = True
        for statement in self.SESSION:
            connection.execute(statement)
        return connection

    def _run(self, command: list[str], what: str) -> None:
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            raise BackupError("database", f"{what} failed: {done.stderr.strip()[:500]}")

    def snapshot(self, dump: Path, progress: Progress | None = None) -> Snapshot:
        connection = self._connect(snapshot=True)
        try:
            exported = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
            self._run(
                [
                    "pg_dump",
                    "--format=custom",
                    f"--snapshot={exported}",
                    f"--file={dump}",
                    f"--dbname={self.conninfo}",
                ],
                "pg_dump",
            )
            return self._snapshot_of(connection, progress)
        finally:
            connection.rollback()
            connection.close()

    def _snapshot_of(self, connection, progress: Progress | None) -> Snapshot:
        from psycopg import sql

        tables = [
            row[0]
            for row in connection.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() ORDER BY 1"
            )
        ]
        digests: dict[str, TableDigest] = {}
        for table in tables:
            if progress:
                progress(table)
            key = [
                row[0]
                for row in connection.execute(
                    "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                    "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                    "WHERE i.indrelid = %s::regclass AND i.indisprimary "
                    "ORDER BY array_position(i.indkey, a.attnum)",
                    [sql.Identifier(table).as_string(connection)],
                )
            ]
            order = (
                sql.SQL(", ").join(sql.Identifier(column) for column in key)
                if key
                else sql.SQL("t::text")
            )
            query = sql.SQL("SELECT t::text FROM {} t ORDER BY {}").format(
                sql.Identifier(table), order
            )
            with connection.cursor(name=f"digest_{len(digests)}") as cursor:
                cursor.itersize = 5000
                cursor.execute(query)
                digests[table] = _digest(row[0] for row in cursor)
        return Snapshot(digests, _migrations(connection, digests))

    def table_count(self) -> int:
        with self._connect() as connection:
            return connection.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
            ).fetchone()[0]

    def load(self, dump: Path) -> None:
        """One transaction: a dump that fails half-way leaves the database as it was."""
        self._run(
            [
                "pg_restore",
                "--exit-on-error",
                "--single-transaction",
                "--no-owner",
                "--no-privileges",
                f"--dbname={self.conninfo}",
                str(dump),
            ],
            "pg_restore",
        )

    def current(self, progress: Progress | None = None) -> Snapshot:
        with self._connect() as connection:
            return self._snapshot_of(connection, progress)

    def wipe(self) -> None:
        """Empty the schema again after a restore that did not verify (it was empty)."""
        from psycopg import sql

        with self._connect(autocommit=True) as connection:
            schema = connection.execute("SELECT current_schema()").fetchone()[0]
            connection.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
            connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))


def database_for(settings_dict: dict) -> Sqlite | Postgres:
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return Sqlite(settings_dict)
    if "postgresql" in engine:
        return Postgres(settings_dict)
    raise BackupError("database", f"{engine} is not a database mesochart can back up")
