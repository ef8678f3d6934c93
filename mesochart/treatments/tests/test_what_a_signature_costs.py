"""A signature's work does not grow with the patient's history or the lots drawn, and its
stock movements and the signature itself are chained into the audit log in one append."""

from contextlib import contextmanager
from datetime import timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mesochart.audit.log import verify
from mesochart.audit.models import AuditEvent
from mesochart.testing.consent import screen
from mesochart.testing.sessions import TODAY, proof, receive, signed_history
from mesochart.treatments import actions
from mesochart.treatments.access import get_session

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

# The label's month between two sessions has passed by then; the screening is renewed.
LATER = TODAY + timedelta(days=45)


@contextmanager
def later(ready):
    with time_machine.travel(LATER, tick=False):
        screen(ready.practice, ready.version, area="submental", indication="body_contouring")
        yield


def _sign(ready, session) -> list[str]:
    """The statements of signing ``session`` as the page does it (read, then sign)."""
    with CaptureQueriesContext(connection) as captured:
        found = get_session(ready.membership, session.pk, "session.sign")
        actions.sign_session(ready.membership, found, reauthentication=proof(ready.membership))
    return [query["sql"] for query in captured.captured_queries]


def _two_lots(ready, practice):
    second = receive(practice, lot_number="DCA-002")
    rows = [
        {"lot": ready.lot.pk, "volume_drawn_ml": "2", "volume_wasted_ml": "0.5"},
        {"lot": second.pk, "volume_drawn_ml": "3", "volume_wasted_ml": "0.5"},
    ]
    return actions.save_draft(ready.membership, ready.start(ad_hoc=True), {"products": rows})


def test_a_longer_history_costs_a_signature_no_extra_statement(ready):
    first = _sign(ready, ready.drafted())
    with later(ready):
        signed_history(ready, 3)
        then = _sign(ready, ready.drafted(ad_hoc=True))
    assert len(then) == len(first)


def test_a_second_lot_costs_one_insert_and_is_locked_with_the_first(ready, practice):
    one = _sign(ready, ready.drafted())
    with later(ready):
        two = _sign(ready, _two_lots(ready, practice))
    added = [sql for sql in two if sql not in one]
    assert len(two) == len(one) + 1
    assert sum('INSERT INTO "formulary_stockmovement"' in sql for sql in two) == 2
    assert sum('FROM "formulary_lot"' in sql for sql in two) == 1, added


def test_movements_and_signature_are_chained_in_one_append(ready, practice):
    session = _two_lots(ready, practice)
    before = AuditEvent.objects.count()
    statements = _sign(ready, session)
    assert sum('FROM "audit_chainhead"' in sql for sql in statements) == 1
    rows = list(AuditEvent.objects.order_by("pk")[before:])
    what = [(row.object_type, row.detail.get("kind", row.detail.get("status"))) for row in rows]
    assert what == [
        ("stockmovement", "administered"),
        ("stockmovement", "wasted"),
        ("stockmovement", "administered"),
        ("stockmovement", "wasted"),
        ("treatmentsession", "signed"),
    ]
    assert verify().ok


def test_the_lock_reads_the_sessions_own_row_and_nothing_joined(ready):
    reads = [
        sql
        for sql in _sign(ready, ready.drafted())
        if sql.startswith('SELECT "treatments_treatmentsession"."id"')
    ]
    assert len(reads) == 2  # the page's read through the access layer, then the lock
    assert "JOIN" not in reads[1]
