"""The chain is keyed: the four rewrites the database's own role could make undetected are
found by verify, naming the first bad row. Runs on SQLite and on PostgreSQL."""

import json

import pytest
from click.testing import CliRunner
from django.db import connection

from mesochart.audit import checkpoints, guard, keys
from mesochart.audit.log import record, verify
from mesochart.audit.models import Action, AuditEvent, Category, ChainHead
from mesochart.cli import main


def _five_reads(practice) -> list[AuditEvent]:
    for n in range(5):
        record(
            practice.nurse,
            Action.READ,
            Category.CLINICAL,
            clinic=practice.clinic,
            patient=practice.patient,
            detail={"n": n},
        )
    return list(AuditEvent.objects.order_by("pk"))


def _sql(statement: str, params=()) -> None:
    """What someone holding the database (and the maintenance window) can do."""
    with guard.maintenance_window(connection), connection.cursor() as cursor:
        cursor.execute(statement, params)


def _store(event: AuditEvent) -> None:
    _sql(
        "UPDATE audit_auditevent SET actor_label = %s, detail = %s, prev_hash = %s, "
        "row_hash = %s WHERE id = %s",
        [event.actor_label, json.dumps(event.detail), event.prev_hash, event.row_hash, event.pk],
    )


def _point_head_at(event: AuditEvent, count: int) -> None:
    ChainHead.objects.filter(pk=1).update(
        last_event_id=event.pk, last_hash=event.row_hash, count=count
    )


def test_rows_are_signed_with_hmac_sha256_under_the_environments_key(practice):
    event = _five_reads(practice)[0]
    key_id, key = keys.current()
    assert event.key_id == key_id
    assert event.row_hash == keys.mac(key, event.canonical())
    assert event.row_hash != event.compute_hash(None)
    assert verify().ok


def test_an_edited_row_with_its_unkeyed_hash_recomputed_is_found(practice):
    events = _five_reads(practice)
    forged = events[2]
    forged.actor_label = "someone-else"
    forged.row_hash = forged.compute_hash(None)  # SHA-256: all one can compute without the key
    _store(forged)
    for later in events[3:]:  # and the rest of the chain after it, head included
        later.prev_hash = forged.row_hash
        later.row_hash = forged.row_hash = later.compute_hash(None)
        _store(later)
        forged = later
    _point_head_at(events[-1], 5)

    report = verify()
    assert report.first_bad_id == events[2].pk
    assert "altered" in report.problem


def test_a_deleted_row_with_the_chain_recomputed_after_it_is_found(practice):
    events = _five_reads(practice)
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    previous = events[0]
    for later in events[2:]:
        later.prev_hash = previous.row_hash
        later.row_hash = later.compute_hash(None)
        _store(later)
        previous = later
    _point_head_at(events[-1], 4)

    report = verify()
    assert report.first_bad_id == events[2].pk
    assert "altered" in report.problem


def test_the_newest_rows_cut_with_the_head_moved_back_are_found_by_the_checkpoint(practice):
    events = _five_reads(practice)
    checkpoints.write_head()  # the periodic checkpoint, outside the database
    _sql("DELETE FROM audit_auditevent WHERE id >= %s", [events[3].pk])
    _point_head_at(events[2], 3)

    report = verify()
    assert not report.ok
    assert report.first_bad_id == events[2].pk
    assert f"rows after id {events[2].pk} were removed" in report.problem
    assert "checkpoint outside the database counted 5 rows" in report.problem


def test_rows_cut_and_new_ones_appended_are_found_at_the_checkpointed_row(practice):
    events = _five_reads(practice)
    checkpoints.write_head()
    _sql("DELETE FROM audit_auditevent WHERE id >= %s", [events[3].pk])
    _point_head_at(events[2], 3)
    _five_reads(practice)  # the application carries on from the moved head

    report = verify()
    assert not report.ok
    assert "differs from the checkpoint" in report.problem


def test_a_row_rewritten_through_the_maintenance_window_is_found(practice):
    events = _five_reads(practice)
    _sql(
        "UPDATE audit_auditevent SET outcome = 'denied', patient_id = NULL WHERE id = %s",
        [events[1].pk],
    )
    report = verify()
    assert report.first_bad_id == events[1].pk
    assert "altered" in report.problem


def test_a_forged_checkpoint_line_is_refused(practice):
    _five_reads(practice)
    checkpoints.write_head()
    line = json.loads(checkpoints.path().read_text())
    line["count"] = 2
    checkpoints.path().write_text(json.dumps(line) + "\n")
    report = verify()
    assert "checkpoint line 1 does not carry a valid MAC" in report.problem


def test_a_key_rotation_is_a_row_of_the_chain_and_older_rows_verify_with_the_old_key(
    practice, settings
):
    old_id, _ = keys.current()
    before = _five_reads(practice)
    settings.AUDIT_OLD_KEYS = [settings.AUDIT_KEY]
    settings.AUDIT_KEY = "a-new-audit-key-after-the-rotation-0123456789"
    new_id, _ = keys.current()

    record(practice.nurse, Action.READ, Category.CLINICAL, clinic=practice.clinic)

    rotation, after = AuditEvent.objects.filter(pk__gt=before[-1].pk).order_by("pk")
    assert rotation.action == Action.KEY_ROTATION
    assert rotation.detail == {"from_key": old_id, "to_key": new_id}
    assert (rotation.key_id, after.key_id) == (new_id, new_id)
    assert verify().ok and verify().checked == 7

    settings.AUDIT_OLD_KEYS = []
    report = verify()
    assert report.first_bad_id == before[0].pk
    assert f"signed with key {old_id}, which this server does not hold" in report.problem


def test_a_row_signed_with_another_key_without_a_rotation_row_is_found(practice, settings):
    events = _five_reads(practice)
    settings.AUDIT_OLD_KEYS = [settings.AUDIT_KEY]
    settings.AUDIT_KEY = "an-attackers-guess-that-the-server-knows-0123"
    forged = events[3]
    forged.key_id, key = keys.current()
    forged.row_hash = forged.compute_hash(key)
    _sql(
        "UPDATE audit_auditevent SET key_id = %s, row_hash = %s WHERE id = %s",
        [forged.key_id, forged.row_hash, forged.pk],
    )
    report = verify()
    assert report.first_bad_id == forged.pk
    assert "without a rotation row" in report.problem


def test_audit_verify_names_the_first_bad_row_and_checkpoint_writes_one(practice):
    events = _five_reads(practice)
    written = CliRunner().invoke(main, ["audit", "checkpoint"])
    assert written.exit_code == 0, written.output
    assert "Checkpoint of 5 rows" in written.output
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [events[4].pk])
    _point_head_at(events[3], 4)

    broken = CliRunner().invoke(main, ["audit", "verify"])
    assert broken.exit_code == 1
    assert f"audit chain broken at row {events[3].pk}" in broken.output


@pytest.mark.django_db(transaction=True)
def test_a_checkpoint_is_appended_after_each_audited_commit(practice):
    _five_reads(practice)
    lines = checkpoints.path().read_text().splitlines()
    counts = [json.loads(line)["count"] for line in lines]
    assert counts == [1, 2, 3, 4, 5]
    assert verify().ok
