import pytest
import time_machine

from mesochart.testing import shared
from mesochart.treatments.tests.support import TODAY, Ready


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture(scope="module")
def _module_ready(_module_practice, django_db_blocker):
    """The ready practice of a module that builds its data once (``BUILT_ONCE``)."""
    if _module_practice is None:
        yield None
        return

    def build() -> Ready:
        with time_machine.travel(TODAY, tick=False):
            return Ready(_module_practice)

    yield from shared.built_once(django_db_blocker, build)


@pytest.fixture
def ready(practice, frozen, _module_ready, copy_memo) -> Ready:
    if _module_ready is None:
        return Ready(practice)
    return shared.handed_out(_module_ready, copy_memo)
