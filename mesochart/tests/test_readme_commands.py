"""Every command README.md shows is run here, as a newcomer would run it, so that a
documented command can never break silently again.

Each command runs as a subprocess of the installed ``mesochart`` on a fresh data directory
(``MESOCHART_VAR_DIR`` in a temporary folder, SQLite, never the developer's ``var/``).
Commands that exit are checked for their exit status and output; the servers
(``scripts/start``, ``mesochart serve``) are started in their own process group, polled until
their URL answers, checked over HTTP only (so any WSGI server may answer), then stopped
(SIGTERM to the group, SIGKILL if it lingers).

``test_every_command_the_readme_shows_is_run_here`` fails when the README gains a command
that no test here runs: give it a case or an excluded reason.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
MESOCHART = str(VENV_BIN / "mesochart")
COMMAND_PREFIXES = ("mesochart ", ".venv/bin/", "scripts/", "apt-get ")
SERVER_START_SECONDS = 180  # the machine is shared; a first start migrates and loads the demo

# Documented commands that are deliberately not run here, and why.
EXCLUDED = {
    "scripts/test": "it is what runs this test; running it here would recurse",
    "scripts/test -k audit": "it is what runs this test; running it here would recurse",
    "apt-get install python3 python3-venv": "installs Debian packages as root; the test "
    "runs inside the Python it would install",
    "scripts/messages": "rewrites the committed catalogues; tests/test_french_catalogue.py "
    "runs its makemessages on a copy and checks the compiled .mo against the .po",
}

# Documented command -> the test below that runs it.
COVERED = {
    "scripts/start": "test_scripts_start_serves_the_demo_practice",
    "scripts/start --dev": "test_scripts_start_serves_the_demo_practice[--dev]",
    "mesochart serve": "test_serve_answers",
    "mesochart migrate": "test_migrate_then_demo_on_a_fresh_directory",
    "mesochart demo [--patients N]": "test_migrate_then_demo_on_a_fresh_directory",
    "mesochart demo-code": "test_demo_code_needs_no_database",
    ".venv/bin/mesochart demo-code": "test_demo_code_needs_no_database",
    "mesochart createadmin --username U --organisation O --clinic C": "test_createadmin",
    "mesochart audit verify": "test_audit_verify",
    "mesochart check-plan": "test_check_plan",
    "mesochart check-plan PLAN.json [--json] [--clinic ID]": "test_check_plan",
    "mesochart formulary load": "test_formulary_load",
    "mesochart recall LOT": "test_recall",
    "mesochart export patient": "test_export_patient",
    "mesochart export patient RECORD_NUMBER [--fhir FILE] [--zip FILE] [--organisation SLUG]": (
        "test_export_patient"
    ),
    "mesochart export organisation --ndjson DIR [--organisation SLUG]": (
        "test_export_organisation"
    ),
    "mesochart import fhir FILE [--organisation SLUG]": "test_import_fhir_into_a_new_practice",
    "mesochart backup TARGET [--keep N]": "test_backup_then_restore_into_an_empty_database",
    "mesochart backup /backups --keep 14": "test_backup_then_restore_into_an_empty_database",
    "mesochart restore FILE": "test_backup_then_restore_into_an_empty_database",
    "mesochart manage ARGS": "test_manage",
    "mesochart analytics compare --csv FILE --group COLUMN --value COLUMN [--test TEST] [--json]": (
        "analytics/tests/test_compare_command.py (no database: run in process by CliRunner)"
    ),
    "mesochart analytics check": "test_analytics_check_and_rebuild",
    "mesochart analytics rebuild": "test_analytics_check_and_rebuild",
    "mesochart serve [--demo] [--workers N] [--dev] [--no-worker]": (
        "test_serve_answers / test_serve_demo_on_a_fresh_directory"
    ),
    "mesochart worker": "scheduling/tests/test_reminders.py: test_mesochart_worker_once_...",
    "mesochart worker [--every S] [--once]": "scheduling/tests/test_reminders.py (--once)",
    "mesochart manage collectstatic": "test_manage",
    ".venv/bin/pre-commit install": "test_the_commit_hook_refuses_a_template_out_of_indent",
}

# Every command that reads or writes the database, as run on a directory never migrated.
NEEDS_SCHEMA = [
    ["demo"],
    ["createadmin", "--username", "u", "--organisation", "O", "--clinic", "C", "--password", "x"],
    ["audit", "verify"],
    ["check-plan", "PLAN.json"],
    ["formulary", "load"],
    ["recall", "DEMO-HS-DCA"],
    ["backup", "backups"],
    ["export", "patient", "MC-000001", "--fhir", "out.json"],
    ["export", "organisation", "--ndjson", "bulk"],
    ["import", "fhir", "patient.json"],
]

DEMO_ORGANISATION = "demo-practice"
DEMO_LOT = "DEMO-HS-DCA"
PLAN = {  # the example of docs/plan-format.md
    "date": "2026-11-03",
    "area": "submental",
    "technique": "papule",
    "patient": {"weight_kg": 62.5},
    "cocktail": [{"product": "deoxycholic-acid-10mg-ml", "volume_ml": 10.0}],
    "points": {"count": 50, "volume_ml_each": 0.2, "depth_mm": 4, "spacing_cm": 1.0},
    "history": [{"date": "2026-10-01", "products": ["deoxycholic-acid-10mg-ml"]}],
}


def documented_commands(readme: str) -> list[str]:
    """Each line of the README's shell blocks, and each inline code span that is a command."""
    commands = []
    for block in re.findall(r"```(?:sh|bash|shell|console)\n(.*?)```", readme, re.S):
        commands += [line.strip() for line in block.splitlines()]
    prose = re.sub(r"```.*?```", "", readme, flags=re.S)
    commands += re.findall(r"`([^`\n]+)`", prose)
    found = [c for c in commands if c.startswith(COMMAND_PREFIXES) and not c.startswith("#")]
    return list(dict.fromkeys(found))


def _environment(var_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MESOCHART_", "DATABASE_"))}
    env.update(MESOCHART_VAR_DIR=str(var_dir), MESOCHART_ENV="development", COLUMNS="200")
    return env


def run(var_dir: Path, *args: str, stdin: str = "", timeout: int = 300):
    """``mesochart ARGS`` in var_dir (also the working directory), as a finished process."""
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [MESOCHART, *args],
        cwd=var_dir,
        env=_environment(var_dir),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def ok(var_dir: Path, *args: str, stdin: str = "") -> str:
    done = run(var_dir, *args, stdin=stdin)
    assert done.returncode == 0, f"mesochart {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr
    return done.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - localhost
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


class Server:
    """A long-running documented command in its own process group, output to a file."""

    def __init__(self, argv: list[str], cwd: Path, env: dict, port: int, log: Path):
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own command
                argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_until_it_answers(self) -> None:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the server exited ({self.process.returncode}):\n{self.output()}")
            try:
                if _get(f"{self.url}/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        pytest.fail(f"nothing answered at {self.url} in {SERVER_START_SECONDS} s:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=20)


def serving(argv: list[str], cwd: Path, var_dir: Path, port: int, env: dict | None = None):
    server = Server(argv, cwd, env or _environment(var_dir), port, var_dir / "server.log")
    try:
        server.wait_until_it_answers()
        check_the_served_app(server.url)
    finally:
        server.stop()
    return server


def check_the_served_app(url: str) -> None:
    """Sign-in answers, and the API docs load Swagger UI from this server alone."""
    status, page = _get(f"{url}/accounts/sign-in/")
    assert status == 200 and "password" in page.lower()
    status, docs = _get(f"{url}/api/v1/docs")
    assert status == 200
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', docs)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets), docs
    for asset in assets:
        assert asset.startswith("/"), f"the docs page loads {asset} from elsewhere"
        assert _get(f"{url}{asset}")[0] == 200, asset


@pytest.fixture(scope="module")
def practice(tmp_path_factory) -> Path:
    """A fresh data directory, migrated, with a small demo practice loaded."""
    var_dir = tmp_path_factory.mktemp("practice")
    assert "Database is up to date." in ok(var_dir, "migrate")
    logins = ok(var_dir, "demo", "--patients", "2")
    assert "dr.rivera" in logins and "demo-mesochart-2026" in logins
    return var_dir


def test_every_command_the_readme_shows_is_run_here():
    documented = documented_commands((REPO / "README.md").read_text())
    assert "scripts/start" in documented and "mesochart demo-code" in documented
    missing = [c for c in documented if c not in COVERED and c not in EXCLUDED]
    assert not missing, f"README commands no test runs (add a case or a reason): {missing}"
    gone = [c for c in {**COVERED, **EXCLUDED} if c not in documented]
    assert not gone, f"cases for commands the README no longer shows: {gone}"


def test_demo_code_needs_no_database(tmp_path):
    for command in (MESOCHART, str(REPO / ".venv/bin/mesochart")):
        if not Path(command).exists():
            continue  # a test run outside the repository's own .venv
        done = subprocess.run(  # noqa: S603
            [command, "demo-code"],
            cwd=tmp_path,
            env=_environment(tmp_path),
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert re.fullmatch(r"\d{6}\n", done.stdout)


def test_commands_that_need_the_schema_say_migrate_first(tmp_path):
    (tmp_path / "PLAN.json").write_text(json.dumps(PLAN))
    (tmp_path / "backups").mkdir()
    for args in NEEDS_SCHEMA:
        done = run(tmp_path, *args)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert "run `mesochart migrate` first" in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr


def test_migrate_then_demo_on_a_fresh_directory(practice):
    # The fixture migrated and loaded the demo; loading it again changes nothing.
    assert "dr.rivera" in ok(practice, "demo", "--patients", "2")
    assert "Database is up to date." in ok(practice, "migrate")


def test_createadmin(practice):
    out = ok(
        practice,
        "createadmin",
        *("--username", "owner.readme", "--organisation", "Readme Clinic"),
        *("--clinic", "Readme Street", "--password", "a-long-synthetic-passphrase-26"),
    )
    assert "Admin owner.readme created for Readme Street, Readme Clinic." in out


def test_audit_verify(practice):
    assert "Audit chain intact" in ok(practice, "audit", "verify")


def test_check_plan(practice):
    plan = practice / "PLAN.json"
    plan.write_text(json.dumps(PLAN))
    assert ok(practice, "check-plan", str(plan))
    result = json.loads(ok(practice, "check-plan", str(plan), "--json"))
    assert result
    clinic = ok(
        practice,
        *("manage", "shell", "-c"),
        "from mesochart.accounts.models import Clinic; print(Clinic.objects.first().pk)",
    ).split()[-1]
    assert ok(practice, "check-plan", str(plan), "--clinic", clinic)
    plan.write_text("{}")
    invalid = run(practice, "check-plan", str(plan))
    assert invalid.returncode == 2 and ": " in invalid.stderr and "Traceback" not in invalid.stderr


def test_formulary_load(practice):
    assert "Reference formulary:" in ok(practice, "formulary", "load")


def test_recall(practice):
    out = ok(practice, "recall", DEMO_LOT, "--organisation", DEMO_ORGANISATION)
    assert DEMO_LOT in out


def test_export_patient(practice):
    fhir, archive = practice / "patient.json", practice / "patient.zip"
    ok(
        practice,
        *("export", "patient", "MC-000001", "--organisation", DEMO_ORGANISATION),
        *("--fhir", str(fhir), "--zip", str(archive)),
    )
    assert json.loads(fhir.read_text())["resourceType"] == "Bundle"
    assert archive.stat().st_size > 0
    refused = run(practice, "export", "patient", "MC-000001")
    assert refused.returncode == 2 and "--fhir or --zip" in refused.stderr


def test_import_fhir_into_a_new_practice(practice, tmp_path):
    bundle = tmp_path / "patient.json"
    export = ("export", "patient", "MC-000001", "--organisation", DEMO_ORGANISATION)
    ok(practice, *export, "--fhir", str(bundle))
    fresh = tmp_path / "new-practice"
    fresh.mkdir()
    ok(fresh, "migrate")
    ok(
        fresh,
        *("createadmin", "--username", "owner.new", "--organisation", "New Practice"),
        *("--clinic", "New Street", "--password", "a-long-synthetic-passphrase-26"),
    )
    assert "Imported" in ok(fresh, "import", "fhir", str(bundle))


def test_export_organisation(practice):
    folder = practice / "bulk"
    ok(
        practice,
        "export",
        "organisation",
        "--ndjson",
        str(folder),
        "--organisation",
        DEMO_ORGANISATION,
    )
    assert (folder / "manifest.json").is_file()
    assert list(folder.glob("Patient*.ndjson"))


def test_backup_then_restore_into_an_empty_database(practice, tmp_path):
    backups = practice / "backups"
    backups.mkdir(exist_ok=True)
    assert "Backup written to" in ok(practice, "backup", str(backups), "--keep", "14")
    (archive,) = [p for p in backups.iterdir() if p.is_file()]
    single = practice / "one-backup.tar"
    assert "Backup written to" in ok(practice, "backup", str(single))
    assert "audit chain intact" in ok(tmp_path, "restore", str(archive))


def test_analytics_check_and_rebuild(practice):
    assert "match their values" in ok(practice, "analytics", "check")
    assert "derived again" in ok(practice, "analytics", "rebuild")


def test_manage(practice):
    ok(practice, "manage", "check")
    assert "static file" in ok(practice, "manage", "collectstatic", stdin="yes\n")


@pytest.mark.parametrize("options", [[], ["--workers", "2", "--no-worker"], ["--dev"]])
def test_serve_answers(practice, options):
    port = _free_port()
    serving([MESOCHART, "serve", *options, "--port", str(port)], practice, practice, port)


def test_serve_demo_on_a_fresh_directory(tmp_path):
    port = _free_port()
    server = serving([MESOCHART, "serve", "--demo", "--port", str(port)], tmp_path, tmp_path, port)
    assert "demo-mesochart-2026" in server.output()


@pytest.mark.parametrize("options", [[], ["--dev"]], ids=["gunicorn", "--dev"])
def test_scripts_start_serves_the_demo_practice(tmp_path, options):
    """scripts/start as written, in a copy of the tree whose ``scripts/install`` reuses the
    ``.venv`` this test runs in instead of installing again (the installation is what
    ``scripts/install`` makes; re-running pip here would need the network and minutes)."""
    tree, var_dir = tmp_path / "tree", tmp_path / "var"
    var_dir.mkdir()
    shutil.copytree(REPO / "scripts", tree / "scripts")
    (tree / "scripts" / "install").write_text("#!/bin/sh\n# reused: the test's own .venv\n")
    (tree / "scripts" / "install").chmod(0o755)
    for entry in REPO.iterdir():
        if entry.name not in {"scripts", ".venv", "var", ".git"}:
            (tree / entry.name).symlink_to(entry)
    (tree / ".venv").symlink_to(VENV_BIN.parent)
    port = _free_port()
    env = {**_environment(var_dir), "HOST": "127.0.0.1", "PORT": str(port)}
    server = serving([str(tree / "scripts" / "start"), *options], tree, var_dir, port, env)
    assert "demo-mesochart-2026" in server.output()


def _git(tree: Path, *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - git with the test's own arguments
        ["git", *args],  # noqa: S607 - the git on PATH, as a developer's commit uses
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_commit_hook_refuses_a_template_out_of_indent(tmp_path):
    """``.venv/bin/pre-commit install`` as the README shows it, in a new repository holding
    this one's hook file and ``.venv``: a template djhtml would reindent is refused at commit,
    the same template indented is committed."""
    tree = tmp_path / "tree"
    (tree / "mesochart").mkdir(parents=True)
    shutil.copy(REPO / ".pre-commit-config.yaml", tree)
    (tree / ".venv").symlink_to(VENV_BIN.parent)
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    assert _git(tree, "init", "-q", env=env).returncode == 0
    (tree / ".gitignore").write_text(".venv\n")
    installed = subprocess.run(  # noqa: S603 - the documented command, fixed arguments
        [str(tree / ".venv/bin/pre-commit"), "install"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert installed.returncode == 0, installed.stderr
    template = tree / "mesochart" / "page.html"

    template.write_text("<div>\n<p>{% if on %}on{% endif %}</p>\n</div>\n")
    _git(tree, "add", ".", env=env)
    refused = _git(tree, "commit", "-qm", "out of indent", env=env)
    assert refused.returncode != 0
    assert "would have reindented mesochart/page.html" in refused.stdout + refused.stderr

    template.write_text("<div>\n  <p>{% if on %}on{% endif %}</p>\n</div>\n")
    _git(tree, "add", ".", env=env)
    committed = _git(tree, "commit", "-qm", "indented", env=env)
    assert committed.returncode == 0, committed.stdout + committed.stderr
