"""Time dose.check() in-process on a 5-product cocktail, 200 points, 20 earlier sessions.

Run: .venv/bin/python bench/bench_dose.py [--json] [--repetitions 5000] [--seed 20261103]

Plans are built before timing from a seeded generator (same inputs on every run), each with its
own volumes, weight and history drawn from the shipped reference formulary, so the timing
covers the engine, not plan construction or parsing. Reports checks per second over the timed
loop and p50/p95/p99 per check in microseconds; --json prints the report as JSON on stdout.
"""

import argparse
import json
import platform
import random
import statistics
import time
from datetime import date, timedelta

import pint

from mesochart.core.dose import Component, PastSession, Plan, Points, check
from mesochart.core.reference import load_shipped_products
from mesochart.core.units import ML, Q_

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
DAY = date(2026, 11, 3)


def build_plan(rng: random.Random, products: dict) -> Plan:
    """One plan: random shares of 20 mL, a weight, and 20 earlier sessions over two years."""
    total_ml = POINTS * VOLUME_EACH_ML
    shares = [rng.uniform(1, 5) for _ in COCKTAIL]
    volumes_ml = [total_ml * share / sum(shares) for share in shares]
    history = tuple(
        PastSession(
            DAY - timedelta(days=rng.randint(7, 730)),
            frozenset(rng.sample(COCKTAIL, rng.randint(1, len(COCKTAIL)))),
        )
        for _ in range(HISTORY_SESSIONS)
    )
    return Plan(
        date=DAY,
        area="abdomen",
        technique="point-by-point",
        components=tuple(
            Component(products[slug], Q_(volume_ml, ML))
            for slug, volume_ml in zip(COCKTAIL, volumes_ml, strict=True)
        ),
        points=Points(POINTS, Q_(VOLUME_EACH_ML, ML), depth_mm=rng.choice((4, 6)), spacing_cm=2),
        weight_kg=rng.uniform(45, 110),
        history=history,
    )


def run(repetitions: int, seed: int) -> dict:
    rng = random.Random(seed)
    products = load_shipped_products()
    plans = [build_plan(rng, products) for _ in range(repetitions)]
    for plan in plans[:WARM_UP]:
        check(plan)
    samples_ns = []
    findings = set()
    loop_start = time.perf_counter_ns()
    for plan in plans:
        start = time.perf_counter_ns()
        result = check(plan)
        samples_ns.append(time.perf_counter_ns() - start)
        findings.add(len(result.findings))
    loop_seconds = (time.perf_counter_ns() - loop_start) / 1e9
    cuts = statistics.quantiles(samples_ns, n=100, method="inclusive")
    return {
        "benchmark": "mesochart.core.dose.check",
        "cocktail": list(COCKTAIL),
        "points": POINTS,
        "history_sessions": HISTORY_SESSIONS,
        "findings_per_check": sorted(findings),
        "repetitions": repetitions,
        "seed": seed,
        "checks_per_second": round(repetitions / loop_seconds),
        "p50_us": round(cuts[49] / 1e3, 1),
        "p95_us": round(cuts[94] / 1e3, 1),
        "p99_us": round(cuts[98] / 1e3, 1),
        "python": platform.python_version(),
        "pint": pint.__version__,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--repetitions", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=20261103)
    args = parser.parse_args()
    report = run(args.repetitions, args.seed)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(
        f"dose.check: {report['checks_per_second']} checks/s; "
        f"p50 {report['p50_us']} µs, p95 {report['p95_us']} µs, p99 {report['p99_us']} µs "
        f"({len(COCKTAIL)} products, {POINTS} points, {HISTORY_SESSIONS} earlier sessions, "
        f"{args.repetitions} runs)"
    )


if __name__ == "__main__":
    main()
