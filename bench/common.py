"""What the benchmarks in bench/ share: a throw-away database, timing, percentiles, the report.

Settings read DATABASE_URL and MESOCHART_VAR_DIR once, at ``django.setup()``: enter
``fresh_database()`` first, then call ``setup_django()``, and only then import models.
"""

import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

REPO = Path(__file__).resolve().parent.parent
# The only PostgreSQL databases a benchmark may drop (this name, or it plus _suffix).
BENCH_DATABASE = "mesochart_bench"
DEFAULT_POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"

# A fixed width when stderr is a file or a pipe, so the table's columns are not cut.
stderr = Console(stderr=True, width=None if sys.stderr.isatty() else 120)


@contextmanager
def fresh_database(url: str | None) -> Iterator[str]:
    """Point the settings at a new, empty database; yield its vendor, 'sqlite' or 'postgresql'.

    SQLite (no URL, or any ``sqlite:`` URL) lives in a temporary directory removed on exit.
    PostgreSQL: the database named in the URL, ``mesochart_bench`` (the default when the URL
    names none) or ``mesochart_bench_<suffix>``, is dropped and recreated, and kept afterwards
    for inspection. Two benchmarks running at once need different names: each drops its own.
    Settings run in development mode with DEBUG off, so no query log skews the timings.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesochart.settings")
    os.environ["MESOCHART_ENV"] = "development"
    os.environ["MESOCHART_DEBUG"] = "0"
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    with tempfile.TemporaryDirectory(prefix="mesochart-bench-") as var_dir:
        os.environ["MESOCHART_VAR_DIR"] = var_dir
        Path(var_dir, "static").mkdir()  # WhiteNoise warns when STATIC_ROOT is missing
        if url is None or url.startswith("sqlite"):
            os.environ.pop("DATABASE_URL", None)
            yield "sqlite"
        else:
            os.environ["DATABASE_URL"] = _recreate_postgres(url)
            yield "postgresql"


def _recreate_postgres(url: str) -> str:
    import psycopg

    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit(f"--database-url: expected sqlite or postgres://, got {parts.scheme}://")
    name = parts.path.strip("/") or BENCH_DATABASE
    if not re.fullmatch(rf"{BENCH_DATABASE}(_[a-z0-9_]+)?", name):
        raise SystemExit(
            f"--database-url: the benchmark drops its database, so it must be named "
            f"{BENCH_DATABASE} or {BENCH_DATABASE}_<something>, not {name!r}"
        )
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    return parts._replace(path=f"/{name}").geturl()


def setup_django() -> None:
    """Read the settings and bring the fresh database to the latest migration."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def progress() -> Progress:
    """A progress bar on stderr, so stdout stays clean for the JSON report."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        transient=False,
    )


def time_interleaved(
    operations: dict[str, tuple[Callable, Sequence]], warmup: int, advance=None
) -> dict[str, tuple[list[float], list[float]]]:
    """Time each operation on each of its inputs, round-robin, after ``warmup`` untimed rounds.

    Returns, per operation, the wall-clock ms and this process's CPU ms of every timed run.
    Interleaving spreads background load (other jobs on a shared machine) evenly over the
    operations; CPU time is what the run cost this process whatever else ran beside it (a
    database server's own work, PostgreSQL's, is not in it). All input sequences must be
    equally long.
    """
    samples: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in operations}
    runs = {len(inputs) for _, inputs in operations.values()}
    if len(runs) != 1:
        raise ValueError("every operation needs the same number of inputs")
    for index in range(runs.pop()):
        for name, (operation, inputs) in operations.items():
            cpu_start, start = time.process_time_ns(), time.perf_counter_ns()
            operation(inputs[index])
            wall_ms = (time.perf_counter_ns() - start) / 1e6
            cpu_ms = (time.process_time_ns() - cpu_start) / 1e6
            if index >= warmup:
                samples[name][0].append(wall_ms)
                samples[name][1].append(cpu_ms)
            if advance is not None:
                advance()
    return samples


def time_operations(
    operations: dict[str, Callable], repeat: int, warmup: int, profile: str | None = None
) -> dict[str, dict]:
    """Each of ``operations`` (called with None) timed ``repeat`` times after ``warmup``
    untimed rounds, interleaved, under a progress bar (and cProfile with ``profile``):
    the summary of each, as `summarise` gives it."""
    runs = repeat + warmup
    with progress() as bar, profiled(profile):
        task = bar.add_task("timing", total=runs * len(operations))
        samples = time_interleaved(
            {name: (operation, [None] * runs) for name, operation in operations.items()},
            warmup,
            advance=lambda: bar.advance(task),
        )
    return {name: summarise(*samples[name]) for name in operations}


@contextmanager
def profiled(path: str | None) -> Iterator[None]:
    """Run the block under cProfile and dump its stats to ``path`` (``python -m pstats``
    reads them); a no-op without a path. Profiling slows every call, so timings taken
    inside are only good for comparing functions, not for the targets."""
    if not path:
        yield
        return
    import cProfile

    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        profile.dump_stats(path)
        stderr.print(f"profile written to {path}")


def summarise(wall_ms: Sequence[float], cpu_ms: Sequence[float] = ()) -> dict:
    """p50/p95/p99 in ms (inclusive percentiles), the run count, and CPU p50/p95 if given."""
    cuts = statistics.quantiles(wall_ms, n=100, method="inclusive")
    summary = {
        "p50_ms": round(cuts[49], 3),
        "p95_ms": round(cuts[94], 3),
        "p99_ms": round(cuts[98], 3),
        "n": len(wall_ms),
    }
    if cpu_ms:
        cpu_cuts = statistics.quantiles(cpu_ms, n=100, method="inclusive")
        summary.update(cpu_p50_ms=round(cpu_cuts[49], 3), cpu_p95_ms=round(cpu_cuts[94], 3))
    return summary


def machine(**extra) -> dict:
    """What ran the benchmark; load averages (1, 5, 15 min) show whether other jobs ran too."""
    import django

    return {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "platform": platform.platform(),
        "load_average_at_end": [round(load, 2) for load in os.getloadavg()],
        **extra,
    }


def code_version() -> dict:
    """The commit measured and how many files differed from it (others may be mid-change)."""
    import subprocess

    def git(*args: str) -> str:
        run = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)  # noqa: S603, S607
        return run.stdout.strip()

    changed = [line for line in git("status", "--porcelain").splitlines() if line]
    return {"commit": git("rev-parse", "HEAD"), "uncommitted_files": len(changed)}


def print_table(title: str, results: dict, target_of: Callable[[str], float | None]) -> None:
    """The results as a table on stderr, each row against its p95 target."""
    table = Table(title=title)
    columns = ("operation", "p50 ms", "p95 ms", "p99 ms", "cpu p95", "n", "queries", "p95 target")
    for column in columns:
        table.add_column(column, justify="left" if column == "operation" else "right")
    for name, row in results.items():
        target = target_of(name)
        met = target is not None and row["p95_ms"] < target
        verdict = "" if target is None else f"{target} " + ("ok" if met else "MISSED")
        table.add_row(
            name,
            f"{row['p50_ms']:.2f}",
            f"{row['p95_ms']:.2f}",
            f"{row['p99_ms']:.2f}",
            f"{row['cpu_p95_ms']:.2f}" if "cpu_p95_ms" in row else "",
            str(row["n"]),
            str(row.get("queries", "")),
            verdict,
        )
    stderr.print(table)


def write_report(report: dict, path: str | None) -> None:
    """The report as JSON on stdout, or into ``path`` (its folder is created)."""
    text = json.dumps(report, indent=2) + "\n"
    if path is None:
        sys.stdout.write(text)
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text)
    stderr.print(f"report written to {path}")
