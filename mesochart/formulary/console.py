"""What ``mesochart check-plan`` and ``mesochart formulary load`` print.

Kept out of mesochart/cli.py so the command there stays a few lines: read the file, call
`engine.check_plan`, print. Exit codes (docs/plan-format.md): 0 nothing blocks, 1 something
blocks, 2 the file is unreadable or invalid (the message names the field).
"""

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from mesochart.core.dose import Result
from mesochart.core.plan_file import PlanError, result_to_dict

EXIT_OK, EXIT_BLOCKED, EXIT_INVALID = 0, 1, 2


class PlanFileError(Exception):
    """The file cannot be checked; ``str()`` is the ``field: rule`` line to print."""


def read_plan_file(path: str) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise PlanFileError(f"file: cannot read {path} ({reason})") from None
    try:
        return json.loads(text)
    except ValueError as error:
        raise PlanFileError(f"file: is not valid JSON ({error})") from None


def find_clinic(clinic_id: int | None):
    """The clinic whose formulary applies (its organisation's products, its own limits)."""
    if clinic_id is None:
        return None
    from mesochart.accounts.models import Clinic

    clinic = Clinic.objects.select_related("organisation").filter(pk=clinic_id).first()
    if clinic is None:
        raise PlanFileError(f"--clinic: no clinic has id {clinic_id}")
    return clinic


def check_plan_file(path: str, clinic_id: int | None) -> Result:
    """Read and check PLAN.json; PlanFileError for anything that stops the check."""
    from django.db import DatabaseError

    from mesochart.formulary.engine import check_plan

    data = read_plan_file(path)
    try:
        return check_plan(data, find_clinic(clinic_id))
    except PlanError as error:
        raise PlanFileError(str(error)) from None
    except DatabaseError as error:
        raise PlanFileError(f"database: {error}; run `mesochart migrate` first") from None


def exit_code(result: Result) -> int:
    return EXIT_BLOCKED if result.blocked else EXIT_OK


def as_json(result: Result) -> str:
    return json.dumps(result_to_dict(result), indent=2, ensure_ascii=False)


def print_result(console: Console, result: Result, clinic) -> None:
    data = result_to_dict(result)
    where = f" at {clinic.name}" if clinic is not None else " (shipped formulary)"
    totals = Table(title=f"Totals per ingredient{where}", title_justify="left")
    for column in ("ingredient", "amount", "per kg"):
        totals.add_column(column, justify="left" if column == "ingredient" else "right")
    for total in data["totals"]:
        totals.add_row(total["name"], _quantity(total["amount"]), _quantity(total["per_kg"]))
    console.print(totals)
    if not data["findings"]:
        console.print("[green]No findings: nothing blocks and nothing warns.[/green]")
        return
    findings = Table(title="Findings", title_justify="left", show_lines=True)
    findings.add_column("severity", no_wrap=True)
    findings.add_column("rule / product", no_wrap=True)
    findings.add_column("actual", justify="right", no_wrap=True)
    findings.add_column("limit", justify="right", no_wrap=True)
    findings.add_column("source", overflow="fold")
    for finding in data["findings"]:
        colour = "red" if finding["severity"] == "block" else "yellow"
        findings.add_row(
            f"[{colour}]{finding['severity']}[/{colour}]",
            f"{finding['rule']}\n[dim]{finding['product'] or '(whole plan)'}[/dim]",
            _quantity(finding["actual"]),
            _quantity(finding["limit"]),
            finding["source"],
        )
    console.print(findings)
    for finding in data["findings"]:
        console.print(f"• {finding['message']}", highlight=False, markup=False)
    verdict = "[red]blocked[/red]" if data["blocked"] else "[yellow]warnings only[/yellow]"
    console.print(f"Result: {verdict}")


def _quantity(value: dict | None) -> str:
    if value is None:
        return "—"
    return f"{value['value']:g} {value['unit']}".rstrip()
