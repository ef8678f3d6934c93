"""The ``mesochart`` console command: serve, demo data, migrations, checks, audit.

Errors are printed as ``field: rule`` and exit with status 2; nothing is half-written.
"""

import base64
import functools
import json
import os
import sys
from pathlib import Path

import click
from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

console = Console()
err = Console(stderr=True)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesochart.settings")
    import django

    django.setup()
    _activate_language()


def _activate_language() -> None:
    """The console speaks the language of MESOCHART_LANGUAGE, else of the POSIX locale
    (LC_ALL, LC_MESSAGES, LANG: ``fr_FR.UTF-8`` gives French), else English."""
    from django.utils import translation

    for name in ("MESOCHART_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").split(".")[0].replace("_", "-").lower()
        if value and value not in {"c", "posix"}:
            try:
                translation.activate(translation.get_supported_language_variant(value))
            except LookupError:
                continue
            return


def _require_schema() -> None:
    """Refuse, in words, to run against a database whose schema is missing or behind."""
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        _fail([_("database: the schema is missing or out of date; run `mesochart migrate` first")])


def needs_schema(command):
    """Decorate a command that reads or writes the database: Django is set up and the schema
    is checked before the command runs, so a fresh installation gets a sentence, not a
    traceback."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        _django()
        _require_schema()
        return command(*args, **kwargs)

    return run


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    )


def _fail(lines: list[str], code: int = 2):
    label = _("error")
    for line in lines:
        err.print(f"[red]{label}[/red] {line}", highlight=False, markup=True, soft_wrap=True)
    sys.exit(code)


@click.group()
def main() -> None:
    """mesochart: clinical records for mesotherapy practices."""
    # Every command may import models (even demo-code reaches mesochart.demo): configure
    # Django here, once, before any subcommand runs.
    _django()


@main.command()
def migrate() -> None:
    """Create or update the database schema."""
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    console.print(_("Database is up to date."))


@main.command()
@click.option("--patients", default=40, show_default=True, help="Patients per demo clinic.")
@needs_schema
def demo(patients: int) -> None:
    """Load the synthetic demo practice (idempotent) and print the logins."""
    _django()
    from mesochart.demo import load_demo

    with _progress() as progress:
        task = progress.add_task("Demo patients", total=patients * 2)
        logins = load_demo(patients, progress=lambda n: progress.advance(task, n), history=True)
        progress.update(task, completed=patients * 2)
    _print_logins(logins)


def _print_logins(logins) -> None:
    from mesochart.demo import DEMO_PASSWORD, DEMO_TOTP_KEY_HEX

    table = Table(title=_("Demo logins (synthetic practice)"))
    for column in ("username", "role", "clinic", "two-factor"):
        table.add_column(column)
    for login in logins:
        table.add_row(login.username, login.role, login.clinic, "TOTP" if login.two_factor else "—")
    console.print(table)
    console.print(_("Password for every demo login: [bold]%s[/bold]") % DEMO_PASSWORD)
    secret = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode()
    console.print(_("Demo TOTP key (add it to an authenticator app): [bold]%s[/bold]") % secret)
    console.print(_("or print the current demo code with: [bold]mesochart demo-code[/bold]"))


@main.command("demo-code")
def demo_code() -> None:
    """Print the current TOTP code of the published demo key (demo users only)."""
    from django_otp.oath import totp

    from mesochart.demo import DEMO_TOTP_KEY_HEX

    console.print(f"{totp(bytes.fromhex(DEMO_TOTP_KEY_HEX)):06d}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option(
    "--demo/--no-demo", "with_demo", default=False, help="Migrate and load the demo practice first."
)
@click.option(
    "--dev", is_flag=True, help="Django's development server (auto DEBUG, one process) instead."
)
@click.option(
    "--workers",
    default=lambda: int(os.environ.get("MESOCHART_WORKERS", 4)),
    show_default="4, or MESOCHART_WORKERS",
    type=click.IntRange(1, 64),
    help="gunicorn worker processes.",
)
@click.option(
    "--worker/--no-worker", default=True, help="Also start `mesochart worker` (reminders)."
)
def serve(host: str, port: int, with_demo: bool, dev: bool, workers: int, worker: bool) -> None:
    """Serve the application: gunicorn with DEBUG off (static files through whitenoise),
    or with --dev Django's development server; `mesochart worker` runs beside it."""
    if not dev:
        # Set before Django reads its settings, here and in the workers that inherit it.
        os.environ["MESOCHART_DEBUG"] = "0"
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if with_demo:
        from mesochart.demo import load_demo

        _print_logins(load_demo(history=True))
    console.print(f"mesochart is running at [bold]http://{host}:{port}/[/bold]  (Ctrl-C stops it)")
    # The background worker is a child in this process group: Ctrl-C stops it with the server.
    child = _start_worker() if worker else None
    if dev:
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        finally:
            if child is not None:
                child.terminate()
        return
    call_command("collectstatic", interactive=False, verbosity=0)
    # This process becomes gunicorn's master (same pid): SIGTERM or Ctrl-C stops it and its
    # workers, each finishing its request first (up to the graceful timeout).
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "mesochart.wsgi:application",
        f"--bind={host}:{port}",
        f"--workers={workers}",
        "--preload",  # the app loads once and is frozen (mesochart/wsgi.py), then forked
        "--graceful-timeout=10",
        "--timeout=60",
        "--access-logfile=-",
    ]
    sys.stdout.flush()
    os.execv(sys.executable, argv)  # noqa: S606 - our own interpreter, fixed arguments


def _start_worker():
    import subprocess

    code = "from mesochart.cli import main; main()"
    argv = [sys.executable, "-c", code, "worker", "--stop-with", str(os.getpid())]
    return subprocess.Popen(argv)  # noqa: S603 - our own interpreter, fixed arguments


@main.command()
@click.option("--every", default=60.0, show_default=True, help="Seconds between sweeps.")
@click.option("--once", is_flag=True, help="One sweep and its tasks, then exit.")
@click.option("--stop-with", type=int, hidden=True, help="Exit when this process has gone.")
def worker(every: float, once: bool, stop_with: int | None) -> None:
    """Run the background work: find due reminders, then run the queued tasks (the
    database task backend's worker, django-tasks-db), every ``--every`` seconds."""
    _django()
    import time

    from django.core.management import call_command

    from mesochart.scheduling.reminders import sweep

    while True:
        sweep()
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
        if once:
            return
        # Started by `serve` (which becomes gunicorn's master): stop when it has stopped.
        for _tick in range(max(1, int(every))):
            if stop_with is not None and os.getppid() != stop_with:
                return
            time.sleep(min(1.0, every))


@main.command()
@click.option("--username", required=True)
@click.option("--organisation", required=True, help="Name of the practice or chain.")
@click.option("--clinic", required=True, help="Name of its first clinic.")
@click.option("--time-zone", default="Europe/London", show_default=True)
@click.password_option()
@needs_schema
def createadmin(username, organisation, clinic, time_zone, password) -> None:
    """Create an organisation, its first clinic and its owner/admin."""
    _django()
    from django.core.exceptions import ValidationError

    from mesochart.accounts.setup import create_admin
    from mesochart.lib.errors import error_lines

    try:
        create_admin(username, password, organisation, clinic, time_zone)
    except ValidationError as error:
        _fail(error_lines(error))
    console.print(f"Admin [bold]{username}[/bold] created for {clinic}, {organisation}.")


@main.group()
def audit() -> None:
    """The audit trail."""


@audit.command("verify")
@needs_schema
def audit_verify() -> None:
    """Walk the hash chain and report the first row altered or removed out of band."""
    _django()
    from mesochart.audit.log import verify
    from mesochart.audit.models import ChainHead

    total = ChainHead.objects.get(pk=1).count
    with _progress() as progress:
        task = progress.add_task("Verifying audit chain", total=total)
        report = verify(progress=lambda n: progress.advance(task, n))
    if report.ok:
        console.print(_("Audit chain intact: %(n)s rows verified.") % {"n": report.checked})
        return
    _fail(
        [
            f"audit chain broken at row {report.first_bad_id}: {report.problem} "
            f"({report.checked} rows verified before it)"
        ],
        code=1,
    )


@audit.command("checkpoint")
def audit_checkpoint() -> None:
    """Append a checkpoint of the chain head (count and MAC) to the file outside the database."""
    _django()
    from mesochart.audit.checkpoints import path, write_head

    checkpoint = write_head()
    console.print(
        _("Checkpoint of %(n)s rows appended to %(path)s.")
        % {"n": checkpoint.count, "path": path()}
    )


@main.command("check-plan")
@click.argument("plan", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--clinic", "clinic_id", type=int, help="Check with this clinic's formulary.")
@needs_schema
def check_plan(plan: str, as_json: bool, clinic_id: int | None) -> None:
    """Check PLAN.json against the formulary: exit 0 passes, 1 blocks, 2 invalid file."""
    _django()
    from mesochart.formulary import console as plan_console

    try:
        result = plan_console.check_plan_file(plan, clinic_id)
    except plan_console.PlanFileError as error:
        _fail([str(error)], code=plan_console.EXIT_INVALID)
    if as_json:
        click.echo(plan_console.as_json(result))
    else:
        plan_console.print_result(console, result, plan_console.find_clinic(clinic_id))
    sys.exit(plan_console.exit_code(result))


@main.group()
def formulary() -> None:
    """The formulary."""


@formulary.command("load")
@needs_schema
def formulary_load() -> None:
    """Load the shipped reference formulary into the database (idempotent)."""
    _django()
    from mesochart.core.reference import ReferenceDataError
    from mesochart.formulary.reference_sync import STEPS, sync_reference

    with _progress() as progress:
        task = progress.add_task("Reference formulary", total=STEPS)
        try:
            report = sync_reference(progress=lambda n: progress.advance(task, n))
        except ReferenceDataError as error:
            _fail([str(error)])
    console.print(f"Reference formulary: {report.summary()}.")


@main.command()
@click.argument("lot")
@click.option("--organisation", help="Organisation slug (needed when there are several).")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), help="Write the rows as CSV.")
@needs_schema
def recall(lot: str, organisation: str | None, as_json: bool, csv_path: str | None) -> None:
    """Every patient and signed session that received LOT (audited)."""
    _django()
    from mesochart.treatments import console as recall_console

    try:
        rows, text = recall_console.run(lot, organisation, as_json, csv_path)
    except recall_console.RecallError as error:
        _fail([str(error)])
    if text is not None:
        click.echo(text)
    elif csv_path:
        console.print(
            _("Recall of lot %(lot)s: %(n)s session(s) written to %(path)s.")
            % {"lot": lot, "n": len(rows), "path": csv_path}
        )
    else:
        console.print(recall_console.table(lot, rows))


@main.command()
@click.argument("target", type=click.Path(path_type=Path))
@click.option("--keep", type=click.IntRange(min=1), help="TARGET is a folder: keep its newest N.")
@needs_schema
def backup(target: Path, keep: int | None) -> None:
    """Back up the database and stored files into one archive, while the app runs."""
    _django()
    from mesochart.interop import console as interop_console
    from mesochart.interop.backup.errors import BackupError

    with _progress() as progress:
        task = progress.add_task("Backing up", total=None)
        try:
            result, removed = interop_console.backup(
                target, keep, lambda what: progress.update(task, description=f"Backing up {what}")
            )
        except BackupError as error:
            _fail([str(error)])
        progress.update(task, description="Backed up", total=1, completed=1)
    console.print(
        f"Backup written to [bold]{result.path}[/bold]: {result.tables} tables, "
        f"{result.rows} rows, {result.files} files, {result.size_bytes / 1e6:.1f} MB."
    )
    for old in removed:
        console.print(f"Removed the older backup {old.name}.")


@main.command()
@click.argument("archive", metavar="FILE", type=click.Path(path_type=Path))
def restore(archive: Path) -> None:
    """Restore a backup into an empty database and prove it against its manifest."""
    _django()
    from mesochart.interop import console as interop_console
    from mesochart.interop.backup.errors import BackupError

    with _progress() as progress:
        task = progress.add_task("Restoring", total=None)
        try:
            result, verified = interop_console.restore(
                archive, lambda what: progress.update(task, description=f"Checking {what}")
            )
        except BackupError as error:
            _fail([str(error)])
        progress.update(task, description="Restored", total=1, completed=1)
    console.print(
        f"Restored the backup of {result.created_at}: {result.tables} tables and "
        f"{result.rows} rows match the manifest, {result.files} files stored; "
        f"audit chain intact ({verified} rows verified)."
    )


@main.group()
def export() -> None:
    """Export records in open standards."""


@export.command("patient")
@click.argument("record_number")
@click.option("--fhir", "fhir_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--zip", "zip_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--organisation", help="Organisation slug (needed when there are several).")
@needs_schema
def export_patient(
    record_number: str, fhir_path: Path | None, zip_path: Path | None, organisation: str | None
) -> None:
    """One patient's record: --fhir, an HL7 FHIR R4 Bundle (JSON); --zip, the whole record
    (the Bundle as JSON and NDJSON, every consent and report as PDF). Audited."""
    _django()
    import json

    from mesochart.interop import export as exports
    from mesochart.treatments.console import RecallError, find_organisation

    if not fhir_path and not zip_path:
        _fail(["--fhir or --zip: name the file to write"])
    try:
        patient = exports.console_patient(find_organisation(organisation), record_number)
    except (RecallError, LookupError) as error:
        _fail([str(error)])
    if fhir_path:
        bundle = exports.console_export_fhir(patient)
        fhir_path.write_text(json.dumps(bundle, indent=2, ensure_ascii=False), encoding="utf-8")
        console.print(f"{len(bundle['entry'])} FHIR resources written to {fhir_path}.")
    if zip_path:
        summary = exports.console_export_archive(patient, zip_path)
        console.print(
            f"The whole record ({summary.resources} resources, {summary.documents} documents) "
            f"written to {zip_path}."
        )


@main.group("import")
def import_() -> None:
    """Import records written in open standards."""


@import_.command("fhir")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--organisation", help="Organisation slug (needed when there are several).")
@needs_schema
def import_fhir(path: Path, organisation: str | None) -> None:
    """A patient's FHIR R4 Bundle (as mesochart exports it) into an organisation that does not
    hold them yet: all of it in one transaction, or nothing. Audited."""
    _django()
    from mesochart.interop import console as interop_console
    from mesochart.interop.importer.errors import ImportRefused
    from mesochart.treatments.console import RecallError, find_organisation

    try:
        imported = interop_console.import_fhir(path, find_organisation(organisation))
    except RecallError as error:
        _fail([str(error)])
    except ImportRefused as error:
        _fail(error.lines())
    rows = sum(imported.created.values())
    console.print(f"Imported {imported.patient} into {imported.patient.organisation}: {rows} rows.")


@export.command("organisation")
@click.option("--ndjson", "folder", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--organisation", help="Organisation slug (needed when there are several).")
@needs_schema
def export_organisation(folder: Path, organisation: str | None) -> None:
    """Every patient's record as FHIR Bulk Data: one NDJSON file per resource type. Audited."""
    _django()
    from django.db import transaction

    from mesochart.audit.log import record
    from mesochart.audit.models import Action, Category
    from mesochart.interop.bulk import export_organisation as write_bulk
    from mesochart.patients.models import Patient
    from mesochart.treatments.console import RecallError, find_organisation

    try:
        found = find_organisation(organisation)
    except RecallError as error:
        _fail([str(error)])
    total = Patient.objects.current().filter(organisation=found).count()
    with _progress() as progress:
        task = progress.add_task("Patients", total=total)
        counts = write_bulk(found, folder, lambda n: progress.advance(task, n))
    with transaction.atomic():
        record(
            None,
            Action.EXPORT,
            Category.CLINICAL,
            detail={"format": "FHIR Bulk Data NDJSON", "organisation": found.slug, **counts},
            actor_label="console",
        )
    console.print(f"{sum(counts.values())} resources of {total} patients written to {folder}.")


@main.group()
def analytics() -> None:
    """Statistics of outcomes (issue 17)."""


@analytics.command("compare")
@click.option("--csv", "csv_path", required=True, type=click.Path(path_type=Path))
@click.option("--group", required=True, help="The column naming each row's group.")
@click.option("--value", required=True, help="The value column (paired tests: BEFORE,AFTER).")
@click.option(
    "--test", type=click.Choice(["welch", "student", "mann-whitney", "paired-t", "wilcoxon"])
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def analytics_compare(csv_path: Path, group: str, value: str, test, as_json: bool) -> None:
    """Compare groups of a CSV, one row per patient; exit 2 with ``field: rule`` if bad."""
    from mesochart.analytics import compare, words

    try:
        said = None if as_json else words.test_in_words  # JSON keeps the core's English
        result = compare.run(compare.read(csv_path, group, value, test), test, said)
    except compare.Problem as problem:
        _fail([str(problem)])
    if as_json:
        click.echo(json.dumps(compare.as_json(result), indent=2))
    else:
        for line in compare.as_text(result):
            click.echo(line)


@analytics.command("check")
def analytics_check() -> None:
    """Compare every plan's analytics series with its values; exit 1 if any is stale."""
    _django()
    from mesochart.analytics import series_table
    from mesochart.planning.models import Plan

    total = Plan.objects.count()
    with _progress() as progress:
        task = progress.add_task("Checking analytics series", total=total)
        stale = series_table.stale(progress=lambda n: progress.update(task, completed=n))
    if stale:
        shown = ", ".join(str(pk) for pk in stale[:20]) + (" …" if len(stale) > 20 else "")
        console.print(
            f"[red]{len(stale)} of {total} plans have stale analytics series[/] (plans {shown}); "
            "mesochart analytics rebuild derives them again."
        )
        sys.exit(1)
    console.print(f"The analytics series of all {total} plans match their values.")


@analytics.command("rebuild")
def analytics_rebuild() -> None:
    """Derive every plan's analytics series again from its values and signed sessions."""
    _django()
    from mesochart.analytics import series_table
    from mesochart.planning.models import Plan

    with _progress() as progress:
        task = progress.add_task("Rebuilding analytics series", total=Plan.objects.count())
        done = series_table.rebuild(progress=lambda n: progress.update(task, completed=n))
    console.print(f"The analytics series of {done} plans were derived again.")


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args) -> None:
    """Run a Django management command (check, shell, ...)."""
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["mesochart manage", *args])
