"""Two people start a session of one plan at the same moment: the plan's row is locked while
the next session of its series is chosen, so they get the first and the second session,
never both the first (which the database would refuse, a 500)."""

import pytest

from mesochart.tests.races import count, file_copy, race
from mesochart.treatments import actions
from mesochart.treatments.models import TreatmentSession

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_starts_get_the_next_two_sessions_of_the_series(ready, tmp_path):
    path = file_copy(tmp_path)
    nurse_for = {"practitioner": ready.practice.practitioner.pk}

    def start(membership, data):
        def call():
            session = actions.start_session(membership, ready.plan, dict(data))
            return f"session {session.plan_session.index}"

        return call

    outcomes = race(path, start(ready.membership, {}), start(ready.nurse, nurse_for))
    assert outcomes == ["session 0", "session 1"]
    assert count(path, TreatmentSession) == 2
