"""On PostgreSQL the maintenance window opens only for the role owning the audit tables: the
role the application connects as can set ``mesochart.audit_unlocked`` and is still refused
(docs/audit.md shows the two roles)."""

import os

import psycopg
import pytest
from django.db import connection

from mesochart.audit.log import record
from mesochart.audit.models import Action, AuditEvent, Category

pytestmark = pytest.mark.django_db(transaction=True)

APP_ROLE = f"mesochart_app_test_{os.getpid()}"


@pytest.fixture
def app_role():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL roles")
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{APP_ROLE}" LOGIN')
        cursor.execute(
            f'GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON audit_auditevent TO "{APP_ROLE}"'
        )
    settings = connection.settings_dict
    app = psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=APP_ROLE,
        autocommit=True,
    )
    yield app
    app.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{APP_ROLE}"')
        cursor.execute(f'DROP ROLE "{APP_ROLE}"')


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET actor_label = 'forger'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
    ],
    ids=["update", "delete", "truncate"],
)
def test_the_application_role_cannot_open_the_maintenance_window(practice, app_role, statement):
    record(practice.nurse, Action.READ, Category.CLINICAL, clinic=practice.clinic)
    app_role.execute("SET mesochart.audit_unlocked = 'on'")
    with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        app_role.execute(statement)
    assert AuditEvent.objects.get().actor_label == practice.nurse.username
