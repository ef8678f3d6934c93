"""Treatment sessions: signing a 60-point session, a timeline of 50 sessions, a recall.

Times, in process: ``treatments.actions.sign_session`` on a 60-point draft (the pre-flight
checklist, two stock movements with the lot locked, the hash, the audit rows); ``GET`` of the
patient's timeline fragment with 50 signed sessions (through ``django.test.Client``, signed
in); and ``treatments.recall.recall_rows`` on a lot used ``--recall-uses`` times (5,000).
p50/p95/p99 in ms and the query count of each, JSON on stdout.

    .venv/bin/python bench/bench_treatments.py
    .venv/bin/python bench/bench_treatments.py \
        --database-url postgres://postgres@127.0.0.1:5432/mesochart_bench --json OUT.json

Signing needs a patient ready for it (screened, consented, an approved plan) per signature,
since a second session on the same day breaks the label's interval: ``--repeat`` patients
are prepared through the real actions, which is the slow part of the seed. Target (p95):
50 ms for each operation. Data is synthetic.
"""

import argparse
import time

import common

TARGET_P95_MS = 50
POINTS = 60
PCDC = "pcdc-lipolysis"


def seed(signatures: int, recall_uses: int):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from mesochart.conftest import Practice
    from mesochart.consent.tests.support import screen, sign, template
    from mesochart.patients.models import Patient
    from mesochart.planning import actions as planning
    from mesochart.planning import grids
    from mesochart.planning.tests.conftest import cocktail, new_plan, region
    from mesochart.treatments import actions
    from mesochart.treatments.models import SessionProduct, TreatmentSession
    from mesochart.treatments.tests.support import receive

    practice = Practice()
    membership = practice.membership(practice.practitioner)
    version = cocktail(membership, "Lipo", **{PCDC: 10})
    template(practice, "body_contouring")
    big = receive(practice, product=PCDC, lot_number="BENCH-BIG", quantity_ml=100_000)
    abdomen = grids.generate("body-front", "abdomen", 2.0, width_cm=30, height_cm=20)
    chart = [
        region(
            "body-front",
            "abdomen",
            abdomen.result.points[:POINTS],
            volume_ml=0.1,
            depth_mm=4,
            width_cm=30,
            height_cm=20,
        )
    ]
    drafts, plan = [], None
    for index in range(signatures):
        patient = practice.make_patient(
            practice.clinic, "Ana", f"Bench{index}", f"BS-{index:06d}", weight_kg=Decimal(62)
        )
        patient.height_cm = Decimal(168)
        patient.weight_measured_on = timezone.localdate()
        patient.save()
        practice.patient = patient
        plan = new_plan(practice, "lipolysis-pcdc", version)
        planning.save_regions(membership, plan, chart)
        planning.approve_plan(membership, plan)
        screen(practice, version, area="abdomen", indication="body_contouring")
        sign(practice, version, area="abdomen", indication="body_contouring")
        session = actions.start_session(membership, plan, {"ad_hoc": True})
        rows = [{"lot": big.pk, "volume_drawn_ml": "6.5", "volume_wasted_ml": "0.5"}]
        drafts.append(actions.save_draft(membership, session, {"products": rows}))

    regions = list(plan.regions.values("view", "region", "points"))

    def signed_rows(patients, per_patient, start):
        sessions = TreatmentSession.objects.bulk_create(
            TreatmentSession(
                clinic=practice.clinic,
                patient=patient,
                plan=plan,
                cocktail_version=version,
                practitioner=practice.practitioner,
                status="signed",
                started_at=start + timedelta(days=30 * i),
                signed_at=start + timedelta(days=30 * i),
                content_hash="a" * 64,
                areas=["submental"],
                regions=regions,
                created_by=practice.practitioner,
            )
            for patient in patients
            for i in range(per_patient)
        )
        SessionProduct.objects.bulk_create(
            SessionProduct(session=s, product=big.product, lot=big, volume_drawn_ml=2)
            for s in sessions
        )

    start = timezone.now() - timedelta(days=3000)
    long_history = practice.make_patient(practice.clinic, "Lena", "History", "BH-000001")
    signed_rows([long_history], 50, start)
    others = [
        Patient(
            organisation=practice.org,
            clinic=practice.clinic,
            given_name="Rita",
            family_name=f"Recall{index}",
            given_key="rita",
            family_key=f"recall{index}",
            record_number=f"BR-{index:06d}",
            date_of_birth=long_history.date_of_birth,
            sex_at_birth="female",
        )
        for index in range(recall_uses // 5)
    ]
    others = Patient.objects.bulk_create(others)
    signed_rows(others, 5, start)
    return practice, drafts, long_history, big


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="sqlite (default) or postgres://…/mesochart_bench")
    parser.add_argument("--json", help="write the report here instead of stdout")
    parser.add_argument("--repeat", type=int, default=40, help="timed runs per operation")
    parser.add_argument("--warmup", type=int, default=5, help="untimed runs first")
    parser.add_argument("--recall-uses", type=int, default=5000, help="uses of the recalled lot")
    args = parser.parse_args()

    with common.fresh_database(args.database_url) as vendor:
        common.setup_django()
        from bench_patients import count_queries, signed_in_client

        from mesochart.treatments import actions
        from mesochart.treatments.recall import recall_rows

        runs = args.repeat + args.warmup
        started = time.perf_counter()
        practice, drafts, patient, lot = seed(runs + 1, args.recall_uses)
        seed_seconds = round(time.perf_counter() - started, 2)
        membership = practice.membership(practice.practitioner)
        client = signed_in_client(practice.practitioner)
        url = f"/sessions/patient/{patient.pk}/timeline/"

        def sign(draft):
            actions.sign_session(membership, draft)

        def timeline(_):
            response = client.get(url, headers={"HX-Request": "true"})
            if response.status_code != 200:
                raise RuntimeError(f"GET {url}: {response.status_code}")

        def recall(_):
            rows = recall_rows(practice.org.pk, lot.lot_number)
            if len(rows) < args.recall_uses:
                raise RuntimeError(f"recall found {len(rows)} rows")

        operations = {
            f"sign_{POINTS}_point_session": (sign, drafts[:runs]),
            "timeline_50_sessions": (timeline, [None] * runs),
            f"recall_lot_used_{args.recall_uses}_times": (recall, [None] * runs),
        }
        with common.progress() as bar:
            task = bar.add_task("timing", total=runs * len(operations))
            samples = common.time_interleaved(
                operations, args.warmup, advance=lambda: bar.advance(task)
            )
        spare = {"sign_": drafts[runs]}
        results = {}
        for name, (wall, cpu) in samples.items():
            operation, inputs = operations[name]
            item = spare["sign_"] if name.startswith("sign_") else inputs[0]
            results[name] = {
                **common.summarise(wall, cpu),
                "queries": count_queries(operation, item, False, name),
            }
        common.print_table("treatments", results, lambda name: TARGET_P95_MS)
        from django.db import connection

        report = {
            "database": vendor,
            "seed_seconds": seed_seconds,
            "results": results,
            "targets": {"p95_ms": TARGET_P95_MS},
            "machine": common.machine(database_version=connection.vendor),
            "code": common.code_version(),
        }
        common.write_report(report, args.json)


if __name__ == "__main__":
    main()
