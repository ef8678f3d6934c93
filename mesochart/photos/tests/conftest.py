from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mesochart.photos import actions
from mesochart.photos.models import Photo
from mesochart.photos.tests import support


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


@pytest.fixture
def take(practice):
    """Take a photo as the practice's nurse: ``take(view="front", seed=1, **fields)``."""

    def _take(data: bytes | None = None, area="face", view="front", **fields) -> Photo:
        membership = practice.actor(practice.nurse)
        fields = {"area": area, "view": view, **fields}
        return actions.take_photo(membership, practice.patient, data or support.jpeg(), fields)

    return _take
