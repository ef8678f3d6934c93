"""The analytics series say what the values say. Each action that changes a plan's values or
signed sessions derives its series again in the same transaction; the stored series are
compared after each step with one computed here, from the values themselves, by the rules
the progress page states (the latest baseline's site, the last signed session's day in the
clinic's time zone, the later values there). A write that bypasses the actions is found by
``mesochart analytics check`` and mended by ``rebuild``."""

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from click.testing import CliRunner
from django.core.exceptions import ValidationError

from mesochart.analytics import access, analysis, series_table
from mesochart.analytics.models import FollowUp, MeasureSeries
from mesochart.analytics.rows import Query
from mesochart.cli import main
from mesochart.core.change import Missing, TimePoint
from mesochart.outcomes import actions
from mesochart.outcomes.models import OutcomeValue
from mesochart.testing.outcomes import SITE
from mesochart.testing.sessions import TODAY
from mesochart.treatments.models import TreatmentSession

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def from_the_values(plan, measure="fat_thickness"):
    """The series as the values and sessions read now, worked out without the table."""
    held = OutcomeValue.objects.filter(plan=plan, measure=measure).order_by("measured_on", "pk")
    values = [
        v
        for v in held.filter(amended_by__isnull=True)  # an amended value reads as its amendment
        if not v.not_measured_reason and v.value is not None
    ]
    baselines = [v for v in values if v.context == "baseline"]
    if not baselines:
        return None
    baseline = baselines[-1]
    signed = TreatmentSession.objects.filter(plan=plan, status="signed")
    last = signed.order_by("started_at", "pk").last()
    day = last.started_at.astimezone(ZoneInfo(plan.clinic.time_zone)).date() if last else None
    later = sorted(
        ((v.measured_on - day).days, float(v.value))
        for v in values
        if day and v.context != "baseline" and v.site == baseline.site and v.measured_on >= day
    )
    return float(baseline.value), baseline.site, last and last.pk, day, later


def stored(plan, measure="fat_thickness"):
    found = MeasureSeries.objects.filter(plan=plan, measure=measure).first()
    if found is None:
        return None
    later = sorted(FollowUp.objects.filter(series=found).values_list("days", "value"))
    return found.baseline, found.site, found.last_session_id, found.last_session_day, later


def follow_up(ready, value, day, site=SITE, **extra):
    data = {"measure": "fat_thickness", "context": "follow_up", "measured_on": day,
            "site": site, "value": value, "rater_role": "practitioner", **extra}  # fmt: skip
    return actions.record_value(ready.membership, ready.plan, data)


def test_each_action_on_a_plan_keeps_its_series_true_to_its_values(ready):
    plan = ready.plan
    assert stored(plan) == from_the_values(plan) == (14.0, SITE, None, None, [])

    session = ready.signed()
    assert stored(plan) == from_the_values(plan) == (14.0, SITE, session.pk, TODAY, [])

    later = TODAY + timedelta(days=28)
    with time_machine.travel(later, tick=False):
        first = follow_up(ready, "12.0", later)
        follow_up(ready, "11.0", later, site="submental, left of the midline")
        follow_up(ready, None, later, not_measured_reason="the patient had a cold sore there")
    assert stored(plan) == from_the_values(plan) == (14.0, SITE, session.pk, TODAY, [(28, 12.0)])

    with time_machine.travel(later + timedelta(days=1), tick=False):
        actions.amend_value(ready.membership, first, {
            "measured_on": later, "site": SITE, "value": "12.5", "rater_role": "practitioner",
            "amend_reason": "read off the caliper again: 12.5 mm",
        })  # fmt: skip
    assert stored(plan) == from_the_values(plan) == (14.0, SITE, session.pk, TODAY, [(28, 12.5)])
    assert series_table.stale() == []


def test_a_refused_value_leaves_the_series_as_it_was(ready):
    before = stored(ready.plan)
    with pytest.raises(ValidationError):
        follow_up(ready, "-3", TODAY)
    assert stored(ready.plan) == before
    assert series_table.stale() == []


def test_a_write_past_the_actions_is_found_by_check_and_mended_by_rebuild(ready):
    OutcomeValue.objects.create(
        clinic=ready.practice.clinic, patient=ready.practice.patient, plan=ready.plan,
        context="baseline", measure="fat_thickness", site=SITE, measured_on=TODAY,
        value=Decimal("15.0"), rater_role="practitioner", recorded_by=ready.practice.practitioner,
    )  # fmt: skip
    assert series_table.stale() == [ready.plan.pk]

    checked = CliRunner().invoke(main, ["analytics", "check"])
    assert checked.exit_code == 1, checked.output
    assert "1 of" in checked.output and "stale" in checked.output

    rebuilt = CliRunner().invoke(main, ["analytics", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert stored(ready.plan) == from_the_values(ready.plan) == (15.0, SITE, None, None, [])
    assert CliRunner().invoke(main, ["analytics", "check"]).exit_code == 0


def test_of_two_values_in_the_window_the_analysis_takes_the_nearest_and_the_earlier(ready):
    ready.signed()
    with time_machine.travel(TODAY + timedelta(days=40), tick=False):
        for days, value in ((33, "13.0"), (26, "12.0"), (30, "12.5")):
            follow_up(ready, value, TODAY + timedelta(days=days))

    def at(point, missing=Missing.COMPLETERS):
        stored = access.series_for(ready.membership)
        (row,) = analysis.run(stored, Query("fat_thickness"), point, missing).rows
        return row.follow_up, row.days_since_last_session, row.carried_forward

    assert at(TimePoint(28, 7)) == (12.0, 26, False)  # 26 and 30 are as near: the earlier
    assert at(TimePoint(32, 7)) == (13.0, 33, False)
    assert at(TimePoint(90, 7), Missing.LOCF) == (13.0, 33, True)
