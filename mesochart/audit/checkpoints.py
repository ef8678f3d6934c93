"""Checkpoints of the chain head written outside the database, so cutting the newest rows
(and rewriting the chain together with its head) is found by ``mesochart audit verify``.

A checkpoint is one JSON line appended to ``settings.AUDIT_CHECKPOINT_FILE``: the row count,
the last row's id and MAC, the key id, and a MAC of the line itself with that key, so the
file cannot be forged without the key either. Lines are written after the audited
transaction commits (never for a rolled-back one), at most one per
``AUDIT_CHECKPOINT_INTERVAL_SECONDS`` per process; ``mesochart audit checkpoint`` writes one
at once (for a scheduler, or before a backup).
"""

import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mesochart.audit import keys

_last_written = {"at": float("-inf")}


@dataclass(frozen=True)
class Checkpoint:
    count: int
    last_id: int | None
    last_hash: str
    key_id: str
    at: str = ""

    def content(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":")).encode()


def path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


def write(checkpoint: Checkpoint) -> None:
    """Append ``checkpoint`` as one line (one write to a file opened for appending)."""
    stamped = Checkpoint(**{**asdict(checkpoint), "at": timezone.now().isoformat()})
    key = keys.lookup(stamped.key_id)
    if key is None:
        raise ValueError(f"key_id: no audit key {stamped.key_id} on this server")
    line = {**asdict(stamped), "mac": keys.mac(key, stamped.content())}
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, (json.dumps(line, sort_keys=True) + "\n").encode())
    finally:
        os.close(descriptor)
    _last_written["at"] = time.monotonic()


def after_commit(checkpoint: Checkpoint) -> None:
    """Write ``checkpoint`` once the caller's transaction commits, if one is due."""

    def due() -> None:
        interval = settings.AUDIT_CHECKPOINT_INTERVAL_SECONDS
        if time.monotonic() - _last_written["at"] >= interval:
            write(checkpoint)

    transaction.on_commit(due)


def write_head() -> Checkpoint:
    """A checkpoint of the chain head as it is now."""
    from mesochart.audit.models import ChainHead

    head = ChainHead.objects.get(pk=1)
    checkpoint = Checkpoint(head.count, head.last_event_id, head.last_hash, head.key_id or "")
    if head.key_id:
        write(checkpoint)
    return checkpoint


def read() -> tuple[dict[int, Checkpoint], list[str]]:
    """The checkpoints by row count, and the problems found in the file (line by line)."""
    found: dict[int, Checkpoint] = {}
    problems: list[str] = []
    if not path().exists():
        return found, problems
    with path().open(encoding="utf-8") as lines:
        for number, text in enumerate(lines, start=1):
            try:
                fields = json.loads(text)
                signature = fields.pop("mac")
                checkpoint = Checkpoint(**fields)
            except (ValueError, TypeError, KeyError):
                problems.append(f"checkpoint line {number} is not a checkpoint")
                continue
            key = keys.lookup(checkpoint.key_id)
            if key is None or keys.mac(key, checkpoint.content()) != signature:
                problems.append(f"checkpoint line {number} does not carry a valid MAC")
                continue
            found[checkpoint.count] = checkpoint
    return found, problems


def archive() -> Path | None:
    """Move the file aside (a restore starts the chain from a backup's state again)."""
    if not path().exists():
        return None
    moved = path().with_name(f"{path().stem}.{timezone.now():%Y%m%dT%H%M%S%f}{path().suffix}")
    path().rename(moved)
    return moved
