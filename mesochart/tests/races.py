"""Two callers at the same moment, for the tests that show a lock holds.

On PostgreSQL both threads use the test database. SQLite's test database lives in memory,
where two connections cannot race; there `file_copy` copies it to a file (the real set-up:
WAL, ``transaction_mode = IMMEDIATE``) and each thread opens its own connection to it.
"""

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, connections


def file_copy(tmp_path: Path) -> Path | None:
    """A file copy of SQLite's in-memory test database; None on PostgreSQL."""
    if connection.vendor != "sqlite":
        return None
    path = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return path


def own_connection(path: Path | None) -> None:
    """This thread's default connection opens ``path`` (the file copy), if there is one."""
    if path is None:
        return
    default = connections["default"]
    connections["default"] = default.__class__({**default.settings_dict, "NAME": str(path)})


def count(path: Path | None, model) -> int:
    """Rows of ``model`` in the database the threads wrote to."""
    if path is None:
        return model.objects.count()
    with sqlite3.connect(path) as db:
        return db.execute(f"SELECT count(*) FROM {model._meta.db_table}").fetchone()[0]  # noqa: S608


def race(path: Path | None, *calls: Callable[[], str]) -> list[str]:
    """Run ``calls`` in threads released together; each one's answer, a refusal's
    ``field: rule`` or any other error's repr, sorted."""
    start = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call):
        try:
            own_connection(path)
            start.wait(timeout=10)
            outcomes.append(call())
        except ValidationError as error:
            outcomes.append("; ".join(f"{f}: {r[0]}" for f, r in error.message_dict.items()))
        except Exception as error:  # the test shows what went wrong
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)
