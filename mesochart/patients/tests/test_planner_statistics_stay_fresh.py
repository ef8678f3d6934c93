"""SQLite's planner statistics follow the practice as it grows, not only at migrate
(issue 14, Medium 10): at 100,000 patients a search took 295 ms without them, 4.8 ms with."""

from datetime import date

import pytest
from django.db import connection

from mesochart.lib import sqlite
from mesochart.patients.models import Patient

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own statistics"),
]


def patient_statistics() -> list:
    with connection.cursor() as cursor:
        cursor.execute("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'patients_patient'")
        return cursor.fetchall()


def grow(practice, count):
    patients = []
    for number in range(count):
        patient = Patient(
            organisation=practice.org,
            clinic=practice.clinic,
            given_name=f"Given{number}",
            family_name=f"Family{number % 97}",
            record_number=f"MC-{number + 10:06d}",
            date_of_birth=date(1970 + number % 40, 1 + number % 12, 1 + number % 28),
            sex_at_birth="female",
        )
        patient.refresh_search_keys()
        patients.append(patient)
    Patient.objects.bulk_create(patients)


def test_every_new_sqlite_connection_asks_for_fresh_statistics(settings):
    commands = settings.DATABASES["default"]["OPTIONS"]["init_command"]
    assert "PRAGMA optimize=0x10002" in commands
    assert "PRAGMA analysis_limit=1000" in commands


def test_a_practice_that_grew_since_migrate_gets_statistics_while_it_runs(
    practice, client_for, monkeypatch
):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'patients_patient'")
    grow(practice, 600)
    assert patient_statistics() == []
    monkeypatch.setattr(sqlite, "_last", {"at": -sqlite.OPTIMIZE_EVERY_SECONDS})

    response = client_for(practice.reception).get("/patients/", {"q": "Family1"})

    assert response.status_code == 200
    assert patient_statistics(), "no statistics after the request"
    rows = max(int(stat.split()[0]) for _, stat in patient_statistics())
    assert rows >= 600
