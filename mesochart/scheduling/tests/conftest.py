import pytest

from mesochart.testing.scheduling import Desk


@pytest.fixture
def desk(ready) -> Desk:
    return Desk(ready)
