"""A series session has a time of day at the clinic: proposed at the time chosen (09:00 by
default), moved with its own time, shown on the page, and exported as timed events (not
all-day) in the clinic's time zone, each booked for 45 minutes."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from mesochart.planning import actions
from mesochart.planning.tests.test_series_schedule import MONDAY, plan_on

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


@pytest.fixture
def weekly(practice):
    data = {"name": "Weekly", "indication": "skin_rejuvenation", "phases_text": "3x7"}
    return actions.save_protocol(practice.actor(practice.practitioner), data)


def test_the_series_is_proposed_at_the_time_chosen(practice, weekly):
    plan = plan_on(practice, weekly)
    membership = practice.actor(practice.practitioner)
    actions.propose_series(membership, plan, {"first_date": MONDAY, "start_time": "14:30"})
    assert [s.start_time for s in plan.sessions.all()] == [time(14, 30)] * 3
    actions.propose_series(membership, plan, {"first_date": MONDAY})
    assert [s.start_time for s in plan.sessions.all()] == [time(9, 0)] * 3


def test_a_session_moves_with_its_own_time(practice, weekly):
    plan = plan_on(practice, weekly)
    membership = practice.actor(practice.practitioner)
    actions.propose_series(membership, plan, {"first_date": MONDAY, "start_time": "10:00"})
    moved_to = MONDAY + timedelta(days=8)
    actions.move_session(
        membership, plan, {"index": 1, "new_date": moved_to.isoformat(), "new_time": "16:15"}
    )
    sessions = list(plan.sessions.all())
    assert (sessions[1].date, sessions[1].start_time) == (moved_to, time(16, 15))
    assert sessions[0].start_time == time(10, 0)


def test_the_calendar_file_holds_timed_events_in_the_clinics_zone(practice, weekly):
    practice.clinic.time_zone = "America/New_York"
    practice.clinic.save()
    plan = plan_on(practice, weekly)
    membership = practice.actor(practice.practitioner)
    actions.propose_series(membership, plan, {"first_date": MONDAY, "start_time": "14:30"})
    raw = actions.export_series(membership, plan)
    assert b"VALUE=DATE" not in raw  # not all-day
    zone = ZoneInfo("America/New_York")
    events = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    starts = [e.decoded("dtstart").astimezone(zone) for e in events]
    assert starts[0] == datetime(2026, 3, 2, 14, 30, tzinfo=zone)
    assert [e.decoded("dtend") - e.decoded("dtstart") for e in events] == [
        timedelta(minutes=45)
    ] * 3


def test_the_series_page_shows_each_sessions_time(practice, weekly, client_for):
    plan = plan_on(practice, weekly)
    membership = practice.actor(practice.practitioner)
    actions.propose_series(membership, plan, {"first_date": MONDAY, "start_time": "14:30"})
    body = client_for(practice.practitioner).get(f"/plans/{plan.pk}/").content.decode()
    assert "Mon 2 Mar 2026, 14:30" in body
    assert 'name="start_time"' in body and 'name="new_time"' in body
