import pytest
import time_machine

from mesochart.outcomes import actions
from mesochart.outcomes.models import OutcomeValue
from mesochart.testing.sessions import TODAY, Ready


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def ready(practice, frozen) -> Ready:
    return Ready(practice)


def recorded(ready):
    """The values the test recorded: not the baselines its plan was approved with."""
    return OutcomeValue.objects.exclude(pk__in=[value.pk for value in ready.baselines])


def circumference(ready, cm="58.0", day="2026-03-01", context="baseline", **extra):
    data = {
        "measure": "circumference",
        "context": context,
        "measured_on": day,
        "site": "left thigh, marked",
        "value": cm,
        "rater_role": "practitioner",
        **extra,
    }
    return actions.record_value(ready.membership, ready.plan, data)
