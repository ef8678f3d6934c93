"""The series a plan proposes: the protocol's rhythm, the clinic's opening days and
holidays, a product's minimum interval, and a session moved by hand."""

import itertools
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from mesochart.core.dose import Product
from mesochart.planning import actions
from mesochart.planning.models import Protocol
from mesochart.planning.series import product_rules
from mesochart.testing.plans import cocktail, new_plan

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

MONDAY = date(2026, 3, 2)


@pytest.fixture
def weekly_then_monthly(practice):
    membership = practice.actor(practice.practitioner)
    data = {
        "name": "Weekly then monthly",
        "indication": "skin_rejuvenation",
        "phases_text": "6x7, 3x30",
    }
    return actions.save_protocol(membership, data)


@pytest.fixture
def calendar(practice):
    membership = practice.actor(practice.admin)
    return actions.save_calendar(
        membership, {"opening_weekdays": ["0", "1", "2", "3", "4"], "closed_dates": ""}
    )


def dates(plan):
    return [s.date for s in plan.sessions.all()]


def plan_on(practice, protocol, version=None):
    plan = new_plan(practice, None, version, protocol=protocol.pk)
    return plan


def test_weekly_six_then_monthly_three_on_open_days(practice, weekly_then_monthly, calendar):
    plan = plan_on(practice, weekly_then_monthly)
    actions.propose_series(practice.actor(practice.nurse), plan, {"first_date": MONDAY})
    got = dates(plan)
    assert got[:6] == [MONDAY + timedelta(weeks=i) for i in range(6)]
    # 30 days after the sixth (Monday 6 April): Wednesday 6 May, Friday 5 June, then
    # Sunday 5 July, which is closed, so Monday 6 July.
    assert got[6:] == [date(2026, 5, 6), date(2026, 6, 5), date(2026, 7, 6)]
    assert plan.sessions.get(index=8).reasons == ["closed: Sunday"]


def test_a_holiday_moves_the_session_to_the_next_open_day(practice, weekly_then_monthly):
    actions.save_calendar(
        practice.actor(practice.admin),
        {"opening_weekdays": ["0", "1", "2", "3", "4"], "closed_dates": "2026-03-16"},
    )
    plan = plan_on(practice, weekly_then_monthly)
    actions.propose_series(practice.actor(practice.practitioner), plan, {"first_date": MONDAY})
    third = plan.sessions.get(index=2)
    assert third.date == date(2026, 3, 17)
    assert third.reasons == ["closed: holiday"]
    assert plan.sessions.get(index=3).date == date(2026, 3, 23)  # the rhythm holds


def test_a_product_with_a_28_day_minimum_interval_spaces_a_weekly_protocol(
    practice, weekly_then_monthly, calendar
):
    version = cocktail(practice.actor(practice.practitioner), "Lipo", pcdc_lipolysis=10)
    plan = plan_on(practice, weekly_then_monthly, version)
    actions.propose_series(practice.actor(practice.practitioner), plan, {"first_date": MONDAY})
    sessions = list(plan.sessions.all())
    gaps = [(b.date - a.date).days for a, b in itertools.pairwise(sessions)]
    assert min(gaps) >= 28
    assert sessions[1].reasons == [
        "min interval 28 days for Phosphatidylcholine 5% + deoxycholate 2.5% (PC/DC)"
    ]


def test_moving_a_session_moves_later_ones_only_as_needed(practice, weekly_then_monthly, calendar):
    plan = plan_on(practice, weekly_then_monthly)
    membership = practice.actor(practice.practitioner)
    actions.propose_series(membership, plan, {"first_date": MONDAY})
    before = dates(plan)
    actions.move_session(membership, plan, {"index": 1, "new_date": "2026-03-13"})
    after = dates(plan)
    assert after[1] == date(2026, 3, 13)
    assert after[2] == before[2] == date(2026, 3, 16)  # still after the moved one: stays
    assert after[3:] == before[3:]
    assert plan.sessions.get(index=1).reasons == ["moved by hand"]

    actions.move_session(membership, plan, {"index": 1, "new_date": "2026-03-16"})
    assert dates(plan)[2] == date(2026, 3, 17)  # now it must follow, one day later


def test_moving_onto_a_closed_day_is_refused(practice, weekly_then_monthly, calendar):
    plan = plan_on(practice, weekly_then_monthly)
    membership = practice.actor(practice.practitioner)
    actions.propose_series(membership, plan, {"first_date": MONDAY})
    with pytest.raises(ValidationError) as refused:
        actions.move_session(membership, plan, {"index": 1, "new_date": "2026-03-14"})
    assert refused.value.message_dict == {"new_date": ["the clinic is closed: Saturday"]}


def test_the_series_is_exported_as_icalendar(practice, weekly_then_monthly, calendar):
    import icalendar

    plan = plan_on(practice, weekly_then_monthly)
    membership = practice.actor(practice.practitioner)
    actions.propose_series(membership, plan, {"first_date": MONDAY})
    parsed = icalendar.Calendar.from_ical(actions.export_series(membership, plan))
    events = parsed.walk("VEVENT")
    zone = ZoneInfo(practice.clinic.time_zone)
    assert [e.decoded("dtstart").astimezone(zone).date() for e in events] == dates(plan)
    assert "Lopez" not in parsed.to_ical().decode()  # no patient name on shared calendars


def test_shipped_protocols_carry_their_sources(db):
    shipped = Protocol.objects.shipped()
    assert shipped.count() >= 5
    dutasteride = shipped.get(slug="hair-dutasteride-nappage")
    from mesochart.core.schedule import Phase, planned_dates

    weeks = [
        (d - MONDAY).days // 7
        for d in planned_dates(tuple(Phase(**p) for p in dutasteride.phases), MONDAY)
    ]
    assert weeks == [0, 1, 2, 3, 5, 7, 11]
    assert all(p.references for p in shipped)
    assert any("Abdallah" in r for r in dutasteride.references)


def test_two_products_of_one_name_are_told_apart_by_their_slugs():
    products = {
        slug: Product(slug, "Hyaluronic acid") for slug in ("ha-skinbooster", "ha-non-crosslinked")
    }
    products["dca"] = Product("dca", "Deoxycholic acid")
    assert [rule.product for rule in product_rules(products)] == [
        "Deoxycholic acid",
        "Hyaluronic acid (ha-non-crosslinked)",
        "Hyaluronic acid (ha-skinbooster)",
    ]
