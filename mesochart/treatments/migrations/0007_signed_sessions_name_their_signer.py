"""A signed session names who signed it (`tx_signed_has_signer`; `tx_signed_has_hash` already
holds the time and the hash).

Before the constraint, a signed session with no signer is completed from its signature's audit
row; one the audit log cannot complete stops the migration, named (`lib/invariants`).
"""

from django.db import migrations, models

from mesochart.lib.invariants import refuse, repair_from_audit


def signers_from_the_audit_log(apps, schema_editor):
    session = apps.get_model("treatments", "TreatmentSession")
    broken = session.objects.filter(status="signed", signed_by__isnull=True)
    left = repair_from_audit(
        apps, schema_editor, broken, "treatmentsession", "signed", "signed_by", "signed_at"
    )
    refuse(
        left,
        "signed sessions with no signer, and no signature in the audit log",
        "Record who signed each (treatments_treatmentsession.signed_by) from the clinic's"
        " records, then migrate again. A demo database is rebuilt instead: delete it and run"
        " the demo again.",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_and_clinic_language"),
        ("audit", "0005_keyed_chain_owner_only_window"),
        ("treatments", "0006_session_late_entry"),
    ]

    operations = [
        migrations.RunPython(signers_from_the_audit_log, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="treatmentsession",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "signed"), _negated=True)
                | models.Q(("signed_by__isnull", False)),
                name="tx_signed_has_signer",
            ),
        ),
    ]
