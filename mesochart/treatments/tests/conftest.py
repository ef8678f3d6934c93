import pytest
import time_machine

from mesochart.treatments.tests.support import TODAY, Ready


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def ready(practice, frozen) -> Ready:
    return Ready(practice)
