"""Writes of the read model of analytics (`MeasureSeries`, `FollowUp`): derived again, per
plan, from the plan's outcome values and signed sessions as they stand.

`refresh` is called inside the transaction of every action that changes what it derives
from: recording or amending a value (`outcomes.actions`), signing a session
(`treatments.actions`), importing a patient (`interop.importer`), and the bulk loaders of
the demo and the tests. A draft voided or a lot corrected does not change it (only signed
sessions count, and products are read live). `stale` compares the tables with a fresh
derivation; `mesochart analytics check` prints it and `mesochart analytics rebuild` mends it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.db import transaction

from mesochart.analytics.models import FollowUp, MeasureSeries
from mesochart.analytics.rows import pseudonym, pseudonymiser
from mesochart.outcomes.models import OutcomeValue
from mesochart.planning.models import Plan
from mesochart.treatments.models import SessionStatus, TreatmentSession

BATCH = 500


@dataclass(frozen=True)
class Derived:
    series: MeasureSeries
    follow_ups: tuple[tuple[int, float], ...]  # (days after the last session, value)


def refresh(plan_ids: Iterable[int | None]) -> None:
    """Derive the series of these plans again (every measure), replacing what was stored.

    The plans are locked first, in order: two actions on one plan at once then derive one
    after the other, the second seeing the first's committed value (PostgreSQL's read
    committed), instead of both writing the series from half the values."""
    ids = sorted({pk for pk in plan_ids if pk is not None})
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        locked = Plan.objects.select_for_update().filter(pk__in=batch).order_by("pk")
        list(locked.values_list("pk"))
        MeasureSeries.objects.filter(plan_id__in=batch).delete()
        fresh = derived(batch)
        MeasureSeries.objects.bulk_create(d.series for d in fresh)
        FollowUp.objects.bulk_create(
            FollowUp(series_id=d.series.pk, days=days, value=value)
            for d in fresh
            for days, value in d.follow_ups
        )


def rebuild(plans=None, progress=None) -> int:
    """Derive every plan's series again (``plans``: a queryset, all by default), in batches
    of `BATCH` plans, each in its own transaction. ``progress(done)`` after each batch."""
    ids = _ids(plans)
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            refresh(ids[start : start + BATCH])
        if progress:
            progress(min(start + BATCH, len(ids)))
    return len(ids)


def stale(plans=None, progress=None) -> list[int]:
    """The plans whose stored series differ from a fresh derivation, checked in batches;
    ``progress(done)`` after each batch."""
    ids = _ids(plans)
    found = []
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        stored = _stored(batch)
        fresh = _by_plan(_key(d.series, d.follow_ups) for d in derived(batch))
        found += [pk for pk in batch if stored.get(pk, set()) != fresh.get(pk, set())]
        if progress:
            progress(min(start + BATCH, len(ids)))
    return found


def _ids(plans) -> list[int]:
    chosen = plans if plans is not None else Plan.objects.all()
    return list(chosen.order_by("pk").values_list("pk", flat=True))


def _stored(batch: list[int]) -> dict[int, set]:
    follow: dict[int, list] = {}
    rows = FollowUp.objects.filter(series__plan_id__in=batch).order_by("days", "value", "pk")
    for series_id, days, value in rows.values_list("series_id", "days", "value"):
        follow.setdefault(series_id, []).append((days, value))
    series = MeasureSeries.objects.filter(plan_id__in=batch)
    return _by_plan(_key(s, tuple(follow.get(s.pk, ()))) for s in series)


def _key(s: MeasureSeries, follow_ups) -> tuple:
    return (
        s.plan_id, s.clinic_id, s.patient_id, s.patient_key, s.measure, s.site, s.area,
        s.baseline_on, s.baseline, s.last_session_id, s.last_session_day,
        tuple(sorted(follow_ups)),
    )  # fmt: skip


def _by_plan(keys: Iterable[tuple]) -> dict[int, set]:
    found: dict[int, set] = {}
    for key in keys:
        found.setdefault(key[0], set()).add(key)
    return found


def derived(plan_ids: list[int]) -> list[Derived]:
    """What the series of these plans should hold: one per plan and measure with a baseline,
    at the site of the latest baseline (by day, then entry), with the later values there."""
    of_plans = Plan.objects.filter(pk__in=plan_ids).values_list(
        "pk", "clinic_id", "patient_id", "clinic__time_zone", "clinic__organisation_id"
    )
    keyed = pseudonymiser()
    plans = {
        pk: (clinic, patient, ZoneInfo(zone), pseudonym(organisation, patient, keyed))
        for pk, clinic, patient, zone, organisation in of_plans
    }
    last: dict[int, tuple[int, date]] = {}
    signed = TreatmentSession.objects.filter(plan_id__in=plan_ids, status=SessionStatus.SIGNED)
    for plan_id, pk, started in signed.order_by("started_at", "pk").values_list(
        "plan_id", "pk", "started_at"
    ):
        last[plan_id] = (pk, started.astimezone(plans[plan_id][2]).date())
    values = (
        OutcomeValue.objects.filter(plan_id__in=plan_ids, value__isnull=False)
        .current()
        .measured()
        .order_by("plan_id", "measure", "measured_on", "pk")
        .values_list("plan_id", "measure", "measured_on", "value", "context", "site", "area")
    )
    by_key: dict[tuple[int, str], list] = {}
    for plan_id, measure, day, value, context, site, area in values:
        by_key.setdefault((plan_id, measure), []).append((day, float(value), context, site, area))
    found = []
    for (plan_id, measure), rows in by_key.items():
        baselines = [row for row in rows if row[2] == "baseline"]
        if not baselines:
            continue
        on, baseline, _context, site, area = baselines[-1]
        clinic_id, patient_id, _zone, key = plans[plan_id]
        session_id, last_day = last.get(plan_id, (None, None))
        follow_ups = tuple(
            ((day - last_day).days, value)
            for day, value, context, at, _area in rows
            if context != "baseline" and at == site and last_day and day >= last_day
        )
        series = MeasureSeries(
            clinic_id=clinic_id, patient_id=patient_id, patient_key=key, plan_id=plan_id,
            measure=measure,
            site=site, area=area, baseline_on=on, baseline=baseline,
            last_session_id=session_id, last_session_day=last_day,
        )  # fmt: skip
        found.append(Derived(series, follow_ups))
    return found
