"""A migration is a snapshot: what it runs is written in it, so that a later change to the
app's code never changes what an old migration does to a database that runs it later.

What `makemigrations` itself writes is allowed: ``import mesochart.x`` for a field's choices,
default or validators (the model state needs them). A hand-written import (``from mesochart
… import …``) may only name `mesochart.lib.invariants`, the helpers written for migrations
that complete or refuse rows before a constraint is added (docs/architecture.md)."""

import ast
from pathlib import Path

import mesochart

ALLOWED = {"mesochart.lib.invariants"}


def hand_written_imports(source: str) -> list[str]:
    """The ``from mesochart… import`` modules of ``source`` that are not allowed."""
    return [
        node.module
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom)
        and (node.module or "").startswith("mesochart")
        and node.module not in ALLOWED
    ]


def test_the_rule_finds_a_live_function_and_allows_what_makemigrations_writes():
    assert hand_written_imports("from mesochart.patients.search import name_key\n") == [
        "mesochart.patients.search"
    ]
    assert hand_written_imports("import mesochart.core.dose\n") == []
    assert hand_written_imports("from mesochart.lib.invariants import refuse\n") == []


def test_no_migration_imports_live_app_code():
    root = Path(mesochart.__file__).parent
    offending = {
        str(path.relative_to(root)): modules
        for path in sorted(root.glob("*/migrations/[0-9]*.py"))
        if (modules := hand_written_imports(path.read_text()))
    }
    assert offending == {}
