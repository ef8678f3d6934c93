import pytest

from mesochart.photos import actions
from mesochart.photos.models import Photo
from mesochart.testing import photos as support


@pytest.fixture
def take(practice):
    """Take a photo as the practice's nurse: ``take(view="front", seed=1, **fields)``."""

    def _take(data: bytes | None = None, area="face", view="front", **fields) -> Photo:
        membership = practice.actor(practice.nurse)
        fields = {"area": area, "view": view, **fields}
        return actions.take_photo(membership, practice.patient, data or support.jpeg(), fields)

    return _take
