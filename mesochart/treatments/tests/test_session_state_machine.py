"""Any sequence of draft, edit, sign, amend and void: no step changes the content (or the
hash) of a signed record, every amendment keeps the original and stays readable, and a
recall finds exactly the sessions that were signed."""

from django.core.exceptions import ValidationError
from django.db import connection
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from mesochart.testing.sessions import proof
from mesochart.treatments import actions
from mesochart.treatments.content import canonical, content_hash
from mesochart.treatments.models import Amendment, LotUse, TreatmentSession

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

# Forms strip text and refuse blanks: draw what a person would type.
TEXT = st.text(alphabet="abc xyz", min_size=1, max_size=12).map(str.strip).filter(bool)


def _machine(ready):
    class SessionMachine(RuleBasedStateMachine):
        sessions = Bundle("sessions")

        def __init__(self):
            super().__init__()
            self.savepoint = connection.savepoint()
            self.signed: dict[int, tuple[str, dict]] = {}
            self.amendments: dict[int, list[str]] = {}

        def teardown(self):
            connection.savepoint_rollback(self.savepoint)

        def _row(self, pk):
            return TreatmentSession.objects.get(pk=pk)

        @rule(target=sessions)
        def draft(self):
            return ready.drafted(drawn="4", ad_hoc=True).pk

        @rule(pk=sessions, notes=TEXT, gauge=st.sampled_from([27, 30, 32]))
        def edit(self, pk, notes, gauge):
            row = self._row(pk)
            try:
                actions.save_draft(
                    ready.membership,
                    row,
                    {"notes": notes, "needle_gauge": gauge},
                    version=row.version,
                )
            except ValidationError as refused:
                assert row.status != "draft", refused
                assert "status" in refused.message_dict

        @rule(pk=sessions)
        def sign(self, pk):
            row = self._row(pk)
            try:
                signed = actions.sign_session(
                    ready.membership, row, reauthentication=proof(ready.membership)
                )
            except ValidationError as refused:
                # The second session of a day breaks the label's interval: refused whole
                # (it could only be signed as a deviation, with a justification).
                assert set(refused.message_dict) <= {"status", "preflight", "deviation"}
                assert self._row(pk).status == row.status
            else:
                products = list(signed.products.all())
                self.signed[pk] = (signed.content_hash, canonical(signed, products))

        @rule(pk=sessions, text=TEXT)
        def amend(self, pk, text):
            row = self._row(pk)
            try:
                actions.amend_session(ready.membership, row, {"kind": "addendum", "text": text})
            except ValidationError:
                assert row.status != "signed"
            else:
                self.amendments.setdefault(pk, []).append(text)

        @rule(pk=sessions, gauge=st.sampled_from([27, 30, 33]))
        def correct(self, pk, gauge):
            row = self._row(pk)
            data = {
                "kind": "correction",
                "text": "fix",
                "reason": "wrong",
                "changes": {"needle_gauge": gauge},
            }
            try:
                actions.amend_session(ready.membership, row, data)
            except ValidationError:
                pass
            else:
                self.amendments.setdefault(pk, []).append("fix")

        @rule(pk=sessions)
        def void(self, pk):
            row = self._row(pk)
            try:
                actions.void_session(ready.membership, row, reason="patient left")
            except ValidationError as refused:
                assert row.status != "draft"
                assert "status" in refused.message_dict

        @invariant()
        def signed_records_never_change(self):
            for pk, (digest, content) in self.signed.items():
                row = self._row(pk)
                products = list(row.products.all())
                assert row.status == "signed"
                assert row.content_hash == digest == content_hash(row, products)
                assert canonical(row, products) == content

        @invariant()
        def a_recall_finds_the_signed_sessions_and_no_other(self):
            recalled = LotUse.objects.values_list("session_id", flat=True)
            assert sorted(recalled) == sorted(self.signed)

        @invariant()
        def amendments_are_kept_and_in_order(self):
            for pk, texts in self.amendments.items():
                assert (
                    list(Amendment.objects.filter(session_id=pk).values_list("text", flat=True))
                    == texts
                )

    return SessionMachine


def test_no_sequence_changes_a_signed_record(ready):
    ready.lot.movements.create(kind="received", quantity_ml=500, by=ready.practice.practitioner)
    run_state_machine_as_test(
        _machine(ready),
        settings=settings(
            max_examples=12,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
