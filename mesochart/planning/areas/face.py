"""Face front, the two profiles, and neck/submental: an average adult head, in cm.

Frame: y = 0 at the menton (the lowest point of the chin), x = 0 on the midline (front
views) or at the tragus (profiles). Every size is an illustrative default for drawing (see
the package docstring). On the front views x > 0 is the patient's left.

The one sourced number here is the submental band: deoxycholic acid's label keeps
1–1.5 cm below the lower border of the mandible, from the angle of the mandible to the
mentum, free of injections (marginal mandibular nerve) [LABEL] NDA 206333; the band below
uses the outer 1.5 cm.
"""

from mesochart.planning.areas import Exclusion, RegionTemplate, Stroke, View, gettext_noop
from mesochart.planning.areas.shapes import ellipse, limb, mirror, sample, symmetric

DCA_LABEL = "[LABEL] Deoxycholic acid injection 10 mg/mL (KYBELLA / Belkyra), NDA 206333"
MANDIBLE_BAND_CM = 1.5

# --- front -----------------------------------------------------------------------------------
JAW_HALF = [(7.3, 12.2), (6.7, 8.4), (5.6, 4.6), (3.9, 1.8), (1.9, 0.25), (0, 0)]
HEAD = symmetric([(0, 23.2), (4.6, 22.4), (7.1, 19.6), (7.6, 15.5), *JAW_HALF])
HAIR = symmetric(
    [
        (0, 23.7),
        (4.9, 22.9),
        (7.6, 19.9),
        (8.1, 15.6),
        (7.6, 12.6),
        (7.1, 14.8),
        (6.4, 17.2),
        (4.4, 18.3),
        (1.8, 18.7),
        (0, 18.6),
    ]
)
NECK = [
    (-5.1, 5.0),
    (5.1, 5.0),
    (5.4, -3.0),
    (6.6, -8.0),
    (11.0, -11.5),
    (13.5, -17.0),
    (-13.5, -17.0),
    (-11.0, -11.5),
    (-6.6, -8.0),
    (-5.4, -3.0),
]
EAR = [(7.0, 13.6), (7.9, 14.5), (8.7, 13.7), (8.7, 11.6), (8.2, 9.4), (7.4, 8.4), (6.9, 9.6)]
EYE = [(1.7, 11.55), (2.6, 12.15), (3.8, 12.25), (4.9, 11.65), (3.9, 11.05), (2.7, 11.0)]
LIPS = symmetric(
    [(0, 5.0), (0.7, 5.2), (1.5, 4.95), (2.55, 4.35), (1.6, 3.7), (0.8, 3.45), (0, 3.4)]
)


def _feature(points, css):
    return Stroke(tuple(points), layer="feature", css=css)


def _line(points, css=""):
    return Stroke(tuple(points), layer="detail", closed=False, css=css)


def _pair(points, css=""):
    return (_line(points, css), _line([(-x, y) for x, y in points], css))


FACE_FEATURES = (
    *_pair([(1.2, 13.35), (2.9, 14.0), (4.7, 13.95), (5.9, 13.35)], css="brow"),
    _feature(EYE, "eye"),
    _feature(mirror(EYE), "eye"),
    _feature(ellipse(3.25, 11.62, 0.42, 0.42, 8), "iris"),
    _feature(ellipse(-3.25, 11.62, 0.42, 0.42, 8), "iris"),
    *_pair([(1.7, 12.45), (2.9, 12.75), (4.2, 12.65)], css="faint"),  # upper lid crease
    *_pair([(0.9, 11.0), (1.05, 9.2), (1.45, 7.6)], css="faint"),  # nasal dorsum
    *_pair([(0.45, 6.45), (1.2, 6.35), (1.85, 6.8), (1.65, 7.45)]),  # alae
    _line([(-0.5, 6.5), (0, 6.35), (0.5, 6.5)], css="faint"),
    _feature(LIPS, "lips"),
    _line([(-2.55, 4.35), (-1.3, 4.28), (0, 4.4), (1.3, 4.28), (2.55, 4.35)]),
    *_pair([(1.95, 6.9), (2.8, 5.7), (3.25, 4.2)], css="faint"),  # nasolabial folds
    _line([(-1.1, 2.55), (0, 2.75), (1.1, 2.55)], css="faint"),  # mentolabial sulcus
    _line(symmetric([(5.6, 4.6), (3.9, 1.8), (1.9, 0.25), (0, 0)])),  # lower border, mandible
)

FRONT_STROKES = (
    Stroke(tuple(NECK)),
    Stroke(tuple(EAR)),
    Stroke(tuple(mirror(EAR))),
    Stroke(tuple(HEAD)),
    _feature(HAIR, "hair"),
    *FACE_FEATURES,
)


def _sided(slug, name, control_at_positive_x, left_is_positive_x=True, **extra):
    positive = tuple(sample(control_at_positive_x))
    negative = tuple(sample(mirror(control_at_positive_x)))
    left, right = (positive, negative) if left_is_positive_x else (negative, positive)
    return (
        RegionTemplate(slug=f"{slug}-left", name=f"{name}, left", outline_cm=left, **extra),
        RegionTemplate(slug=f"{slug}-right", name=f"{name}, right", outline_cm=right, **extra),
    )


FACE_FRONT = View(
    slug="face-front",
    name=gettext_noop("Face, front"),
    description="Forehead, temples, malar areas, lower cheeks, perioral area, chin, jawline.",
    frame_cm=(-12.0, 25.0, 24.0, 34.0),
    px_per_cm=16.0,
    strokes=FRONT_STROKES,
    regions=(
        RegionTemplate(
            slug="forehead",
            name=gettext_noop("Forehead"),
            outline_cm=tuple(
                sample(
                    symmetric(
                        [
                            (0, 18.2),
                            (3.5, 18.0),
                            (5.6, 17.2),
                            (6.3, 15.8),
                            (5.9, 14.4),
                            (4.3, 14.55),
                            (2.5, 14.6),
                            (0, 14.35),
                        ]
                    )
                )
            ),
        ),
        *_sided(
            "temporal",
            gettext_noop("Temple"),
            [(6.5, 17.0), (7.3, 16.3), (7.5, 14.0), (7.2, 12.6), (6.4, 13.2), (6.1, 15.0)],
        ),
        *_sided(
            "malar",
            gettext_noop("Malar area"),
            [(2.6, 10.3), (4.6, 10.45), (6.3, 10.6), (6.5, 9.0), (5.6, 7.6), (3.8, 8.2)],
        ),
        *_sided(
            "cheek",
            gettext_noop("Lower cheek"),
            [(3.1, 7.5), (5.4, 7.15), (6.25, 6.0), (5.5, 4.6), (4.0, 4.1), (3.45, 5.6)],
        ),
        RegionTemplate(
            slug="perioral",
            name=gettext_noop("Perioral area"),
            outline_cm=tuple(sample(ellipse(0, 4.2, 3.0, 1.75, 12))),
            holes_cm=(tuple(sample(ellipse(0, 4.25, 2.5, 0.95, 10), per_segment=3)),),
            note="The lips are a hole: the vermilion itself.",
        ),
        RegionTemplate(
            slug="chin",
            name=gettext_noop("Chin"),
            outline_cm=tuple(sample(ellipse(0, 1.5, 1.8, 0.85, 10))),
        ),
        *_sided(
            "jawline",
            gettext_noop("Jawline"),
            limb([(5.75, 5.9), (4.6, 3.4), (2.9, 1.5)], [0.6, 0.6, 0.5], end_points=2),
        ),
    ),
)

# --- profiles (drawn facing the viewer's left: the patient's left side) ----------------------
PROFILE = [
    (5.6, -10.0),
    (5.2, -3.0),
    (6.0, 1.5),
    (7.8, 5.5),
    (9.0, 10.0),
    (9.2, 14.5),
    (8.2, 18.8),
    (5.6, 21.8),
    (1.5, 23.3),
    (-3.0, 23.0),
    (-6.6, 21.0),
    (-8.7, 17.8),
    (-9.4, 15.0),
    (-9.25, 13.3),
    (-8.95, 12.3),
    (-9.6, 10.8),
    (-10.4, 9.3),
    (-11.0, 8.1),
    (-10.6, 7.35),
    (-9.6, 7.1),
    (-9.75, 6.3),
    (-9.9, 5.6),
    (-9.3, 5.0),
    (-9.6, 4.4),
    (-9.3, 3.6),
    (-8.7, 3.0),
    (-9.1, 2.0),
    (-9.0, 1.0),
    (-8.1, 0.1),
    (-6.0, -0.5),
    (-3.9, -1.4),
    (-3.1, -3.5),
    (-3.7, -10.0),
]
PROFILE_HAIR = [
    (-7.1, 21.2),
    (-3.2, 23.6),
    (1.8, 23.8),
    (6.1, 22.2),
    (8.8, 18.9),
    (9.7, 14.5),
    (9.4, 10.4),
    (7.9, 8.6),
    (6.7, 12.2),
    (4.7, 14.6),
    (3.1, 15.5),
    (1.9, 17.0),
    (-1.4, 18.3),
    (-4.6, 19.2),
    (-6.6, 20.3),
]
PROFILE_EAR = [
    (0.2, 13.4),
    (1.6, 14.6),
    (2.9, 13.8),
    (3.0, 11.4),
    (2.4, 9.0),
    (1.2, 8.2),
    (0.4, 9.2),
    (0.6, 11.0),
]


def _flip(points):
    return [(-x, y) for x, y in points]


def _profile_strokes(flip: bool):
    def f(points):
        return _flip(points) if flip else list(points)

    return (
        Stroke(tuple(f(PROFILE))),
        _feature(f(PROFILE_HAIR), "hair"),
        Stroke(tuple(f(PROFILE_EAR))),
        _line(f([(1.0, 12.9), (2.1, 13.0), (2.2, 11.2), (1.5, 9.8)]), css="faint"),
        _line(f([(-8.9, 13.45), (-7.8, 13.95), (-6.3, 13.65)]), css="brow"),
        _feature(
            f([(-8.55, 11.75), (-7.95, 12.15), (-7.35, 11.85), (-7.6, 11.45), (-8.25, 11.35)]),
            "eye",
        ),
        _line(f([(-10.05, 7.75), (-9.5, 7.55), (-9.3, 8.15)])),
        _line(f([(-9.45, 4.95), (-8.55, 4.85)])),
        _line(f([(0.6, 7.6), (0.4, 4.2), (-1.2, 2.8), (-4.5, 1.2), (-7.6, 0.45)]), css="faint"),
        _line(f([(-9.15, 7.0), (-8.2, 5.8), (-7.9, 4.6)]), css="faint"),
    )


PROFILE_REGIONS = {
    "temporal": (
        gettext_noop("Temple"),
        [(-6.8, 17.5), (-5.0, 17.8), (-3.8, 16.6), (-4.0, 14.3), (-5.8, 13.8), (-7.0, 15.0)],
    ),
    "malar": (
        gettext_noop("Malar area"),
        [(-7.6, 10.4), (-5.6, 10.9), (-3.4, 10.4), (-3.6, 8.4), (-5.6, 7.6), (-7.4, 8.4)],
    ),
    "cheek": (
        gettext_noop("Lower cheek"),
        [(-7.7, 7.1), (-5.6, 6.9), (-2.6, 7.3), (-1.9, 5.3), (-3.8, 3.7), (-6.7, 3.6), (-7.8, 5.2)],
    ),
    "jawline": (
        gettext_noop("Jawline"),
        limb(
            [(-0.4, 4.6), (-2.3, 2.95), (-4.9, 1.85), (-7.2, 1.35)],
            [0.6, 0.6, 0.6, 0.5],
            end_points=2,
        ),
    ),
}


def _profile(side: str) -> View:
    flip = side == "right"
    regions = tuple(
        RegionTemplate(
            slug=f"{slug}-{side}",
            name=f"{name}, {side}",  # "Temple, left": translated where shown, by its parts
            outline_cm=tuple(sample(_flip(points) if flip else points)),
        )
        for slug, (name, points) in PROFILE_REGIONS.items()
    )
    return View(
        slug=f"face-{side}",
        name=gettext_noop("Face, right profile") if flip else gettext_noop("Face, left profile"),
        description=f"The {side} side of the face: temple, malar area, lower cheek, jawline.",
        frame_cm=(-13.0, 25.0, 26.0, 35.0),
        px_per_cm=16.0,
        strokes=_profile_strokes(flip),
        regions=regions,
    )


# --- neck and submental (front, lower face) ----------------------------------------------------
MANDIBLE_BORDER = sample(
    [(5.6, 4.6), (3.9, 1.8), (1.9, 0.25), (0, 0), (-1.9, 0.25), (-3.9, 1.8), (-5.6, 4.6)],
    per_segment=4,
    closed=False,
)

SUBMENTAL = RegionTemplate(
    slug="submental",
    name=gettext_noop("Submental area"),
    outline_cm=tuple(
        sample(
            [
                (4.6, 2.9),
                (3.9, 1.8),
                (1.9, 0.25),
                (0, 0),
                (-1.9, 0.25),
                (-3.9, 1.8),
                (-4.6, 2.9),
                (-4.6, -1.2),
                (-3.5, -4.6),
                (0, -5.7),
                (3.5, -4.6),
                (4.6, -1.2),
            ]
        )
    ),
    exclusions=(
        Exclusion(
            name=gettext_noop("Marginal mandibular nerve band"),
            kind="band",
            line_cm=tuple(MANDIBLE_BORDER),
            width_cm=MANDIBLE_BAND_CM,
            source=DCA_LABEL,
            note="1–1.5 cm below the lower border of the mandible, from the angle to the "
            "mentum, kept free of injections; the outer 1.5 cm is used.",
        ),
    ),
    note="The band stays 1.5 cm wide whatever the patient's measurements.",
)

NECK_VIEW = View(
    slug="neck-submental",
    name=gettext_noop("Neck and submental"),
    description="The submental area under the chin and the anterior neck, from the front.",
    frame_cm=(-12.0, 9.0, 24.0, 26.0),
    px_per_cm=16.0,
    strokes=(
        Stroke(tuple(NECK)),
        Stroke(tuple(mirror(EAR))),
        Stroke(tuple(EAR)),
        Stroke(tuple(HEAD)),
        *_pair([(0.45, 6.45), (1.2, 6.35), (1.85, 6.8), (1.65, 7.45)]),
        _feature(LIPS, "lips"),
        _line([(-2.55, 4.35), (-1.3, 4.28), (0, 4.4), (1.3, 4.28), (2.55, 4.35)]),
        *_pair([(1.95, 6.9), (2.8, 5.7), (3.25, 4.2)], css="faint"),
        _line([(-1.1, 2.55), (0, 2.75), (1.1, 2.55)], css="faint"),
        _line(symmetric([(6.7, 8.4), (5.6, 4.6), (3.9, 1.8), (1.9, 0.25), (0, 0)])),
        *_pair([(5.0, 2.6), (3.6, -3.5), (1.4, -10.4)], css="faint"),  # sternocleidomastoid
        *_pair([(1.4, -11.6), (6.0, -11.0), (11.0, -12.0)]),  # clavicles
        _line([(-2.7, -5.2), (0, -5.9), (2.7, -5.2)], css="faint"),  # hyoid crease
        _line([(-0.5, -7.3), (0, -7.0), (0.5, -7.3)], css="faint"),  # larynx
    ),
    regions=(
        SUBMENTAL,
        RegionTemplate(
            slug="neck",
            name=gettext_noop("Neck (anterior)"),
            outline_cm=tuple(
                sample(
                    [
                        (0, -6.6),
                        (3.0, -6.6),
                        (3.7, -8.6),
                        (3.2, -10.2),
                        (0, -10.8),
                        (-3.2, -10.2),
                        (-3.7, -8.6),
                        (-3.0, -6.6),
                    ]
                )
            ),
        ),
    ),
)

VIEWS = (FACE_FRONT, _profile("left"), _profile("right"), NECK_VIEW)
