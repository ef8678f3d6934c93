"""A migration run again on rows written before it, for the tests of what it repairs or
refuses. Post-migrate signals are not sent (the reference formulary is already loaded)."""

from contextlib import contextmanager

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def _to(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@contextmanager
def before(app: str, migration: str, previous: str):
    """The database with ``app``'s ``migration`` unapplied (back at ``previous``): yields
    the models as they were and a function that applies ``migration`` again. At the end every
    app is migrated to its latest migration, whatever happened."""
    old = _to([(app, previous)])
    try:
        yield old, lambda: _to([(app, migration)])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
