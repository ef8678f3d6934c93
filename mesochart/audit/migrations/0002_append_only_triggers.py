"""Make the audit log append-only in the database itself, and create the chain head."""

from django.db import migrations

from mesochart.audit import guard


def install(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(guard.POSTGRES_INSTALL)
    elif connection.vendor == "sqlite":
        for statement in guard.SQLITE_INSTALL:
            schema_editor.execute(statement)
    apps.get_model("audit", "ChainHead").objects.get_or_create(pk=1)


def remove(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(guard.POSTGRES_REMOVE)
    elif connection.vendor == "sqlite":
        for statement in guard.SQLITE_REMOVE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
