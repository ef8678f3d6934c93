"""Recompute the search keys after name_key learnt letters such as ø, ł and ß."""

from django.db import migrations

from mesochart.patients.search import name_key


def refresh(apps, schema_editor):
    Patient = apps.get_model("patients", "Patient")
    batch = []
    for patient in Patient.objects.only("pk", "given_name", "family_name").iterator():
        patient.given_key = name_key(patient.given_name)
        patient.family_key = name_key(patient.family_name)
        batch.append(patient)
        if len(batch) == 1000:
            Patient.objects.bulk_update(batch, ["given_key", "family_key"])
            batch = []
    Patient.objects.bulk_update(batch, ["given_key", "family_key"])


class Migration(migrations.Migration):
    dependencies = [("patients", "0002_allergy_review_status")]
    operations = [migrations.RunPython(refresh, migrations.RunPython.noop)]
