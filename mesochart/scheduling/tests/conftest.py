import pytest

from mesochart.scheduling.tests.support import Desk
from mesochart.treatments.tests.conftest import (  # noqa: F401 - shared fixtures
    _module_ready,
    frozen,
    ready,
)


@pytest.fixture
def desk(ready) -> Desk:  # noqa: F811
    return Desk(ready)
