"""A consent keeps the SHA-256 of its document and of its signature (`cs_consent_has_hashes`).

A hash computed now would vouch for bytes nobody checked when the patient signed, so a
consent without one is never repaired: the migration stops, naming it (`lib/invariants`).
"""

from django.db import migrations, models

from mesochart.lib.invariants import refuse


def consents_without_hashes(apps, schema_editor):
    consent = apps.get_model("consent", "Consent")
    refuse(
        consent.objects.filter(models.Q(document_sha256="") | models.Q(signature_sha256="")),
        "consents with no document or signature hash",
        "None can be proved to be what the patient signed. Restore each hash from the"
        " clinic's verified copy of the signed document (a backup); where there is none, have"
        " the patient sign again and take the row out with a written record of why; then"
        " migrate again.",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0002_language"),
    ]

    operations = [
        migrations.RunPython(consents_without_hashes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="consent",
            constraint=models.CheckConstraint(
                condition=models.Q(("document_sha256", ""), _negated=True)
                & models.Q(("signature_sha256", ""), _negated=True),
                name="cs_consent_has_hashes",
            ),
        ),
    ]
