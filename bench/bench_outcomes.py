"""The progress page of a patient with a long outcome history, and scoring over the API.

Seeds the test practice's patient with an approved, consented submental plan through the
real actions, two more plans of the same patient, ``--sessions`` (30) signed sessions spread
over the 3 plans and ``--values`` (600) outcome values (circumference at two sites, weight,
CSS with its items, pain, GAIS), bulk-inserted as a migration would. Times, through
``django.test.Client``: ``GET /outcomes/plan/{id}/progress/`` of the first plan (values,
sessions and lots read, the chart data, the audit row), and ``POST /api/v1/scales/css/score``
and ``/scales/masi/score`` with a practitioner's token (nothing stored). p50/p95/p99 in ms,
wall and CPU, query counts, JSON on stdout. Data is synthetic.
Targets (p95): progress page 50 ms, score 10 ms.

    .venv/bin/python bench/bench_outcomes.py
    .venv/bin/python bench/bench_outcomes.py \\
        --database-url postgres://postgres@127.0.0.1:5432/mesochart_bench_outcomes
"""

import argparse
import gc
import random
from datetime import UTC, datetime, timedelta

import common

TARGETS = {"progress_page": 50, "score_css": 10, "score_masi": 10}


def seed(args):
    import time_machine

    from mesochart.conftest import Practice
    from mesochart.core import measures
    from mesochart.core.scores import score
    from mesochart.outcomes.models import OutcomeValue
    from mesochart.planning.models import Plan
    from mesochart.testing.sessions import TODAY, Ready
    from mesochart.treatments.models import SessionProduct, TreatmentSession

    practice = Practice()
    with time_machine.travel(TODAY, tick=False):
        ready = Ready(practice)
    plans = [ready.plan] + [
        Plan.objects.create(
            clinic=practice.clinic, patient=practice.patient, title=f"Plan {n}",
            indication="cellulite", status="approved", created_by=practice.practitioner,
        )
        for n in (2, 3)
    ]  # fmt: skip
    start = datetime(2024, 1, 8, 10, tzinfo=UTC)
    sessions = TreatmentSession.objects.bulk_create(
        TreatmentSession(
            clinic=practice.clinic, patient=practice.patient, plan=plans[i % 3],
            cocktail_version=ready.version, practitioner=practice.practitioner, status="signed",
            started_at=start + timedelta(days=14 * i), signed_at=start + timedelta(days=14 * i),
            content_hash="a" * 64, areas=["submental"], created_by=practice.practitioner,
        )
        for i in range(args.sessions)
    )  # fmt: skip
    SessionProduct.objects.bulk_create(
        SessionProduct(session=s, product=ready.lot.product, lot=ready.lot, volume_drawn_ml=4)
        for s in sessions
    )
    rng = random.Random(args.seed)
    css = measures.get("css")
    rows = []
    for i in range(args.values):
        kind = i % 6
        common_fields = {
            "clinic": practice.clinic, "patient": practice.patient, "plan": plans[i % 3],
            "context": "follow_up", "measured_on": (start + timedelta(days=i)).date(),
            "rater_role": "practitioner", "recorded_by": practice.practitioner,
        }  # fmt: skip
        if kind in (0, 1):
            site = ("left thigh", "right thigh")[kind]
            value = {"measure": "circumference", "site": site, "value": rng.uniform(50, 60)}
        elif kind == 2:
            value = {"measure": "weight", "value": rng.uniform(60, 70)}
        elif kind == 3:
            result = score(css, {code: rng.randint(0, 3) for code in "ABCDE"})
            value = {"measure": "css", "site": "left thigh", "value": result.total,
                     "items": result.items, "band": result.band}  # fmt: skip
        elif kind == 4:
            value = {"measure": "pain", "value": rng.randint(0, 10), "rater_role": "patient"}
        else:
            value = {"measure": "gais_investigator", "level": "improved", "coding": "1-5"}
        rows.append(OutcomeValue(**(common_fields | value)))
    OutcomeValue.objects.bulk_create(rows)
    return practice, plans[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="sqlite (default) or postgres://…/mesochart_bench")
    parser.add_argument("--json", help="write the report here instead of stdout")
    parser.add_argument("--sessions", type=int, default=30, help="signed sessions, 3 plans")
    parser.add_argument("--values", type=int, default=600, help="outcome values, 3 plans")
    parser.add_argument("--repeat", type=int, default=200, help="timed runs")
    parser.add_argument("--warmup", type=int, default=10, help="untimed runs first")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", help="cProfile the timed runs into this file")
    args = parser.parse_args()

    with common.fresh_database(args.database_url) as vendor:
        common.setup_django()
        from bench_patients import count_queries
        from django.test import Client

        from mesochart.accounts.models import ApiToken
        from mesochart.conftest import signed_in

        practice, plan = seed(args)
        page_client = signed_in(practice.practitioner)
        _, raw = ApiToken.issue(practice.practitioner, practice.clinic, "bench", second_factor=True)
        api = Client(headers={"Authorization": f"Bearer {raw}"})
        url = f"/outcomes/plan/{plan.pk}/progress/"
        css = {"items": {"A": 2, "B": 2, "C": 1, "D": 1, "E": 2}}
        masi = {"items": {f"{r}_{p}": 2 for r in ("forehead", "right_malar", "left_malar", "chin")
                          for p in ("area", "darkness", "homogeneity")}}  # fmt: skip

        def check(response, what):
            if response.status_code != 200:
                raise RuntimeError(f"{what}: {response.status_code} {response.content[:300]}")

        def progress_page(_):
            check(page_client.get(url), url)

        def score(code, body):
            def run(_):
                path = f"/api/v1/scales/{code}/score"
                check(api.post(path, body, content_type="application/json"), path)

            return run

        operations = {
            "progress_page": progress_page,
            "score_css": score("css", css),
            "score_masi": score("masi", masi),
        }
        gc.collect()
        gc.freeze()
        results = common.time_operations(operations, args.repeat, args.warmup, args.profile)
        for name, op in operations.items():
            results[name]["queries"] = count_queries(op, None, False, name)
        report = {
            "benchmark": "outcomes",
            "vendor": vendor,
            "scale": {"plans": 3, "sessions": args.sessions, "values": args.values},
            "profiled": bool(args.profile),
            "target_p95_ms": TARGETS,
            "results": results,
            "machine": common.machine(),
            "code": common.code_version(),
        }
        common.print_table(f"Outcomes ({vendor})", results, TARGETS.get)
        common.write_report(report, args.json)


if __name__ == "__main__":
    main()
