import pytest
import time_machine

from mesochart.outcomes import actions
from mesochart.treatments.tests.support import TODAY, Ready


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def ready(practice, frozen) -> Ready:
    return Ready(practice)


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
