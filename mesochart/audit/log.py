"""Writing to and verifying the audit log. Every action calls ``record`` explicitly.

``record`` joins the caller's transaction: a write and its audit row commit together or not
at all. Appends are serialised through the locked ``ChainHead`` row.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import transaction

from mesochart.audit.models import (
    GENESIS_HASH,
    Action,
    AuditEvent,
    Category,
    ChainHead,
    Outcome,
    actor_label_of,
)

HEAD_ID = 1


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def record(actor, action: Action, category: Category, **fields) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction; ``fields`` are the
    keyword arguments of `entry`."""
    return append([entry(actor, action, category, **fields)])[0]


def entry(
    actor,
    action: Action,
    category: Category,
    *,
    clinic=None,
    patient=None,
    obj=None,
    outcome: Outcome = Outcome.SUCCESS,
    detail: dict | None = None,
    request=None,
    actor_label: str | None = None,
) -> AuditEvent:
    """An event not yet chained or saved: give a list of them to `append`."""
    return AuditEvent(
        actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
        actor_label=actor_label if actor_label is not None else actor_label_of(actor),
        organisation_id=clinic.organisation_id if clinic is not None else None,
        clinic_id=clinic.pk if clinic is not None else None,
        patient_id=patient.pk if patient is not None else None,
        action=Action(action),
        category=Category(category),
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        outcome=Outcome(outcome),
        detail=detail or {},
        ip_address=_client_ip(request),
    )


def append(events: list[AuditEvent]) -> list[AuditEvent]:
    """Chain ``events`` in order after the head and insert them in one statement, inside
    the caller's transaction: one write that touches several objects (signing a session
    posts stock movements too) is audited per object without a round trip per row.

    No savepoint of its own: an append that fails must fail the write it audits, so it
    rolls back with the caller's transaction (or is its own, outside one)."""
    with transaction.atomic(savepoint=False):
        head = ChainHead.objects.select_for_update().get(pk=HEAD_ID)
        previous = head.last_hash
        for event in events:
            event.prev_hash = previous
            event.row_hash = previous = event.compute_hash()
        AuditEvent.objects.bulk_create(events)
        ChainHead.objects.filter(pk=HEAD_ID).update(
            last_event_id=events[-1].pk, last_hash=previous, count=head.count + len(events)
        )
    return events


@dataclass(frozen=True)
class VerifyReport:
    checked: int
    first_bad_id: int | None
    problem: str

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None and not self.problem


def _rows(batch: int) -> Iterator[AuditEvent]:
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(pk__gt=last_id).order_by("pk")[:batch])
        if not rows:
            return
        yield from rows
        last_id = rows[-1].pk


def verify(progress: Callable[[int], None] | None = None, batch: int = 2000) -> VerifyReport:
    """Walk the chain from the start; report the first row that was altered or removed.

    A changed row no longer matches its own hash; a removed row leaves the next row's
    ``prev_hash`` pointing at nothing; rows cut from the end disagree with the chain head.
    """
    expected_prev = GENESIS_HASH
    checked = 0
    last = None
    for event in _rows(batch):
        if event.prev_hash != expected_prev:
            return VerifyReport(checked, event.pk, "the row before it was removed or altered")
        if event.compute_hash() != event.row_hash:
            return VerifyReport(checked, event.pk, "the row's content was altered")
        expected_prev = event.row_hash
        last = event
        checked += 1
        if progress is not None:
            progress(1)
    head = ChainHead.objects.get(pk=HEAD_ID)
    if head.last_hash != expected_prev or head.count != checked:
        after = last.pk if last is not None else None
        return VerifyReport(
            checked, after, f"rows after id {after} were removed (head counts {head.count})"
        )
    return VerifyReport(checked, None, "")
