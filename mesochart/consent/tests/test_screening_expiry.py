"""A screening holds for the clinic's validity period (30 days unless the clinic says
otherwise), counted in the clinic's days, with a frozen clock."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from mesochart.consent import actions
from mesochart.consent.facts import Target
from mesochart.consent.models import ScreeningPolicy
from mesochart.consent.readiness import session_readiness
from mesochart.testing.consent import actor_of, cocktail, measured, respond, screen

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


def _noon(day: date):
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _screening_item(practice, version, day):
    target = Target(version, "submental", "lipolysis")
    ready = session_readiness(practice.patient, target, practice.practitioner, on=day)
    return next(item for item in ready if item.key == "screening")


def test_a_screening_holds_for_thirty_days_then_expires(practice):
    measured(practice.patient)
    version = cocktail(practice, pcdc_lipolysis=4)
    with time_machine.travel(_noon(date(2026, 11, 2)), tick=False):
        screening = screen(practice, version)
    assert screening.completed_on == date(2026, 11, 2)

    with time_machine.travel(_noon(date(2026, 12, 2)), tick=False):
        item = _screening_item(practice, version, None)
        assert item.ok
        assert "valid until 2026-12-02" in item.message
    with time_machine.travel(_noon(date(2026, 12, 3)), tick=False):
        item = _screening_item(practice, version, None)
        assert not item.ok
        assert item.message == ("The screening of 2026-11-02 expired on 2026-12-03: screen again")


def test_the_clinic_sets_its_own_validity(practice):
    ScreeningPolicy.objects.create(clinic=practice.clinic, valid_days=7)
    measured(practice.patient)
    version = cocktail(practice, pcdc_lipolysis=4)
    with time_machine.travel(_noon(date(2026, 11, 2)), tick=False):
        screen(practice, version)
    assert _screening_item(practice, version, date(2026, 11, 9)).ok
    assert not _screening_item(practice, version, date(2026, 11, 10)).ok


def test_the_day_is_the_clinics_day(practice):
    """23:30 in London on 2 November is already 3 November in Auckland."""
    practice.clinic.time_zone = "Pacific/Auckland"
    practice.clinic.save()
    measured(practice.patient)
    version = cocktail(practice, pcdc_lipolysis=4)
    with time_machine.travel(datetime(2026, 11, 2, 23, 30, tzinfo=UTC), tick=False):
        screening = screen(practice, version)
    assert screening.completed_on == date(2026, 11, 3)


def test_old_answers_cannot_be_screened_again(practice):
    measured(practice.patient)
    version = cocktail(practice, pcdc_lipolysis=4)
    with time_machine.travel(_noon(date(2026, 10, 1)), tick=False):
        response = respond(practice)
    with (
        time_machine.travel(_noon(date(2026, 11, 2)), tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        actions.run_screening(
            actor_of(practice.nurse),
            practice.patient,
            response,
            target=Target(version, "submental", "lipolysis"),
        )
    assert refused.value.message_dict == {
        "response": ["was answered on 2026-10-01, more than 30 days ago: ask the questions again"]
    }


def test_an_expired_screening_cannot_be_acknowledged(practice):
    measured(practice.patient)
    version = cocktail(practice, pcdc_lipolysis=4)
    with time_machine.travel(_noon(date(2026, 11, 2)), tick=False):
        screening = screen(practice, version, keloid_tendency="yes")
    with (
        time_machine.travel(_noon(date(2026, 12, 10)), tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        actions.acknowledge(
            actor_of(practice.practitioner),
            screening,
            {"key": "keloid_tendency", "reason": "Late"},
        )
    assert refused.value.message_dict == {"screening": ["is expired: screen again"]}
