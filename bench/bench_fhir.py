"""The FHIR R4 Bundle of one patient with a long history.

Seeds a patient of the test practice with an approved, consented submental plan through the
real actions, then ``--sessions`` (50) signed sessions of ``--points`` (60) points each
(3,000 points) with an addendum each, bulk-inserted as a migration from an older system
would. Times ``GET /api/v1/patients/{id}/fhir`` through ``django.test.Client`` with a
practitioner's token (the access check, the Bundle with every resource checked by the
``fhir.resources`` models, the audit row), p50/p95/p99 in ms and its query count, JSON on
stdout. Data is synthetic. Target (p95): 200 ms.

    .venv/bin/python bench/bench_fhir.py
    .venv/bin/python bench/bench_fhir.py \\
        --database-url postgres://postgres@127.0.0.1:5432/mesochart_bench --json OUT.json
"""

import argparse
import gc

import common

TARGET_P95_MS = 200


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="sqlite (default) or postgres://…/mesochart_bench")
    parser.add_argument("--json", help="write the report here instead of stdout")
    parser.add_argument("--sessions", type=int, default=50, help="signed sessions of the patient")
    parser.add_argument("--points", type=int, default=60, help="points of each session")
    parser.add_argument("--repeat", type=int, default=100, help="timed runs")
    parser.add_argument("--warmup", type=int, default=5, help="untimed runs first")
    args = parser.parse_args()

    with common.fresh_database(args.database_url) as vendor:
        common.setup_django()
        import time_machine
        from bench_patients import count_queries
        from django.test import Client

        from mesochart.accounts.models import ApiToken
        from mesochart.conftest import Practice
        from mesochart.testing.sessions import TODAY, Ready, signed_history

        practice = Practice()
        with time_machine.travel(TODAY, tick=False):
            ready = Ready(practice)
        signed_history(ready, args.sessions, points=args.points, addenda=True)
        _, raw = ApiToken.issue(practice.practitioner, practice.clinic, "bench", second_factor=True)
        client = Client(headers={"Authorization": f"Bearer {raw}"})
        url = f"/api/v1/patients/{practice.patient.pk}/fhir"
        gc.collect()
        gc.freeze()

        def bundle(_):
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url}: {response.status_code} {response.content[:300]}")

        runs = args.repeat + args.warmup
        name = f"fhir_bundle_{args.sessions}_sessions_{args.sessions * args.points}_points"
        with common.progress() as bar:
            task = bar.add_task("timing", total=runs)
            samples = common.time_interleaved(
                {name: (bundle, [None] * runs)}, args.warmup, advance=lambda: bar.advance(task)
            )
        results = {name: common.summarise(*samples[name])}
        results[name]["queries"] = count_queries(bundle, None, False, name)
        resources = len(client.get(url).json()["entry"])
        report = {
            "benchmark": "fhir",
            "vendor": vendor,
            "scale": {
                "sessions": args.sessions,
                "points": args.sessions * args.points,
                "resources": resources,
            },
            "target_p95_ms": TARGET_P95_MS,
            "results": results,
            "machine": common.machine(),
            "code": common.code_version(),
        }
        common.print_table(f"FHIR Bundle ({vendor})", results, lambda _: TARGET_P95_MS)
        common.write_report(report, args.json)


if __name__ == "__main__":
    main()
