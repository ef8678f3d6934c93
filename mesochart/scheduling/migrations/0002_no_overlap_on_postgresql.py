"""No two appointments holding time overlap for one practitioner or one room: an exclusion
constraint on PostgreSQL (btree_gist lets the integer id share a GiST index with the range).
SQLite has no such constraint; there the booking actions check inside the transaction that
``transaction_mode = IMMEDIATE`` opens with the database's write lock held."""

from django.db import migrations

RELEASED = "('cancelled', 'no_show')"

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""ALTER TABLE scheduling_appointment ADD CONSTRAINT appointment_practitioner_no_overlap
        EXCLUDE USING gist (practitioner_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
        WHERE (state NOT IN {RELEASED})""",
    f"""ALTER TABLE scheduling_appointment ADD CONSTRAINT appointment_room_no_overlap
        EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
        WHERE (room_id IS NOT NULL AND state NOT IN {RELEASED})""",
]
BACKWARD = [
    "ALTER TABLE scheduling_appointment DROP CONSTRAINT appointment_room_no_overlap",
    "ALTER TABLE scheduling_appointment DROP CONSTRAINT appointment_practitioner_no_overlap",
]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_calendar")]

    operations = [migrations.RunPython(_on_postgresql(FORWARD), _on_postgresql(BACKWARD))]
