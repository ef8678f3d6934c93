"""The calendar at a clinic's scale: 8 practitioners, two years of appointments (~40,000).

Seeds one clinic (the test Practice plus 7 more practitioners, all Monday to Friday
09:00-17:00) with ``--per-day`` (10) 30-minute appointments per practitioner per working
day on random half-hours, from a year before to a year after the clock (frozen at Monday
2 March 2026, the day the approved deoxycholic acid plan of `treatments.tests.support.Ready`
starts), bulk-inserted. Then times, in process:
- ``GET /schedule/week/`` of one practitioner (django.test.Client, signed-in reception),
  the page with its audit read row;
- ``core.slots`` free-slot search through ``scheduling.calendar.free_slots`` for a 60-minute
  session (15-minute clean-up) over the next 4 weeks;
- ``scheduling.actions.book_series``: the plan's 6 sessions, each checked by the dose
  engine, placed and audited in one transaction (the booked sessions are released,
  untimed, before the next run).
p50/p95/p99 in ms and CPU time, JSON on stdout; targets (p95): week 50 ms, slots 20 ms,
series 100 ms.

    .venv/bin/python bench/bench_scheduling.py
    .venv/bin/python bench/bench_scheduling.py \
        --database-url postgres://postgres@127.0.0.1:5432/mesochart_bench_sched
"""

import argparse
import datetime as dt
import random
import time

import common

TARGET_MS = {"week view": 50.0, "free slots (4 weeks)": 20.0, "book 6-session series": 100.0}
PRACTITIONERS = 8
DAYS_EACH_SIDE = 365


def seed(practice, per_day: int, rng: random.Random):
    from zoneinfo import ZoneInfo

    from mesochart.accounts.roles import Role
    from mesochart.scheduling.models import Appointment, AppointmentType, Kind, WorkingHours
    from mesochart.testing.sessions import TODAY

    clinic = practice.clinic
    people = [practice.practitioner] + [
        practice.member(f"bench-practitioner-{i}", clinic, Role.PRACTITIONER)
        for i in range(PRACTITIONERS - 1)
    ]
    WorkingHours.objects.bulk_create(
        WorkingHours(clinic=clinic, practitioner=p, weekday=d, starts=dt.time(9), ends=dt.time(17))
        for p in people
        for d in range(5)
    )
    consult = AppointmentType.objects.create(
        clinic=clinic, name="Consultation", kind=Kind.CONSULTATION, duration_minutes=30
    )
    session = AppointmentType.objects.create(
        clinic=clinic,
        name="Session",
        kind=Kind.SESSION,
        duration_minutes=60,
        buffer_after_minutes=15,
    )
    zone = ZoneInfo(clinic.time_zone)
    rows = []
    for offset in range(-DAYS_EACH_SIDE, DAYS_EACH_SIDE):
        day = TODAY + dt.timedelta(days=offset)
        if day.weekday() > 4:
            continue
        for who in people:
            for half in sorted(rng.sample(range(16), per_day)):
                start = dt.datetime.combine(day, dt.time(9), tzinfo=zone)
                start += dt.timedelta(minutes=30 * half)
                rows.append(
                    Appointment(
                        clinic=clinic,
                        patient=practice.patient,
                        practitioner=who,
                        type=consult,
                        starts_at=start,
                        ends_at=start + dt.timedelta(minutes=30),
                        state="completed" if offset < 0 else "booked",
                        booked_by=practice.reception,
                    )
                )
    Appointment.objects.bulk_create(rows, batch_size=2000)
    return people, session, len(rows)


def timed(fn, runs: int, before=None) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for _ in range(runs):
        if before is not None:
            before()
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--per-day", type=int, default=10)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--series-runs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--output")
    args = parser.parse_args()
    with common.fresh_database(args.database_url) as vendor:
        common.setup_django()
        import time_machine

        from mesochart.testing.sessions import TODAY

        with time_machine.travel(dt.datetime(2026, 3, 2, 0, 0, tzinfo=dt.UTC), tick=True):
            results, seeded = run(args, TODAY)
        report = {
            "benchmark": "scheduling",
            "database": vendor,
            "appointments": seeded,
            "results": results,
            "machine": common.machine(),
            "code": common.code_version(),
        }
        common.print_table(f"scheduling ({vendor})", results, TARGET_MS.get)
        common.write_report(report, args.output)


def run(args, today):
    from mesochart.conftest import Practice, signed_in
    from mesochart.scheduling import actions, calendar
    from mesochart.scheduling.models import Appointment
    from mesochart.testing.sessions import Ready

    rng = random.Random(args.seed)
    practice = Practice()
    ready = Ready(practice)
    people, session, seeded = seed(practice, args.per_day, rng)
    client = signed_in(practice.reception)
    reception = practice.actor(practice.reception)
    zone = calendar.zone_of(practice.clinic)
    weeks = [today + dt.timedelta(days=7 * rng.randrange(-50, 50)) for _ in range(args.runs)]
    week_iter = iter(weeks)

    def week():
        day = next(week_iter)
        response = client.get(f"/schedule/week/?date={day}&practitioner={people[1].pk}")
        assert response.status_code == 200

    start = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0), tzinfo=zone)

    def slots():
        who = rng.choice(people)
        found = calendar.free_slots(
            practice.clinic, who, None, session, start, start + dt.timedelta(days=28)
        )
        assert found

    form = {
        "practitioner": practice.practitioner.pk,
        "type": session.pk,
        "time": "10:00",
    }

    def release():
        Appointment.objects.filter(plan=ready.plan).update(state="cancelled")

    def series():
        booked = actions.book_series(reception, ready.plan, form)
        assert len(booked) == 6

    results = {}
    for name, fn, runs, before in (
        ("week view", week, args.runs, None),
        ("free slots (4 weeks)", slots, args.runs, None),
        ("book 6-session series", series, args.series_runs, release),
    ):
        fn() if before is None else (before(), fn())
        if name == "week view":
            week_iter = iter(weeks * 2)
        wall, cpu = timed(fn, runs, before)
        results[name] = common.summarise(wall, cpu)
    return results, seeded


if __name__ == "__main__":
    main()
