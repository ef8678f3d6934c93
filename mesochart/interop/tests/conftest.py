import pytest
import time_machine

from mesochart.treatments.tests.support import TODAY, Ready


@pytest.fixture
def ready(practice):
    """An approved, consented submental plan with stock, on the day the session tests use."""
    with time_machine.travel(TODAY, tick=False):
        yield Ready(practice)
