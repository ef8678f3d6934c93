"""Signing is atomic: a database failure at any statement of the sign action leaves the
draft as it was, with no stock movement, no lot use for the recall, no hash and no audit
entry of the signature."""

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from mesochart.audit.models import AuditEvent
from mesochart.formulary.models import StockMovement
from mesochart.testing.sessions import proof
from mesochart.treatments import actions
from mesochart.treatments.models import LotUse, TreatmentSession

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


class FailAt:
    """An execute wrapper that raises on the ``n``-th statement (0-based)."""

    def __init__(self, n):
        self.n, self.seen = n, 0

    def __call__(self, execute, sql, params, many, context):
        self.seen += 1
        if self.seen - 1 == self.n:
            raise OperationalError(f"injected failure at statement {self.n}")
        return execute(sql, params, many, context)


def _state(session):
    row = TreatmentSession.objects.get(pk=session.pk)
    movements = StockMovement.objects.filter(reference=f"treatment-session:{session.pk}").count()
    audits = AuditEvent.objects.count()
    uses = LotUse.objects.filter(session=session).count()
    return row.status, row.content_hash, row.version, movements, audits, uses


def test_a_failure_at_any_statement_leaves_nothing_half_written(ready):
    session = ready.drafted(drawn="4.5", wasted="0.5")
    before = _state(session)
    probe = TreatmentSession.objects.get(pk=session.pk)
    with CaptureQueriesContext(connection) as counted:
        sid = connection.savepoint()
        actions.sign_session(ready.membership, probe, reauthentication=proof(ready.membership))
        connection.savepoint_rollback(sid)
    total = len(counted) - 2  # the probe's own savepoint statements
    assert total > 10
    for n in range(total):
        fresh = TreatmentSession.objects.get(pk=session.pk)
        with connection.execute_wrapper(FailAt(n)), pytest.raises(OperationalError):
            actions.sign_session(ready.membership, fresh, reauthentication=proof(ready.membership))
        assert _state(session) == before, f"half-written after a failure at statement {n}"
    signed = actions.sign_session(
        ready.membership,
        TreatmentSession.objects.get(pk=session.pk),
        reauthentication=proof(ready.membership),
    )
    status, digest, _, movements, _, uses = _state(signed)
    assert (status, len(digest), movements, uses) == ("signed", 64, 2, 1)
