"""Booking the approved deoxycholic acid plan's series and moving its sessions: the label's
month between sessions and its six-session cap hold on the calendar, through the same dose
engine that approved the plan."""

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError

from mesochart.audit.models import AuditEvent
from mesochart.formulary.actions import set_clinic_limit
from mesochart.formulary.models import Product
from mesochart.planning.models import ClinicCalendar
from mesochart.scheduling import actions
from mesochart.scheduling.models import Appointment, WorkingHours
from mesochart.testing.plans import DCA
from mesochart.testing.scheduling import LONDON, at

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def rules_of(error):
    return {field: list(rules) for field, rules in error.value.message_dict.items()}


def test_the_whole_series_is_booked_in_one_step_on_its_proposed_dates(desk):
    booked = desk.series(follow_up_type=desk.follow_up.pk, follow_up_weeks=4)
    proposed = [s.date for s in desk.ready.plan.sessions.all()]
    sessions = [a for a in booked if a.plan_id]
    assert [a.starts_at.astimezone(LONDON).date() for a in sessions] == proposed
    assert all(a.starts_at.astimezone(LONDON).time() == dt.time(10) for a in sessions)
    follow = booked[-1]
    assert follow.type == desk.follow_up
    assert follow.starts_at.astimezone(LONDON).date() >= proposed[-1] + dt.timedelta(weeks=4)
    assert AuditEvent.objects.filter(object_type="appointment").count() == 1


def test_a_taken_preferred_time_gives_the_nearest_free_slot_that_day(desk):
    first = desk.ready.plan.sessions.first().date
    desk.consult(at(first, 10), practitioner=desk.practice.practitioner.pk)
    booked = desk.series()
    # 09:00 would run (with its 15-minute clean-up) into the 10:00 consultation.
    assert booked[0].starts_at.astimezone(LONDON).time() == dt.time(10, 30)


def open_every_day(desk):
    ClinicCalendar.objects.create(clinic=desk.clinic, opening_weekdays=list(range(7)))
    for weekday in (5, 6):
        WorkingHours.objects.create(
            clinic=desk.clinic,
            practitioner=desk.practice.practitioner,
            weekday=weekday,
            starts=dt.time(9),
            ends=dt.time(17),
        )


def test_moving_the_second_session_to_20_days_after_the_first_is_refused_with_the_label(desk):
    open_every_day(desk)  # day 20 is a Sunday: the interval, not the weekend, must refuse it
    booked = desk.series()
    first, second = booked[0], booked[1]
    too_early = at(first.starts_at.astimezone(LONDON).date() + dt.timedelta(days=20), 10)
    with pytest.raises(ValidationError) as error:
        actions.move_appointment(desk.reception, second, {"starts_at": too_early.isoformat()})
    (rule,) = rules_of(error)["starts_at"]
    assert rule.startswith("refused: ")
    assert "[LABEL]" in rule and "month" in rule
    second.refresh_from_db()
    assert second.starts_at == booked[1].starts_at


def test_a_warning_interval_asks_for_a_written_reason(desk):
    booked = desk.series()
    set_clinic_limit(
        desk.practitioner,
        Product.objects.get(slug=DCA),
        {"kind": "min_interval_days", "days": 40, "severity": "warn", "source": "Clinic policy 3"},
    )
    last = booked[-1]
    day = last.starts_at.astimezone(LONDON).date() + dt.timedelta(days=3)
    while day.weekday() > 4:
        day += dt.timedelta(days=1)
    moved_to = at(day, 11).isoformat()
    with pytest.raises(ValidationError) as error:
        actions.move_appointment(desk.practitioner, last, {"starts_at": moved_to})
    (rule,) = rules_of(error)["override_reason"]
    assert "give a written reason" in rule and "Clinic policy 3" in rule
    moved = actions.move_appointment(
        desk.practitioner,
        last,
        {"starts_at": moved_to, "override_reason": "Patient travels; discussed the gap"},
    )
    assert moved.override_reason == "Patient travels; discussed the gap"


def test_a_seventh_session_is_past_the_labels_six(desk):
    booked = desk.series()
    assert len(booked) == 6
    later = booked[-1].starts_at.astimezone(LONDON).date() + dt.timedelta(days=35)
    with pytest.raises(ValidationError) as error:
        actions.book(
            desk.reception,
            desk.practice.patient,
            {
                "practitioner": desk.practice.practitioner.pk,
                "type": desk.session_type.pk,
                "starts_at": at(later, 10).isoformat(),
            },
            plan=desk.ready.plan,
        )
    assert any("max" in r.lower() or "session" in r.lower() for r in rules_of(error)["starts_at"])
    assert Appointment.objects.count() == 6


def test_a_session_cannot_be_booked_without_a_consent_valid_that_day(desk):
    from mesochart.consent.models import Consent

    Consent.objects.filter(patient=desk.practice.patient).update(
        withdrawn_at=desk.ready.plan.approved_at
    )
    with pytest.raises(ValidationError) as error:
        desk.series()
    assert "consent" in rules_of(error)
    assert Appointment.objects.count() == 0


def test_a_session_that_slides_moves_the_later_ones_as_the_plans_scheduler_does(desk):
    from mesochart.scheduling.models import Leave

    proposed = [s.date for s in desk.ready.plan.sessions.all()]
    third = proposed[2]
    Leave.objects.create(
        clinic=desk.clinic, practitioner=desk.practice.practitioner, first_day=third, last_day=third
    )
    booked = desk.series()
    days = [a.starts_at.astimezone(LONDON).date() for a in booked]
    assert days[2] == third + dt.timedelta(days=1)
    assert all((b - a).days >= 31 for a, b in itertools.pairwise(days))
    assert days[3] >= days[2] + dt.timedelta(days=31)
