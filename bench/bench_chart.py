"""The patient chart page in process, on the demo practice: CPU and wall time per request
and the query count, so its cost can be cut at the root without a load test.

Loads the demo (`mesochart demo`, with its outcome history) into a throw-away database and
opens the chart (``GET /patients/<pk>/``) of every demo patient of the first clinic in turn,
as the load test's nurse does, through ``django.test.Client`` signed in. p50/p95/p99 in ms,
CPU p50/p95, the number of SQL statements of one chart, JSON on stdout.

    .venv/bin/python bench/bench_chart.py
    .venv/bin/python bench/bench_chart.py --profile /tmp/chart.prof   # then: python -m pstats
    .venv/bin/python bench/bench_chart.py --show-queries

The load test (`bench_load.py`, 50 users) is where the 200 ms chart p95 target is judged; this
one names what a chart costs the server's CPU, which is what that target is short of on two
cores. Synthetic demo data only.
"""

import argparse
import itertools

import common

USER = "nurse.okafor"  # the load test's staff member who opens charts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="postgres://…/mesochart_bench_chart; else SQLite")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--profile", help="write cProfile stats of the timed runs here")
    parser.add_argument("--show-queries", action="store_true")
    parser.add_argument("--json")
    args = parser.parse_args()
    with common.fresh_database(args.database_url) as vendor:
        common.setup_django()
        from bench_patients import count_queries, get_ok, signed_in_client

        from mesochart.accounts.models import Membership
        from mesochart.demo import load_demo
        from mesochart.patients.models import Patient

        load_demo(40, history=True)
        member = Membership.objects.select_related("clinic", "user").get(user__username=USER)
        pks = list(Patient.objects.filter(clinic=member.clinic).values_list("pk", flat=True))
        client = signed_in_client(member.user)
        charts = itertools.cycle(pks)

        def chart(_):
            get_ok(client, f"/patients/{next(charts)}/")

        results = common.time_operations({"chart": chart}, args.repeat, args.warmup, args.profile)
        results["chart"]["queries"] = count_queries(chart, None, args.show_queries, "chart")
        report = {
            "benchmark": "chart",
            "vendor": vendor,
            "patients": len(pks),
            "results": results,
            "machine": common.machine(),
            "code": common.code_version(),
        }
    common.print_table("chart page", results, lambda name: None)
    common.write_report(report, args.json)


if __name__ == "__main__":
    main()
