"""The database-level guard that makes the audit log append-only.

Triggers refuse UPDATE, DELETE and TRUNCATE on the log. The only way past them is an
explicit maintenance window on one connection (PostgreSQL: the ``mesochart.audit_unlocked``
setting, honoured only for the role that owns the audit tables, never for the role the
application connects as, docs/audit.md; SQLite: the ``mesochart_audit_locked()`` function
registered on each connection, and anyone holding the file can drop the triggers anyway).
Neither matters to the chain's integrity: rows are signed with a key the database never
holds (`audit.keys`). The test suite opens the window to empty tables between tests;
nothing in the application does. The triggers themselves are installed by the migrations
(``audit/0002``, and ``0005`` for the owner's window), each with its SQL written out.
"""

from contextlib import contextmanager

_sqlite_unlocked = False


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """Give every SQLite connection the function the triggers ask (connection_created)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "mesochart_audit_locked", 0, lambda: 0 if _sqlite_unlocked else 1, deterministic=False
        )


@contextmanager
def maintenance_window(connection):
    """Let UPDATE/DELETE through on this connection for the duration (tests, repairs)."""
    global _sqlite_unlocked
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET mesochart.audit_unlocked = 'on'")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET mesochart.audit_unlocked")
    else:
        _sqlite_unlocked = True
        try:
            yield
        finally:
            _sqlite_unlocked = False
