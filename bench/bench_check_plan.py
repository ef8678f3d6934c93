"""Time the in-process ``check-plan`` path: parse_plan + check on products built from the database.

Run: .venv/bin/python bench/bench_check_plan.py [--repetitions 5000] [--seed 20261103]
     [--database-url postgres://postgres@127.0.0.1:5432/mesochart_bench] [--output FILE]

What ``mesochart check-plan`` does after reading the file is ``engine.check_plan``: load the
named products with their effective limits (``engine.core_products``, the database part),
then ``parse_plan`` + ``check`` (the pure part). The two are timed separately: the database
lookup for the 5 products of the cocktail on a fresh, migrated database (the reference sync
fills it), and parse + check with the core products built once, over seeded PLAN.json dicts
of a 5-product cocktail, 200 points and a 20-session history. Target: under 1 ms per check.
The report (JSON) goes to stdout or --output; a table goes to stderr.
"""

import argparse
import random
import time
from datetime import date, timedelta

from common import (
    code_version,
    fresh_database,
    machine,
    print_table,
    progress,
    setup_django,
    summarise,
    write_report,
)

COCKTAIL = (
    "pcdc-lipolysis",
    "lidocaine-1pct",
    "tranexamic-acid-4mg-ml",
    "vitamin-c",
    "l-carnitine",
)
POINTS = 200
VOLUME_EACH_ML = 0.1
HISTORY_SESSIONS = 20
WARM_UP = 200
LOOKUP_RUNS = 300
DAY = date(2026, 11, 3)
TARGET_MS = {"parse_plan + check": 1.0}


def plan_file(rng: random.Random) -> dict:
    """One PLAN.json as parsed JSON: random shares of 20 mL, a weight, 20 earlier sessions."""
    total_ml = POINTS * VOLUME_EACH_ML
    shares = [rng.uniform(1, 5) for _ in COCKTAIL]
    return {
        "date": DAY.isoformat(),
        "area": "abdomen",
        "technique": "point-by-point",
        "patient": {"weight_kg": round(rng.uniform(45, 110), 1)},
        "cocktail": [
            {"product": slug, "volume_ml": total_ml * share / sum(shares)}
            for slug, share in zip(COCKTAIL, shares, strict=True)
        ],
        "points": {
            "count": POINTS,
            "volume_ml_each": VOLUME_EACH_ML,
            "depth_mm": rng.choice((4, 6)),
            "spacing_cm": 2,
        },
        "history": [
            {
                "date": (DAY - timedelta(days=rng.randint(7, 730))).isoformat(),
                "products": rng.sample(COCKTAIL, rng.randint(1, len(COCKTAIL))),
            }
            for _ in range(HISTORY_SESSIONS)
        ],
    }


def _timed(call) -> tuple[object, float, float]:
    """``call()``'s result, wall-clock ms and CPU ms (CPU time ignores other jobs' load)."""
    cpu_start, start = time.process_time_ns(), time.perf_counter_ns()
    result = call()
    return (
        result,
        (time.perf_counter_ns() - start) / 1e6,
        (time.process_time_ns() - cpu_start) / 1e6,
    )


def time_lookup(runs: int, advance) -> tuple[list[float], list[float], int]:
    """``core_products`` for the cocktail's 5 slugs: wall and CPU ms per call, queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mesochart.formulary.engine import core_products

    with CaptureQueriesContext(connection) as queries:
        core_products(COCKTAIL)
    wall, cpu = [], []
    for _ in range(runs + WARM_UP):
        products, wall_ms, cpu_ms = _timed(lambda: core_products(COCKTAIL))
        wall.append(wall_ms)
        cpu.append(cpu_ms)
        advance()
    assert set(products) == set(COCKTAIL)
    return wall[WARM_UP:], cpu[WARM_UP:], len(queries)


def time_checks(plans: list[dict], advance) -> tuple[list[float], list[float], float, set[int]]:
    """parse_plan + check per plan (products built once): wall and CPU ms per check,
    checks per second over the whole loop, and the numbers of findings seen."""
    from mesochart.core.dose import check
    from mesochart.core.plan_file import parse_plan
    from mesochart.formulary.engine import core_products

    lookup = core_products(COCKTAIL).get
    for data in plans[:WARM_UP]:
        check(parse_plan(data, lookup))
    wall, cpu, findings = [], [], set()
    loop_start = time.perf_counter_ns()
    for data in plans:
        result, wall_ms, cpu_ms = _timed(lambda data=data: check(parse_plan(data, lookup)))
        wall.append(wall_ms)
        cpu.append(cpu_ms)
        findings.add(len(result.findings))
        advance()
    loop_seconds = (time.perf_counter_ns() - loop_start) / 1e9
    return wall, cpu, len(plans) / loop_seconds, findings


def run(repetitions: int, seed: int, database_url: str | None) -> dict:
    with fresh_database(database_url) as vendor:
        setup_django()
        import pint

        rng = random.Random(seed)
        plans = [plan_file(rng) for _ in range(repetitions)]
        with progress() as bar:
            task = bar.add_task("check-plan", total=repetitions + LOOKUP_RUNS + WARM_UP)
            lookup_ms, lookup_cpu, queries = time_lookup(LOOKUP_RUNS, lambda: bar.advance(task))
            check_ms, check_cpu, per_second, findings = time_checks(
                plans, lambda: bar.advance(task)
            )
        results = {
            "parse_plan + check": {
                **summarise(check_ms, check_cpu),
                "checks_per_second": round(per_second),
            },
            f"core_products ({len(COCKTAIL)} slugs, {vendor})": {
                **summarise(lookup_ms, lookup_cpu),
                "queries": queries,
            },
        }
        return {
            "benchmark": "check-plan in process",
            "cocktail": list(COCKTAIL),
            "points": POINTS,
            "history_sessions": HISTORY_SESSIONS,
            "findings_per_check": sorted(findings),
            "repetitions": repetitions,
            "seed": seed,
            "database": vendor,
            "target_ms_per_check": TARGET_MS["parse_plan + check"],
            "met": results["parse_plan + check"]["p95_ms"] < TARGET_MS["parse_plan + check"],
            "results": results,
            "machine": machine(pint=pint.__version__),
            "code": code_version(),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=20261103)
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    parser.add_argument("--output", default=None, help="write the JSON report here")
    args = parser.parse_args()
    report = run(args.repetitions, args.seed, args.database_url)
    print_table("check-plan", report["results"], TARGET_MS.get)
    write_report(report, args.output)


if __name__ == "__main__":
    main()
