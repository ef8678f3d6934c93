"""The organisation's FHIR Bulk Data export, and a backup and restore of its database.

Seeds the treatments benchmark's practice (``bench_treatments.seed``: ``--patients``
patients, 10,000 by default, of ``--sessions`` signed sessions each, 20, with their points,
lots, stock movements and lot uses), then runs ``mesochart export organisation --ndjson``
in its own process (its time and its peak memory, the process's maximum resident set; the
target is 300 MB), one ``make_backup`` (SQLite's online
backup API or ``pg_dump`` from an exported snapshot, the digest of every table, the
manifest) and one ``restore_backup`` into a new, empty database (load, digest every table
again, compare). Reports seconds, sizes, memory and rows, JSON on stdout.

    .venv/bin/python bench/bench_interop.py
    .venv/bin/python bench/bench_interop.py --patients 1000 \\
        --database-url postgres://postgres@127.0.0.1:5432/mesochart_bench --json OUT.json
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import common


def _restore_target(vendor: str, folder: Path, source: dict) -> tuple[dict, Callable[[], None]]:
    """An empty database beside the benchmark's, and how to drop it afterwards."""
    if vendor == "sqlite":
        return {"ENGINE": source["ENGINE"], "NAME": str(folder / "restored.sqlite3")}, lambda: None
    import psycopg

    name = f"{source['NAME']}_restored"
    server = {**source, "NAME": "postgres"}
    conninfo = " ".join(
        f"{key}={server[field]}"
        for key, field in (("dbname", "NAME"), ("user", "USER"), ("host", "HOST"), ("port", "PORT"))
        if server.get(field)
    )

    def run(statement: str) -> None:
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute(statement)

    run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    run(f"CREATE DATABASE {name}")
    return {**source, "NAME": name}, lambda: run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _bulk_export(folder: Path) -> dict:
    """The console export in a process of its own, so its peak memory is its own."""
    command = [str(Path(sys.executable).with_name("mesochart")), "export", "organisation"]
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [*command, "--ndjson", str(folder), "--organisation", "test-practice"],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = round(time.perf_counter() - started, 2)
    if done.returncode != 0:
        raise RuntimeError(f"export failed: {done.stderr[-2000:]}")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    lines = sum(sum(1 for _ in path.open()) for path in folder.glob("*.ndjson"))
    size_mb = sum(path.stat().st_size for path in folder.glob("*.ndjson")) / 1e6
    return {
        "seconds": seconds,
        "peak_memory_mb": round(peak_kb / 1024, 1),
        "resources": lines,
        "ndjson_mb": round(size_mb, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="sqlite (default) or postgres://…/mesochart_bench")
    parser.add_argument("--json", help="write the report here instead of stdout")
    parser.add_argument("--patients", type=int, default=10_000, help="patients with a history")
    parser.add_argument("--sessions", type=int, default=20, help="signed sessions per patient")
    parser.add_argument("--points", type=int, default=6, help="points of each past session")
    parser.add_argument("--lots", type=int, default=40, help="lot numbers the history used")
    args = parser.parse_args()
    args.repeat, args.warmup = 0, 0  # bench_treatments.seed prepares no signing patients

    with common.fresh_database(args.database_url) as vendor:
        common.setup_django()
        from bench_treatments import analyse, seed
        from django.db import connection

        from mesochart.interop.backup.create import make_backup
        from mesochart.interop.backup.restore import restore_backup

        started = time.perf_counter()
        seed(args)
        analyse()
        seed_seconds = round(time.perf_counter() - started, 1)
        source = dict(connection.settings_dict)
        connection.close()
        with tempfile.TemporaryDirectory(prefix="mesochart-backup-bench-") as work:
            folder = Path(work)
            bulk = _bulk_export(folder / "ndjson")
            started = time.perf_counter()
            backup = make_backup(folder / "practice.backup.tar", source)
            backup_seconds = round(time.perf_counter() - started, 2)
            target, drop = _restore_target(vendor, folder, source)
            try:
                started = time.perf_counter()
                restored = restore_backup(backup.path, target)
                restore_seconds = round(time.perf_counter() - started, 2)
            finally:
                drop()
        report = {
            "benchmark": "interop",
            "vendor": vendor,
            "scale": {"patients": args.patients, "sessions_per_patient": args.sessions},
            "seed_seconds": seed_seconds,
            "results": {
                "organisation_ndjson": bulk,
                "backup": {
                    "seconds": backup_seconds,
                    "archive_mb": round(backup.size_bytes / 1e6, 1),
                    "tables": backup.tables,
                    "rows": backup.rows,
                },
                "restore_and_verify": {"seconds": restore_seconds, "rows": restored.rows},
            },
            "machine": common.machine(),
            "code": common.code_version(),
        }
        common.stderr.print(
            f"NDJSON export {bulk['seconds']} s, peak {bulk['peak_memory_mb']} MB "
            f"({bulk['resources']} resources); backup {backup_seconds} s "
            f"({backup.size_bytes / 1e6:.1f} MB, {backup.rows} rows), "
            f"restore and verify {restore_seconds} s"
        )
        common.write_report(report, args.json)


if __name__ == "__main__":
    main()
