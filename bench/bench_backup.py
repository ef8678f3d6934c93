"""Backing up and restoring a practice's database, with the time each takes.

Seeds the treatments benchmark's practice (``bench_treatments.seed``: ``--patients``
patients, 10,000 by default, of ``--sessions`` signed sessions each, 20, with their points,
lots, stock movements and lot uses), then times one ``make_backup`` of it (SQLite's online
backup API or ``pg_dump`` from an exported snapshot, the digest of every table, the
manifest) and one ``restore_backup`` into a new, empty database (load, digest every table
again, compare). Reports seconds, the archive's size and the rows carried, JSON on stdout.

    .venv/bin/python bench/bench_backup.py
    .venv/bin/python bench/bench_backup.py --patients 1000 \\
        --database-url postgres://postgres@127.0.0.1:5432/mesochart_bench --json OUT.json
"""

import argparse
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
            "benchmark": "backup",
            "vendor": vendor,
            "scale": {"patients": args.patients, "sessions_per_patient": args.sessions},
            "seed_seconds": seed_seconds,
            "results": {
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
            f"backup {backup_seconds} s ({backup.size_bytes / 1e6:.1f} MB, {backup.rows} rows), "
            f"restore and verify {restore_seconds} s"
        )
        common.write_report(report, args.json)


if __name__ == "__main__":
    main()
