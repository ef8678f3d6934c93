"""An approved plan names its approver and the time (`plan_approved_has_approver`).

Before the constraint, an approved plan missing either is completed from its approval's audit
row; one the audit log cannot complete stops the migration, named (`lib/invariants`).
"""

from django.db import migrations, models

from mesochart.lib.invariants import refuse, repair_from_audit


def approvers_from_the_audit_log(apps, schema_editor):
    plan = apps.get_model("planning", "Plan")
    broken = plan.objects.filter(status="approved").filter(
        models.Q(approved_by__isnull=True) | models.Q(approved_at__isnull=True)
    )
    left = repair_from_audit(
        apps, schema_editor, broken, "plan", "approved", "approved_by", "approved_at"
    )
    refuse(
        left,
        "approved plans with no approver or approval time, and no approval in the audit log",
        "Record who approved each and when (planning_plan.approved_by, approved_at) from the"
        " clinic's records, or return it to draft (status 'draft'), then migrate again."
        " A demo database is rebuilt instead: delete it and run the demo again.",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_and_clinic_language"),
        ("audit", "0005_keyed_chain_owner_only_window"),
        ("planning", "0004_protocols_name_outcome_measures_and_follow_ups"),
    ]

    operations = [
        migrations.RunPython(approvers_from_the_audit_log, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "approved"), _negated=True)
                | models.Q(("approved_at__isnull", False), ("approved_by__isnull", False)),
                name="plan_approved_has_approver",
            ),
        ),
    ]
