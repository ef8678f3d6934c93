"""Planning at the speed of the chart editor: grids through the API, and the editor page.

Times ``POST /api/v1/grid`` for a 30 × 20 cm abdomen at 1 cm and 0.5 cm spacing (square
and staggered), through ``django.test.Client`` signed in as a practitioner (middleware,
auth, the schema, the planner and JSON in the figure), and ``GET /plans/<pk>/`` (the chart
editor) for a plan with 500 points. p50/p95/p99 in ms, JSON on stdout.

    .venv/bin/python bench/bench_planning.py
    .venv/bin/python bench/bench_planning.py \
        --database-url postgres://postgres@127.0.0.1:5432/mesochart_bench --json OUT.json

Targets (p95): grid < 10 ms, page < 100 ms. Data is synthetic.
"""

import argparse
import time

import common

GRID_TARGET_P95_MS = 10
PAGE_TARGET_P95_MS = 100
POINTS = 500


def seed():
    """A clinic, a practitioner, a patient, a cocktail and a plan with 500 points."""
    from datetime import date
    from decimal import Decimal

    from mesochart.accounts.actor import Actor
    from mesochart.accounts.models import Clinic, Membership, Organisation, User
    from mesochart.formulary import actions as formulary_actions
    from mesochart.patients.models import Patient
    from mesochart.planning import actions, grids
    from mesochart.planning.models import Protocol

    org = Organisation.objects.create(name="Bench Practice", slug="bench")
    clinic = Clinic.objects.create(organisation=org, name="Bench Street")
    user = User.objects.create_user(username="bench-practitioner", password="x" * 20)
    membership = Actor.at(Membership.objects.create(user=user, clinic=clinic, role="practitioner"))
    patient = Patient(
        organisation=org,
        clinic=clinic,
        given_name="Ana",
        family_name="Bench",
        record_number="B-1",
        date_of_birth=date(1980, 1, 1),
        sex_at_birth="female",
        weight_kg=Decimal("70"),
    )
    patient.refresh_search_keys()
    patient.save()
    version = formulary_actions.create_cocktail(
        membership, {"name": "Lipo"}, [{"product": "pcdc-lipolysis", "volume_ml": Decimal(10)}]
    )
    protocol = Protocol.objects.get(clinic=None, slug="lipolysis-pcdc")
    plan = actions.create_plan(
        membership, patient, {"protocol": protocol.pk, "cocktail_version": version.pk}
    )
    grid = grids.generate("body-front", "abdomen", 0.5, width_cm=30, height_cm=20)
    points = [list(p) for p in grid.result.points[:POINTS]]
    if len(points) < POINTS:
        raise RuntimeError(f"the abdomen holds only {len(points)} points at 0.5 cm")
    region = {
        "view": "body-front",
        "region": "abdomen",
        "width_cm": 30,
        "height_cm": 20,
        "spacing_cm": 0.5,
        "pattern": "square",
        "depth_mm": 4,
        "volume_ml": 0.02,
        "points": points,
    }
    actions.save_regions(membership, plan, [region])
    return user, plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="sqlite (default) or postgres://…/mesochart_bench")
    parser.add_argument("--json", help="write the report here instead of stdout")
    parser.add_argument("--repeat", type=int, default=200, help="timed runs per operation")
    parser.add_argument("--warmup", type=int, default=20, help="untimed runs first")
    args = parser.parse_args()

    with common.fresh_database(args.database_url) as vendor:
        common.setup_django()
        from bench_patients import count_queries, signed_in_client

        started = time.perf_counter()
        user, plan = seed()
        seed_seconds = round(time.perf_counter() - started, 2)
        client = signed_in_client(user)

        def post_grid(body):
            response = client.post("/api/v1/grid", body, content_type="application/json")
            if response.status_code != 200:
                raise RuntimeError(f"POST /api/v1/grid: {response.status_code} {response.content}")

        def get_page(_):
            response = client.get(f"/plans/{plan.pk}/")
            if response.status_code != 200:
                raise RuntimeError(f"GET /plans/{plan.pk}/: {response.status_code}")

        runs = args.repeat + args.warmup
        operations = {}
        for spacing in (1.0, 0.5):
            for pattern in ("square", "staggered"):
                body = {
                    "view": "body-front",
                    "region": "abdomen",
                    "spacing_cm": spacing,
                    "pattern": pattern,
                    "scale": {"width_cm": 30, "height_cm": 20},
                }
                operations[f"grid_30x20_{spacing}cm_{pattern}"] = (post_grid, [body] * runs)
        operations[f"page_chart_editor_{POINTS}_points"] = (get_page, [None] * runs)

        with common.progress() as bar:
            task = bar.add_task("timing", total=runs * len(operations))
            samples = common.time_interleaved(
                operations, args.warmup, advance=lambda: bar.advance(task)
            )
        results = {}
        for name, (wall, cpu) in samples.items():
            operation, inputs = operations[name]
            results[name] = {
                **common.summarise(wall, cpu),
                "queries": count_queries(operation, inputs[0], False, name),
            }

        def target_of(name):
            return GRID_TARGET_P95_MS if name.startswith("grid_") else PAGE_TARGET_P95_MS

        common.print_table("planning", results, target_of)
        from django.db import connection

        report = {
            "database": vendor,
            "points_on_page": POINTS,
            "seed_seconds": seed_seconds,
            "results": results,
            "targets": {"grid_p95_ms": GRID_TARGET_P95_MS, "page_p95_ms": PAGE_TARGET_P95_MS},
            "machine": common.machine(database_version=connection.vendor),
            "code": common.code_version(),
        }
        common.write_report(report, args.json)


if __name__ == "__main__":
    main()
