"""Rows that break an invariant a migration is about to put in the database.

A check constraint added to a table that already holds a bad row would fail half-way with the
database's own words. The migrations that add one run `repair_from_audit` first: a row missing
who or when is completed from the audit row of the act itself (the approval, the signature),
which recorded both; a row the audit log cannot complete is never guessed at. The migration
stops with `refuse`, naming the rows and what to do (docs/architecture.md, "Invariants in
the database").
"""

from collections.abc import Iterable


class BrokenInvariant(RuntimeError):
    """A migration found rows it may not repair: it names them and stops before writing."""


def refuse(rows: Iterable, what: str, remedy: str) -> None:
    """Stop the migration if ``rows`` holds any row, naming their ids."""
    ids = sorted(row.pk for row in rows)
    if ids:
        listed = ", ".join(str(pk) for pk in ids)
        raise BrokenInvariant(f"{what}: {listed}. {remedy}")


def repair_from_audit(
    apps, schema_editor, rows, object_type: str, status: str, by: str, at: str
) -> list:
    """Complete ``by`` (a user foreign key) and ``at`` of each row in ``rows`` from its newest
    successful audit row whose detail says ``status`` (by the same user, when ``by`` is set);
    the rows it cannot complete.

    On PostgreSQL the foreign keys written are checked at once, so that the constraint can be
    added in the same transaction (a table with deferred checks pending cannot be altered)."""
    event = apps.get_model("audit", "AuditEvent")
    user = apps.get_model("accounts", "User")
    left = []
    for row in rows:
        acts = event.objects.filter(
            object_type=object_type,
            object_id=str(row.pk),
            outcome="success",
            detail__status=status,
            actor_id__isnull=False,
        )
        if (known := getattr(row, f"{by}_id")) is not None:
            acts = acts.filter(actor_id=known)
        found = acts.order_by("-at", "-pk").first()
        if found is None or not user.objects.filter(pk=found.actor_id).exists():
            left.append(row)
            continue
        if known is None:
            setattr(row, f"{by}_id", found.actor_id)
        if getattr(row, at) is None:
            setattr(row, at, found.at)
        row.save(update_fields=[by, at])
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return left
