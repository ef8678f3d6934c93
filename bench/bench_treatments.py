"""Treatment sessions at a practice's scale: signing, a long timeline, a recall.

Seeds an organisation of two clinics with ``--patients`` patients (10,000) of
``--sessions`` signed sessions each (20: 200,000 sessions), every session with
``--points`` administered points (6: 1.2 million points) and a lot of one of ``--lots``
lots (40, received in both clinics), each use with its stock movement, so a lot is used
patients × sessions / lots times (5,000). Then times, in process:

- ``treatments.actions.sign_session`` on a 60-point draft (read through the access layer,
  as the page does) of a patient who already has ``--sessions`` signed sessions: the
  pre-flight checklist with that history, the stock movements with the lot (another of the
  40, so also used 5,000 times) locked and summed, the hash, the audit rows;
- ``GET`` of the timeline fragment of a patient with 50 signed sessions, amendments and
  adverse events (through ``django.test.Client``, signed in);
- ``treatments.recall.recall_rows`` of a lot used 5,000 times across the two clinics.

p50/p95/p99 in ms, CPU time and the query count of each, JSON on stdout.

    .venv/bin/python bench/bench_treatments.py
    .venv/bin/python bench/bench_treatments.py \
        --database-url postgres://postgres@127.0.0.1:5432/mesochart_bench --json OUT.json
    .venv/bin/python bench/bench_treatments.py --patients 500   # a quick look

Signing needs a patient ready for it (screened, consented, an approved plan) per signature:
those patients (``--repeat`` + ``--warmup``) are prepared through the real actions; the
history is bulk-inserted, as a migration from an older system would. Data is synthetic.
Target (p95): 50 ms for each operation.
"""

import argparse
import gc
import random
import time

import common

TARGET_P95_MS = 50
POINTS = 60
TIMELINE_SESSIONS = 50
PCDC = "pcdc-lipolysis"
BATCH = 2000
SEED = 2026


def _ready_patients(practice, count: int, lot):
    """``count`` patients screened, consented and with an approved 60-point plan, each with
    a draft session holding the product row; the plan they share shape with."""
    from decimal import Decimal

    from django.utils import timezone

    from mesochart.planning import actions as planning
    from mesochart.planning import approval, grids
    from mesochart.testing.consent import screen, sign, template
    from mesochart.testing.plans import cocktail, new_plan, region
    from mesochart.treatments import actions

    membership = practice.actor(practice.practitioner)
    version = cocktail(membership, "Lipo", **{PCDC: 10})
    template(practice, "body_contouring")
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
    patients, drafts = [], []
    with common.progress() as bar:
        task = bar.add_task("patients ready to sign", total=count)
        for index in range(count):
            patient = practice.make_patient(
                practice.clinic, "Ana", f"Ready{index}", f"BS-{index:06d}", weight_kg=Decimal(62)
            )
            patient.height_cm = Decimal(168)
            patient.weight_measured_on = timezone.localdate()
            patient.save()
            practice.patient = patient
            plan = new_plan(practice, "lipolysis-pcdc", version)
            planning.save_regions(membership, plan, chart)
            approval.approve_plan(membership, plan, version=plan.version)
            screen(practice, version, area="abdomen", indication="body_contouring")
            sign(practice, version, area="abdomen", indication="body_contouring")
            session = actions.start_session(membership, plan, {"ad_hoc": True})
            rows = [{"lot": lot.pk, "volume_drawn_ml": "6.5", "volume_wasted_ml": "0.5"}]
            drafts.append(actions.save_draft(membership, session, {"products": rows}))
            patients.append(patient)
            bar.advance(task)
    return patients, drafts, plan, version


def _lots(practice, count: int):
    """``count`` lot numbers, each received in both clinics of the organisation."""
    from datetime import date
    from decimal import Decimal

    from mesochart.formulary.models import Lot, MovementKind, Product, StockMovement

    product = Product.objects.get(slug=PCDC, organisation=None)
    lots = Lot.objects.bulk_create(
        Lot(
            product=product,
            clinic=clinic,
            lot_number=f"BENCH-LOT-{index:03d}",
            expires_on=date(2030, 12, 31),
            received_on=date(2020, 1, 2),
            quantity_received_ml=Decimal(500_000),
        )
        for index in range(count)
        for clinic in (practice.clinic, practice.sister_clinic)
    )
    StockMovement.objects.bulk_create(
        StockMovement(
            lot=lot,
            kind=MovementKind.RECEIVED,
            quantity_ml=lot.quantity_received_ml,
            by=practice.practitioner,
        )
        for lot in lots
    )
    return {(lot.clinic_id, lot.lot_number): lot for lot in lots}


def _history(practice, patients, sessions_each, points, lots, plan, version, bar, task):
    """Signed sessions, 30 days apart and ending at least 60 days ago, with a product row,
    its use of the lot as signing records it (`LotUse`) and its stock movement; lot ``k``
    for the ``k``-th session overall, modulo the lots.

    As in a practice, patients start their series on different days (up to 29 days apart)
    and come at different times of the clinic's day (09:00-18:00, to the second), so no two
    sessions of a lot share a moment: a history where every patient came at the same instant
    sorts by its ties, which no practice's history does."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from mesochart.formulary.models import MovementKind, StockMovement
    from mesochart.treatments.models import LotUse, SessionProduct, TreatmentSession

    numbers = sorted({number for _, number in lots})
    zones = {c.pk: c.time_zone for c in (practice.clinic, practice.sister_clinic)}
    end = timezone.now() - timedelta(days=60)
    spots = [[round(1.5 * i, 1), round(0.5 + (i % 3) * 2.0, 1)] for i in range(points)]
    regions = [
        {
            "view": "body-front",
            "region": "abdomen",
            "spacing_cm": 2.0,
            "depth_mm": 4.0,
            "volume_ml": 0.1,
            "points": spots,
        }
    ]
    counter = 0
    pending = []

    def flush():
        made = TreatmentSession.objects.bulk_create(session for session, _ in pending)
        uses = [
            SessionProduct(
                session=session, product=lot.product, lot=lot, volume_drawn_ml=Decimal("0.7")
            )
            for session, (_, lot) in zip(made, pending, strict=True)
        ]
        SessionProduct.objects.bulk_create(uses)
        LotUse.objects.bulk_create(
            lot_use
            for use in uses
            for lot_use in LotUse.for_signed(use.session, [use], zones[use.session.clinic_id])
        )
        StockMovement.objects.bulk_create(
            StockMovement(
                lot=use.lot,
                kind=MovementKind.ADMINISTERED,
                quantity_ml=-use.volume_drawn_ml,
                by=practice.practitioner,
                at=use.session.signed_at,
                reference=f"treatment-session:{use.session.pk}",
            )
            for use in uses
        )
        bar.advance(task, len(pending))
        pending.clear()

    day = (end - timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    moments = random.Random(SEED)
    for index, patient in enumerate(patients):
        count = sessions_each(patient)
        for i in range(count):
            when = day - timedelta(
                days=30 * (count - 1 - i) + index % 30, seconds=-moments.randrange(9 * 3600)
            )
            lot = lots[(patient.clinic_id, numbers[counter % len(numbers)])]
            counter += 1
            session = TreatmentSession(
                clinic_id=patient.clinic_id,
                patient=patient,
                plan=plan,
                cocktail_version=version,
                practitioner=practice.practitioner,
                status="signed",
                started_at=when,
                signed_at=when,
                signed_by=practice.practitioner,
                content_hash="a" * 64,
                technique="nappage",
                areas=["abdomen"],
                regions=regions,
                created_by=practice.practitioner,
            )
            pending.append((session, lot))
            if len(pending) >= BATCH:
                flush()
    if pending:
        flush()


def _amend_and_report(practice, patient):
    """Amendments on some of the long history, and adverse events linked to sessions."""
    from datetime import timedelta

    from mesochart.treatments.models import AdverseEvent, Amendment, TreatmentSession

    sessions = list(
        TreatmentSession.objects.signed().filter(patient=patient).order_by("started_at")
    )
    Amendment.objects.bulk_create(
        Amendment(
            session=s,
            kind="addendum",
            text="Called back: mild bruising",
            by=practice.practitioner,
            at=s.signed_at + timedelta(days=1),
        )
        for s in sessions[::5]
    )
    AdverseEvent.objects.bulk_create(
        AdverseEvent(
            clinic=practice.clinic,
            patient=patient,
            session=s,
            event_type="bruising",
            severity="mild",
            onset_on=s.started_at.date() + timedelta(days=1),
            causality="probable",
            outcome="recovered",
            recorded_by=practice.practitioner,
        )
        for s in sessions[::10]
    )


def seed(args):
    from mesochart.conftest import Practice
    from mesochart.patients.models import Patient

    practice = Practice()
    # One draft per timed run, one for counting queries, and the timeline patient's.
    lots = _lots(practice, args.lots)
    signing_lot = lots[(practice.clinic.pk, "BENCH-LOT-001")]
    ready, drafts, plan, version = _ready_patients(
        practice, args.repeat + args.warmup + 2, signing_lot
    )
    timeline_patient = ready.pop()
    clinics = (practice.clinic, practice.sister_clinic)
    others = Patient.objects.bulk_create(
        (
            Patient(
                organisation=practice.org,
                clinic=clinics[index % 2],
                given_name="Rita",
                family_name=f"History{index}",
                given_key="rita",
                family_key=f"history{index}",
                record_number=f"BH-{index:06d}",
                date_of_birth=timeline_patient.date_of_birth,
                sex_at_birth="female",
                phone=f"+44 20 7946 {index % 10000:04d}",
            )
            for index in range(args.patients - len(ready))
        ),
        batch_size=BATCH,
    )
    everyone = [*ready, *others]

    def sessions_each(patient):
        return TIMELINE_SESSIONS if patient is timeline_patient else args.sessions

    total = len(everyone) * args.sessions + TIMELINE_SESSIONS
    with common.progress() as bar:
        task = bar.add_task("signed sessions", total=total)
        _history(
            practice,
            [*everyone, timeline_patient],
            sessions_each,
            args.points,
            lots,
            plan,
            version,
            bar,
            task,
        )
    _amend_and_report(practice, timeline_patient)
    return practice, drafts, timeline_patient


def analyse() -> None:
    """Fresh planner statistics after the bulk load, as ``mesochart serve`` and autovacuum
    keep them in a running practice; on PostgreSQL also the visibility map autovacuum sets
    after inserts (since PostgreSQL 13), without which a lot's on hand is summed from the
    table's pages instead of from its covering index alone (10 ms instead of 1 for a lot
    used 5,000 times)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="sqlite (default) or postgres://…/mesochart_bench")
    parser.add_argument("--json", help="write the report here instead of stdout")
    parser.add_argument("--patients", type=int, default=10_000, help="patients with a history")
    parser.add_argument("--sessions", type=int, default=20, help="signed sessions per patient")
    parser.add_argument("--points", type=int, default=6, help="points of each past session")
    parser.add_argument("--lots", type=int, default=40, help="lot numbers the history used")
    parser.add_argument("--repeat", type=int, default=100, help="timed runs per operation")
    parser.add_argument("--warmup", type=int, default=5, help="untimed runs first")
    parser.add_argument(
        "--show-queries", action="store_true", help="print each operation's SQL on stderr"
    )
    parser.add_argument(
        "--no-freeze",
        action="store_true",
        help="leave the seeded objects to the garbage collector (a worker freezes its own)",
    )
    parser.add_argument(
        "--profile",
        metavar="OUT",
        help="run the timing under cProfile and write its stats here (timings then inflated)",
    )
    args = parser.parse_args()

    with common.fresh_database(args.database_url) as vendor:
        common.setup_django()
        from bench_patients import count_queries, signed_in_client
        from django.utils import timezone

        from mesochart.accounts.reauth import Reauthentication
        from mesochart.treatments import actions
        from mesochart.treatments.access import get_session
        from mesochart.treatments.models import SessionProduct, TreatmentSession
        from mesochart.treatments.recall import recall_rows

        runs = args.repeat + args.warmup
        started = time.perf_counter()
        practice, drafts, patient = seed(args)
        analyse()
        seed_seconds = round(time.perf_counter() - started, 2)
        if not args.no_freeze:
            # As mesochart/wsgi.py does once a worker has started: what lives on is frozen
            # out of the garbage collector, so a full collection does not walk it again.
            gc.collect()
            gc.freeze()
        recalled = "BENCH-LOT-000"
        uses = SessionProduct.objects.filter(lot__lot_number=recalled).count()
        points = sum(
            len(region["points"])
            for regions in TreatmentSession.objects.values_list("regions", flat=True).iterator()
            for region in regions
        )
        membership = practice.actor(practice.practitioner)
        client = signed_in_client(practice.practitioner)
        url = f"/sessions/patient/{patient.pk}/timeline/"

        def sign(draft):
            # As the page and the API do: the session read through the access layer first.
            # The re-authentication (one password hash) is not what this measures.
            proof = Reauthentication(membership.user.pk, timezone.now(), "bench")
            actions.sign_session(
                membership,
                get_session(membership, draft.pk, "session.sign"),
                reauthentication=proof,
            )

        def timeline(_):
            response = client.get(url, headers={"HX-Request": "true"})
            if response.status_code != 200:
                raise RuntimeError(f"GET {url}: {response.status_code}")

        def recall(_):
            rows = recall_rows(practice.org.pk, recalled)
            if len(rows) != uses:
                raise RuntimeError(f"recall found {len(rows)} rows, expected {uses}")

        operations = {
            f"sign_{POINTS}_point_session": (sign, drafts[:runs]),
            f"timeline_{TIMELINE_SESSIONS}_sessions": (timeline, [None] * runs),
            f"recall_lot_used_{uses}_times": (recall, [None] * runs),
        }
        with common.progress() as bar:
            task = bar.add_task("timing", total=runs * len(operations))
            with common.profiled(args.profile):
                samples = common.time_interleaved(
                    operations, args.warmup, advance=lambda: bar.advance(task)
                )
        results = {}
        for name, (wall, cpu) in samples.items():
            operation, inputs = operations[name]
            item = drafts[runs] if name.startswith("sign_") else inputs[0]
            results[name] = {
                **common.summarise(wall, cpu),
                "queries": count_queries(operation, item, args.show_queries, name),
            }
        common.print_table("treatments", results, lambda name: TARGET_P95_MS)
        from django.db import connection

        report = {
            "database": vendor,
            "seed": {
                "patients": args.patients,
                "signed_sessions": TreatmentSession.objects.filter(status="signed").count(),
                "administered_points": points,
                "recalled_lot_uses": uses,
                "seconds": seed_seconds,
            },
            "results": results,
            "targets": {"p95_ms": TARGET_P95_MS},
            "machine": common.machine(database_version=connection.vendor),
            "code": common.code_version(),
            "profiled": bool(args.profile),
            "gc_frozen": not args.no_freeze,
        }
        common.write_report(report, args.json)


if __name__ == "__main__":
    main()
