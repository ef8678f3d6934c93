"""The database-level guard that makes the audit log append-only.

Triggers refuse UPDATE, DELETE and TRUNCATE on the log. The only way past them is an
explicit maintenance window on one connection (PostgreSQL: the ``mesochart.audit_unlocked``
setting, honoured only for the role that owns the audit tables, never for the role the
application connects as, docs/audit.md; SQLite: the ``mesochart_audit_locked()`` function
registered on each connection, and anyone holding the file can drop the triggers anyway).
Neither matters to the chain's integrity: rows are signed with a key the database never
holds (`audit.keys`). The test suite opens the window to empty tables between tests;
nothing in the application does.
"""

from contextlib import contextmanager

_sqlite_unlocked = False

TABLE = "audit_auditevent"
HEAD_TABLE = "audit_chainhead"

# The window opens only for the tables' owner (migration 0005 installs the same function).
_POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION mesochart_audit_refuse() RETURNS trigger AS $$
BEGIN
    IF current_setting('mesochart.audit_unlocked', true) = 'on' AND EXISTS (
        SELECT 1 FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
        WHERE c.oid = TG_RELID AND r.rolname = current_user
    ) THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        IF TG_OP = 'UPDATE' THEN RETURN NEW; END IF;
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING MESSAGE = 'the audit log is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
"""

POSTGRES_INSTALL = (
    _POSTGRES_FUNCTION
    + f"""
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION mesochart_audit_refuse();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION mesochart_audit_refuse();
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON {HEAD_TABLE}
    FOR EACH ROW EXECUTE FUNCTION mesochart_audit_refuse();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON {HEAD_TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION mesochart_audit_refuse();
"""
)

POSTGRES_REMOVE = f"""
DROP TRIGGER IF EXISTS audit_append_only ON {TABLE};
DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE};
DROP TRIGGER IF EXISTS audit_head_no_delete ON {HEAD_TABLE};
DROP TRIGGER IF EXISTS audit_head_no_truncate ON {HEAD_TABLE};
DROP FUNCTION IF EXISTS mesochart_audit_refuse();
"""

SQLITE_INSTALL = [
    f"""CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE}
        WHEN mesochart_audit_locked() BEGIN
        SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE refused'); END""",
    f"""CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE}
        WHEN mesochart_audit_locked() BEGIN
        SELECT RAISE(ABORT, 'the audit log is append-only: DELETE refused'); END""",
    f"""CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON {HEAD_TABLE}
        WHEN mesochart_audit_locked() BEGIN
        SELECT RAISE(ABORT, 'the audit chain head cannot be deleted'); END""",
]

SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_no_update",
    "DROP TRIGGER IF EXISTS audit_no_delete",
    "DROP TRIGGER IF EXISTS audit_head_no_delete",
]


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
