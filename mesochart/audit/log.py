"""Writing to and verifying the audit log. Every action calls ``record`` explicitly.

``record`` joins the caller's transaction: a write and its audit row commit together or not
at all. Appends are serialised through the locked ``ChainHead`` row.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from mesochart.accounts.actor import Actor
from mesochart.audit import checkpoints, keys
from mesochart.audit.checkpoints import Checkpoint
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

# Who an event is by: a member of staff acting (with where from), a user, or no one.
Who = Actor | AbstractBaseUser | AnonymousUser | None


def record(actor: Who, action: Action, category: Category, **fields) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction; ``fields`` are the
    keyword arguments of `entry`."""
    return append([entry(actor, action, category, **fields)])[0]


def record_read(
    actor: Actor,
    *,
    patient=None,
    obj=None,
    category: Category = Category.CLINICAL,
    detail: dict | None = None,
) -> AuditEvent:
    """A page or API answer that showed health data: one successful ``read`` row, written
    by the view before it answers (every such view does; `mesochart/tests/
    test_every_read_is_audited.py` walks them all)."""
    return record(actor, Action.READ, category, patient=patient, obj=obj, detail=detail)


def entry(
    actor: Who,
    action: Action,
    category: Category,
    *,
    clinic=None,
    patient=None,
    obj=None,
    outcome: Outcome = Outcome.SUCCESS,
    detail: dict | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """An event not yet chained or saved: give a list of them to `append`.

    An `Actor` gives the user, the client's address and, unless ``clinic`` is given, the
    clinic it acts at; a bare user (or None, for what no one did: a key rotation, a
    scheduled job) gives only who."""
    user, ip = (actor.user, actor.ip) if isinstance(actor, Actor) else (actor, None)
    if clinic is None and isinstance(actor, Actor) and actor.membership is not None:
        clinic = actor.membership.clinic
    return AuditEvent(
        actor_id=user.pk if user is not None and user.is_authenticated else None,
        actor_label=actor_label if actor_label is not None else actor_label_of(user),
        organisation_id=clinic.organisation_id if clinic is not None else None,
        clinic_id=clinic.pk if clinic is not None else None,
        patient_id=patient.pk if patient is not None else None,
        action=Action(action),
        category=Category(category),
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        outcome=Outcome(outcome),
        detail=detail or {},
        ip_address=ip,
    )


def append(events: list[AuditEvent]) -> list[AuditEvent]:
    """Chain ``events`` in order after the head and insert them in one statement, inside
    the caller's transaction: one write that touches several objects (signing a session
    posts stock movements too) is audited per object without a round trip per row.

    Each row is signed with the current key (`audit.keys`); when it is not the key of the
    row before, a ``key_rotation`` row signed with the new key comes first. A checkpoint of
    the new head is written outside the database once the transaction commits.

    No savepoint of its own: an append that fails must fail the write it audits, so it
    rolls back with the caller's transaction (or is its own, outside one)."""
    key_id, key = keys.current()
    with transaction.atomic(savepoint=False):
        head = ChainHead.objects.select_for_update().get(pk=HEAD_ID)
        chained = list(events)
        if head.count and head.key_id != key_id:
            rotation = entry(
                None,
                Action.KEY_ROTATION,
                Category.AUDIT,
                detail={"from_key": head.key_id, "to_key": key_id},
            )
            chained.insert(0, rotation)
        previous = head.last_hash
        for event in chained:
            event.prev_hash = previous
            event.key_id = key_id
            event.row_hash = previous = event.compute_hash(key)
        AuditEvent.objects.bulk_create(chained)
        count = head.count + len(chained)
        ChainHead.objects.filter(pk=HEAD_ID).update(
            last_event_id=chained[-1].pk, last_hash=previous, count=count, key_id=key_id
        )
        checkpoints.after_commit(Checkpoint(count, chained[-1].pk, previous, key_id))
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


def _key_problem(event: AuditEvent, previous: AuditEvent | None) -> str:
    """Why ``event``'s key cannot follow ``previous`` (the row before it), or ""."""
    if event.key_id is None:
        after_keyed = previous is not None and previous.key_id is not None
        return "an unkeyed row after the chain was keyed" if after_keyed else ""
    if keys.lookup(event.key_id) is None:
        return f"signed with key {event.key_id}, which this server does not hold"
    if previous is None or event.key_id == previous.key_id:
        return ""
    rotated = (
        event.action == Action.KEY_ROTATION
        and event.detail.get("from_key") == previous.key_id
        and event.detail.get("to_key") == event.key_id
    )
    return "" if rotated else "the key changed without a rotation row"


def verify(
    progress: Callable[[int], None] | None = None,
    batch: int = 2000,
    use_checkpoints: bool = True,
) -> VerifyReport:
    """Walk the chain from the start; report the first row that was altered or removed.

    A changed row no longer matches its own MAC (and nobody without the key can make a new
    one); a removed row leaves the next row's ``prev_hash`` pointing at nothing; rows cut
    from the end disagree with the chain head and with the checkpoints kept outside the
    database (`audit.checkpoints`), which also catch a chain rewritten with its head.
    """
    found, problems = checkpoints.read() if use_checkpoints else ({}, [])
    if problems:
        return VerifyReport(0, None, "; ".join(problems))
    expected_prev = GENESIS_HASH
    checked = 0
    last = None
    for event in _rows(batch):
        if event.prev_hash != expected_prev:
            return VerifyReport(checked, event.pk, "the row before it was removed or altered")
        problem = _key_problem(event, last)
        if problem:
            return VerifyReport(checked, event.pk, problem)
        key = keys.lookup(event.key_id) if event.key_id is not None else None
        if event.compute_hash(key) != event.row_hash:
            return VerifyReport(checked, event.pk, "the row's content was altered")
        checkpoint = found.get(checked + 1)
        if checkpoint is not None and (checkpoint.last_id, checkpoint.last_hash) != (
            event.pk,
            event.row_hash,
        ):
            return VerifyReport(
                checked,
                event.pk,
                f"row {checked + 1} of the chain differs from the checkpoint written outside "
                f"the database at {checkpoint.at}",
            )
        expected_prev = event.row_hash
        last = event
        checked += 1
        if progress is not None:
            progress(1)
    after = last.pk if last is not None else None
    beyond = max(found, default=0)
    if beyond > checked:
        return VerifyReport(
            checked,
            after,
            f"rows after id {after} were removed (a checkpoint outside the database counted "
            f"{beyond} rows, up to id {found[beyond].last_id})",
        )
    head = ChainHead.objects.get(pk=HEAD_ID)
    if head.last_hash != expected_prev or head.count != checked:
        return VerifyReport(
            checked, after, f"rows after id {after} were removed (head counts {head.count})"
        )
    return VerifyReport(checked, None, "")
