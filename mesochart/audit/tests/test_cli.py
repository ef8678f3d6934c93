from click.testing import CliRunner
from django.db import connection

from mesochart.audit import guard
from mesochart.audit.log import record
from mesochart.audit.models import Action, AuditEvent, Category
from mesochart.cli import main

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_audit_verify_exits_0_on_an_intact_chain_and_1_naming_the_row_after_tampering(practice):
    for _ in range(2):
        record(practice.admin, Action.READ, Category.DEMOGRAPHICS, clinic=practice.clinic)
    ok = CliRunner().invoke(main, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "2 rows verified" in ok.output
    first = AuditEvent.objects.order_by("pk").first()
    with guard.maintenance_window(connection), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET outcome = 'denied' WHERE id = %s", [first.pk])
    broken = CliRunner().invoke(main, ["audit", "verify"])
    assert broken.exit_code == 1
    assert f"row {first.pk}" in broken.output
