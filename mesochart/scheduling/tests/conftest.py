import pytest

from mesochart.scheduling.tests.support import Desk
from mesochart.treatments.tests.conftest import frozen, ready  # noqa: F401 - shared fixtures


@pytest.fixture
def desk(ready) -> Desk:  # noqa: F811
    return Desk(ready)
