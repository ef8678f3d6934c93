"""The standard views of each chart area, as data, with what the nurse says to the patient.

mesochart's house convention for repeatable photos (same view, same pose, same distance at
every visit); no sourced photographic standard is in the clinic's domain references yet,
so the wording is practical, not a clinical claim. Pure Python, no Django models.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PhotoView:
    code: str
    label: str | Promise  # translated when shown
    instruction: str | Promise


@dataclass(frozen=True)
class PhotoArea:
    code: str
    label: str | Promise
    views: tuple[PhotoView, ...]

    def view(self, code: str) -> PhotoView | None:
        return next((v for v in self.views if v.code == code), None)


_NEUTRAL = _("Relaxed face, mouth closed, eyes open, hair away from the face.")
AREAS: dict[str, PhotoArea] = {
    area.code: area
    for area in (
        PhotoArea(
            "face",
            _("Face"),
            (
                PhotoView(
                    "front",
                    _("Front"),
                    # Joined when shown, so both halves are in the reader's language.
                    format_lazy("{} {}", _("Look straight at the camera, chin level."), _NEUTRAL),
                ),
                PhotoView(
                    "oblique_left",
                    _("45° left"),
                    _(
                        "Turn your head to the right until "
                        "the tip of your nose lines up with your left cheek."
                    ),
                ),
                PhotoView(
                    "oblique_right",
                    _("45° right"),
                    _(
                        "Turn your head to the left until "
                        "the tip of your nose lines up with your right cheek."
                    ),
                ),
                PhotoView(
                    "profile_left",
                    _("Left profile"),
                    _("Turn to face the wall on your right; only your left side should be seen."),
                ),
                PhotoView(
                    "profile_right",
                    _("Right profile"),
                    _("Turn to face the wall on your left; only your right side should be seen."),
                ),
            ),
        ),
        PhotoArea(
            "abdomen",
            _("Abdomen"),
            (
                PhotoView(
                    "front",
                    _("Front"),
                    _(
                        "Stand straight, arms crossed over the chest, "
                        "breathe out normally and hold."
                    ),
                ),
                PhotoView(
                    "side_left",
                    _("Left side"),
                    _("Turn to your right, arms crossed over the chest."),
                ),
                PhotoView(
                    "side_right",
                    _("Right side"),
                    _("Turn to your left, arms crossed over the chest."),
                ),
            ),
        ),
        PhotoArea(
            "thighs",
            _("Thighs"),
            (
                PhotoView(
                    "front", _("Front"), _("Stand with feet hip-width apart, weight on both legs.")
                ),
                PhotoView(
                    "back", _("Back"), _("Turn your back to the camera, feet hip-width apart.")
                ),
                PhotoView("side_left", _("Left side"), _("Turn to your right, feet together.")),
                PhotoView("side_right", _("Right side"), _("Turn to your left, feet together.")),
            ),
        ),
        PhotoArea(
            "scalp",
            _("Scalp"),
            (
                PhotoView(
                    "vertex", _("Vertex"), _("Sit and bow your head; hair combed from the crown.")
                ),
                PhotoView(
                    "hairline",
                    _("Frontal hairline"),
                    _("Look straight ahead, hair combed back from the forehead."),
                ),
                PhotoView(
                    "parting",
                    _("Parting close-up"),
                    _("Part the hair in the middle; the camera 10 cm from the scalp."),
                ),
            ),
        ),
    )
}

AREA_CHOICES = [(a.code, a.label) for a in AREAS.values()]
VIEW_CODES = sorted({v.code for a in AREAS.values() for v in a.views})


def find(area: str, view: str) -> tuple[PhotoArea, PhotoView] | None:
    found = AREAS.get(area)
    shown = found.view(view) if found is not None else None
    if found is None or shown is None:
        return None
    return found, shown
