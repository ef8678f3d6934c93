"""Make the audit log append-only in the database itself, and create the chain head.

The SQL is written out here, as it was when this migration was made, not read from
`mesochart.audit.guard`: a migration is a snapshot, and a later change to the guard comes with
a migration of its own (0005).
"""

from django.db import migrations

TABLE = "audit_auditevent"
HEAD_TABLE = "audit_chainhead"

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


def install(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_INSTALL)
    elif connection.vendor == "sqlite":
        for statement in SQLITE_INSTALL:
            schema_editor.execute(statement)
    apps.get_model("audit", "ChainHead").objects.get_or_create(pk=1)


def remove(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_REMOVE)
    elif connection.vendor == "sqlite":
        for statement in SQLITE_REMOVE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
