"""An analysis over many patients through the page and the API (issue 17).

Seeds ``--patients`` (10,000) patients of the test practice's clinic, each with a plan on one
of ``--cocktails`` (10) cocktails, one signed session and a baseline plus ``--follow-ups`` (5)
circumference values (28, 56, … days after the session), bulk-inserted. Times, through
``django.test.Client``: ``GET /analytics/`` (the page: rows, statistics, plot data, template,
audit row) and ``GET /api/v1/analytics/analysis`` with a practitioner's token, grouped by
cocktail at 28 days. p50/p95/p99 wall and CPU in ms, query counts at full scale and at 100
patients (they must be equal), JSON on stdout. Data is synthetic. Target (p95): 200 ms.

    .venv/bin/python bench/bench_analytics.py
    .venv/bin/python bench/bench_analytics.py \\
        --database-url postgres://postgres@127.0.0.1:5432/mesochart_bench_analytics
"""

import argparse
import gc
import hashlib
import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import common

TARGETS = {"page": 200, "api": 200}
QUERY = "measure=circumference&grouping=cocktail&days=28&window_days=7"


def cocktails(practice, count: int):
    from mesochart.formulary.actions.cocktails import create_cocktail

    membership = practice.actor(practice.practitioner)
    return [
        create_cocktail(membership, {"name": f"Bench cocktail {n + 1}"},
                        [{"product": "caffeine", "volume_ml": "5"}])
        for n in range(count)
    ]  # fmt: skip


def seed(practice, versions, patients: int, follow_ups: int, rng, offset: int = 0):
    from mesochart.analytics import series_table
    from mesochart.outcomes.models import OutcomeValue
    from mesochart.patients.models import Patient
    from mesochart.planning.models import Plan
    from mesochart.treatments.models import TreatmentSession

    user, clinic = practice.practitioner, practice.clinic
    count = len(versions)
    people = Patient.objects.bulk_create(
        (Patient(organisation=practice.org, clinic=clinic, given_name="Bench",
                 family_name=f"P{offset + n}", record_number=f"B-{offset + n:07d}",
                 date_of_birth=date(1980, 1, 1), sex_at_birth="female")
         for n in range(patients)), batch_size=2000,
    )  # fmt: skip
    plans = Plan.objects.bulk_create(
        (Plan(clinic=clinic, patient=p, title="Bench", indication="cellulite",
              cocktail_version=versions[i % count], created_by=user)
         for i, p in enumerate(people)), batch_size=2000,
    )  # fmt: skip
    day = datetime(2026, 1, 5, 10, tzinfo=UTC)
    TreatmentSession.objects.bulk_create(
        (TreatmentSession(clinic=clinic, patient=plan.patient, plan=plan,
                          cocktail_version=plan.cocktail_version, practitioner=user,
                          status="signed", started_at=day, signed_at=day, signed_by=user,
                          created_by=user,
                          content_hash=hashlib.sha256(str(plan.pk).encode()).hexdigest())
         for plan in plans), batch_size=2000,
    )  # fmt: skip

    def values():
        for i, plan in enumerate(plans):
            base = rng.gauss(60, 5)
            effect = -0.2 * (i % count)
            common_fields = {"clinic": clinic, "patient_id": plan.patient_id, "plan": plan,
                             "measure": "circumference", "site": "left thigh",
                             "rater_role": "practitioner", "recorded_by": user}  # fmt: skip
            yield OutcomeValue(context="baseline", measured_on=date(2025, 12, 29),
                               value=Decimal(f"{base:.1f}"), **common_fields)  # fmt: skip
            for k in range(1, follow_ups + 1):
                value = base + effect * k + rng.gauss(0, 1.5)
                yield OutcomeValue(context="follow_up", measured_on=date(2026, 1, 5)
                                   + timedelta(days=28 * k), value=Decimal(f"{value:.1f}"),
                                   **common_fields)  # fmt: skip

    OutcomeValue.objects.bulk_create(values(), batch_size=5000)
    # As the actions would have: each plan's analytics series derived from what it holds.
    series_table.rebuild(Plan.objects.filter(pk__in=[plan.pk for plan in plans]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="sqlite (default) or postgres://…/mesochart_bench")
    parser.add_argument("--json", help="write the report here instead of stdout")
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--cocktails", type=int, default=10)
    parser.add_argument("--follow-ups", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=30, help="timed runs")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", help="cProfile the timed runs into this file")
    args = parser.parse_args()

    with common.fresh_database(args.database_url) as vendor:
        common.setup_django()
        from bench_patients import count_queries
        from django.test import Client

        from mesochart.accounts.models import ApiToken
        from mesochart.conftest import Practice, signed_in

        rng = random.Random(args.seed)
        practice = Practice()
        page_client = signed_in(practice.practitioner)
        _, raw = ApiToken.issue(practice.practitioner, practice.clinic, "bench", second_factor=True)
        api_client = Client(headers={"Authorization": f"Bearer {raw}"})

        def check(response, what):
            if response.status_code != 200:
                raise RuntimeError(f"{what}: {response.status_code} {response.content[:300]}")

        def page(_):
            check(page_client.get(f"/analytics/?{QUERY}"), "page")

        def api(_):
            check(api_client.get(f"/api/v1/analytics/analysis?{QUERY}"), "api")

        operations = {"page": page, "api": api}
        versions = cocktails(practice, args.cocktails)
        seed(practice, versions, 100, args.follow_ups, rng)
        for op in operations.values():
            op(None)  # warm: the first request of a process reads what later ones cache
        small = {name: count_queries(op, None, False, name) for name, op in operations.items()}
        with common.progress() as bar:
            bar.add_task(f"seeding {args.patients} patients", total=None)
            seed(practice, versions, args.patients - 100, args.follow_ups, rng, 100)
        if vendor == "postgresql":
            # What autovacuum does after a bulk load, done at once: without the statistics
            # the planner guesses one row per table and nests loops (108 ms against 40 ms).
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        gc.collect()
        gc.freeze()
        results = common.time_operations(operations, args.repeat, args.warmup, args.profile)
        for name, op in operations.items():
            results[name]["queries"] = count_queries(op, None, False, name)
            results[name]["queries_at_100_patients"] = small[name]
        report = {
            "benchmark": "analytics",
            "vendor": vendor,
            "scale": {
                "patients": args.patients,
                "cocktails": args.cocktails,
                "values": args.patients * (1 + args.follow_ups),
            },
            "profiled": bool(args.profile),
            "target_p95_ms": TARGETS,
            "results": results,
            "machine": common.machine(),
            "code": common.code_version(),
        }
        common.print_table(f"Analytics ({vendor})", results, TARGETS.get)
        common.write_report(report, args.json)


if __name__ == "__main__":
    main()
