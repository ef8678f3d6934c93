"""SQLite's planner statistics kept fresh while the app runs.

SQLite plans from ``sqlite_stat1``, which only ``ANALYZE`` writes; a practice that grows
after its last migrate would keep the plan of its first week (100,000 patients: a search
p95 of 295 ms instead of 4.8 ms). SQLite's advice is ``PRAGMA optimize``: it re-analyses
just the tables whose indexes the connection used and whose size changed a lot, and is a
no-op otherwise. Every new connection runs it (``init_command`` in settings, which on
SQLite 3.46+ checks every table); on older SQLite it only looks at tables used by the
connection, so a finished request also runs it, at most once per ``OPTIMIZE_EVERY_SECONDS``
per process, on its still-open connection: through the driver's own connection, since a
statistics pass is no query of the request's (and a test that opened no database must not
be charged with one when the five minutes happen to run out during it).
"""

import sqlite3
import time

from django.db import connections

OPTIMIZE_EVERY_SECONDS = 300
_last = {"at": 0.0}


def optimize_after_request(sender=None, **kwargs) -> None:
    now = time.monotonic()
    if now - _last["at"] < OPTIMIZE_EVERY_SECONDS:
        return
    connection = connections["default"]
    if connection.vendor != "sqlite" or connection.connection is None:
        return
    _last["at"] = now
    try:
        connection.connection.execute("PRAGMA analysis_limit=1000")
        connection.connection.execute("PRAGMA optimize")
    except sqlite3.DatabaseError:
        pass  # statistics are an optimisation: a busy or full database answers without them
