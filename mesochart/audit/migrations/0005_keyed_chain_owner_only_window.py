"""The chain is keyed (each row names its HMAC key) and, on PostgreSQL, the maintenance
window opens only for the role that owns the audit tables, not for the role the application
connects as (docs/audit.md). The SQL is written here, not imported, so the migration keeps
meaning what it meant."""

from django.db import migrations, models

OWNER_ONLY_WINDOW = """
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

ANY_ROLE_WINDOW = """
CREATE OR REPLACE FUNCTION mesochart_audit_refuse() RETURNS trigger AS $$
BEGIN
    IF current_setting('mesochart.audit_unlocked', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        IF TG_OP = 'UPDATE' THEN RETURN NEW; END IF;
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING MESSAGE = 'the audit log is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
"""


def owner_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OWNER_ONLY_WINDOW)


def any_role(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ANY_ROLE_WINDOW)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_codes_without_choices")]
    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, max_length=16, null=True),
        ),
        migrations.AddField(
            model_name="chainhead",
            name="key_id",
            field=models.CharField(blank=True, max_length=16, null=True),
        ),
        migrations.RunPython(owner_only, any_role),
    ]
