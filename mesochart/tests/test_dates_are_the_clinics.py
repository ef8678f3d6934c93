"""Forms judge "today" on the clinic's calendar, not the server's: at 23:30 UTC it is
already tomorrow in Auckland, and a value measured there today is not in the future."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from mesochart.conftest import signed_in
from mesochart.outcomes import actions as outcomes
from mesochart.outcomes.tests.conftest import recorded
from mesochart.patients import actions as patients
from mesochart.testing.sessions import Ready

# 2026-03-02 23:30 UTC is 2026-03-03 12:30 in Auckland (UTC+13) and still 03-02 on the server.
LATE_EVENING_UTC = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
AUCKLAND_TODAY = date(2026, 3, 3)


@pytest.fixture
def auckland(practice):
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=UTC), tick=False):
        ready = Ready(practice)
    practice.clinic.time_zone = "Pacific/Auckland"
    practice.clinic.save()
    ready.membership = practice.actor(practice.practitioner)
    ready.plan.clinic.time_zone = "Pacific/Auckland"
    return ready


def test_a_value_measured_on_the_clinics_today_is_not_in_the_future(auckland):
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        value = outcomes.record_value(
            auckland.membership,
            auckland.plan,
            {
                "measure": "pain",
                "value": "2",
                "context": "follow_up",
                "measured_on": AUCKLAND_TODAY.isoformat(),
                "rater_role": "practitioner",
            },
        )
    assert value.measured_on == AUCKLAND_TODAY


def test_the_clinics_tomorrow_is_still_refused(auckland):
    with time_machine.travel(LATE_EVENING_UTC, tick=False), pytest.raises(ValidationError) as e:
        outcomes.record_value(
            auckland.membership,
            auckland.plan,
            {
                "measure": "pain",
                "value": "2",
                "context": "follow_up",
                "measured_on": "2026-03-04",
                "rater_role": "practitioner",
            },
        )
    assert e.value.message_dict["measured_on"] == ["must not be in the future"]


def test_the_tablet_dates_an_answer_on_the_clinics_day(auckland):
    client = signed_in(auckland.practice.nurse)
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        client.post(f"/outcomes/plan/{auckland.plan.pk}/tablet/")
        done = client.post("/consent/tablet/", {"pain": "1"})
    assert done.status_code == 302
    (value,) = recorded(auckland).filter(measure="pain")
    assert value.measured_on == AUCKLAND_TODAY


def test_a_patient_registered_with_the_clinics_today_as_a_date(auckland):
    data = {
        "given_name": "Mere",
        "family_name": "Ngata",
        "date_of_birth": "1990-05-01",
        "sex_at_birth": "female",
        "no_known_allergies": "on",
        "allergies_reviewed_on": AUCKLAND_TODAY.isoformat(),
    }
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        patient = patients.create_patient(auckland.membership, data)
        with pytest.raises(ValidationError) as e:
            patients.update_patient(
                auckland.membership, patient, {"allergies_reviewed_on": "2026-03-04"}
            )
    assert patient.allergies_reviewed_on == AUCKLAND_TODAY
    assert e.value.message_dict["allergies_reviewed_on"] == ["must not be in the future"]
