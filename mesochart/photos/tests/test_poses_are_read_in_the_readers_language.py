"""The nurse's instructions are translated when shown, not frozen in English at start-up:
the front view's instruction is joined from two translatable sentences lazily."""

from django.utils import translation
from django.utils.functional import Promise

from mesochart.photos.poses import AREAS


def test_every_view_label_and_instruction_is_translated_when_shown():
    for area in AREAS.values():
        assert isinstance(area.label, Promise), area.code
        for view in area.views:
            assert isinstance(view.label, Promise), (area.code, view.code)
            assert isinstance(view.instruction, Promise), (area.code, view.code)


def test_the_front_view_reads_as_one_instruction():
    with translation.override("en"):
        text = str(AREAS["face"].view("front").instruction)
    assert text.startswith("Look straight at the camera, chin level. Relaxed face")
