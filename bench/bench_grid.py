"""Time the injection grid planner on a 30 × 20 cm region; print p50/p95 in ms as JSON.

Run: .venv/bin/python bench/bench_grid.py [--repetitions 200] [--seed 20250301]

Each repetition plans a fresh region moved by a seeded random offset (up to one cm), so
every run sees the same inputs and no run reuses another's geometry.
"""

import argparse
import json
import platform
import random
import statistics
import time

import shapely

from mesochart.core.grid import PATTERNS, GridRequest, Region, plan_grid

WIDTH_CM, HEIGHT_CM = 30.0, 20.0
SPACINGS_CM = (1.0, 0.5)
WARM_UP = 5


def region_at(x_cm: float, y_cm: float) -> Region:
    return Region(
        [
            (x_cm, y_cm),
            (x_cm + WIDTH_CM, y_cm),
            (x_cm + WIDTH_CM, y_cm + HEIGHT_CM),
            (x_cm, y_cm + HEIGHT_CM),
        ]
    )


def percentile_ms(samples_ns: list[int], percent: int) -> float:
    cut = statistics.quantiles(samples_ns, n=100, method="inclusive")[percent - 1]
    return round(cut / 1e6, 3)


def bench(spacing_cm: float, pattern: str, repetitions: int, seed: int) -> dict:
    rng = random.Random(seed)
    requests = [
        GridRequest(region_at(rng.uniform(0, 1), rng.uniform(0, 1)), spacing_cm, pattern)
        for _ in range(repetitions)
    ]
    for request in requests[:WARM_UP]:
        plan_grid(request)
    samples_ns, points = [], set()
    for request in requests:
        start = time.perf_counter_ns()
        result = plan_grid(request)
        samples_ns.append(time.perf_counter_ns() - start)
        points.add(len(result.points))
    return {
        "spacing_cm": spacing_cm,
        "pattern": pattern,
        "points": sorted(points),
        "p50_ms": percentile_ms(samples_ns, 50),
        "p95_ms": percentile_ms(samples_ns, 95),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20250301)
    args = parser.parse_args()
    report = {
        "region_cm": [WIDTH_CM, HEIGHT_CM],
        "repetitions": args.repetitions,
        "seed": args.seed,
        "python": platform.python_version(),
        "shapely": shapely.__version__,
        "geos": shapely.geos_version_string,
        "results": [
            bench(spacing_cm, pattern, args.repetitions, args.seed)
            for spacing_cm in SPACINGS_CM
            for pattern in PATTERNS
        ],
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
