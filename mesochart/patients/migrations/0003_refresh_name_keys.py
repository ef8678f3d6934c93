"""Recompute the search keys after name_key learnt letters such as ø, ł and ß.

``name_key`` is written out here as it was then (a migration is a snapshot; the live one is
`mesochart.patients.search.name_key`, and a later change to it comes with its own migration).
"""

import re
import unicodedata

from django.db import migrations

TRANSLITERATION = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "Th",
        "ı": "i",
    }
)


def name_key(text: str) -> str:
    """Lower-case ASCII letters, digits and single spaces: 'Ó Súilleabháin' → 'o suilleabhain'."""
    latin = text.translate(TRANSLITERATION)
    folded = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


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
