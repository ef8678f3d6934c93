"""Body front and body back: a neutral adult figure about 170 cm tall, arms slightly out.

Frame: x = 0 on the midline, y = 0 at the floor, in cm. Every size here is an illustrative
default for drawing (see the package docstring), replaced by the patient's measurement.
On the front view x > 0 is the patient's left; on the back view it is the patient's right.
"""

from mesochart.planning.areas import RegionTemplate, Stroke, View, gettext_noop
from mesochart.planning.areas.shapes import ellipse, limb, mirror, sample, symmetric

FRAME = (-42.0, 176.0, 84.0, 180.0)
PX_PER_CM = 4.0
# Template circumferences the limb regions are drawn for: illustrative, not clinical.
ARM_CM, THIGH_CM, KNEE_CM = 28.0, 55.0, 38.0

HEAD = symmetric(
    [
        (0, 171),
        (4.4, 170),
        (7.1, 166.5),
        (7.6, 161.5),
        (7.0, 156.5),
        (5.6, 151.6),
        (3.2, 148.4),
        (0, 147.2),
    ]
)
NECK = [(-5.0, 151), (5.0, 151), (5.5, 145), (6.6, 141), (-6.6, 141), (-5.5, 145)]
TORSO = symmetric(
    [
        (0, 143.2),
        (6.2, 142.6),
        (12.5, 141.0),
        (17.2, 139.2),
        (19.8, 135.8),
        (20.2, 131),
        (18.3, 126.5),
        (16.0, 123.5),
        (15.4, 118),
        (14.3, 111.5),
        (13.4, 105.5),
        (14.0, 99.5),
        (16.0, 93.5),
        (17.4, 87.5),
        (17.0, 82.5),
        (12.5, 78.6),
        (4.5, 77.6),
        (0, 76.0),
    ]
)
UPPER_ARM = limb([(17.2, 134.0), (19.4, 121.0), (21.6, 107.0)], [4.9, 4.3, 3.5])
FOREARM = limb([(21.6, 107.0), (23.6, 95.0), (25.3, 83.5)], [3.5, 3.4, 2.4])
HAND = [
    (23.2, 84.5),
    (27.4, 84.2),
    (28.6, 77.5),
    (28.3, 70.5),
    (26.6, 66.8),
    (24.6, 67.8),
    (23.6, 72.0),
    (22.4, 75.0),
    (22.6, 80.0),
]
THIGH = limb([(9.5, 86.0), (9.2, 68.0), (8.7, 52.0)], [8.3, 6.7, 4.9], end_points=2)
SHIN = limb([(8.7, 52.0), (8.4, 32.0), (7.9, 10.0)], [4.9, 4.5, 2.8], end_points=2)
FOOT = [(5.3, 9.0), (10.4, 9.0), (11.6, 5.0), (12.2, 1.2), (9.0, 0.2), (5.4, 0.4), (4.6, 3.5)]


def both(points):
    """The left part (x > 0) and its mirror image, as two body strokes."""
    return (Stroke(tuple(points)), Stroke(tuple(mirror(points))))


def lines(*polylines, css=""):
    strokes = []
    for line in polylines:
        strokes.append(Stroke(tuple(line), layer="detail", closed=False, css=css))
    return tuple(strokes)


def paired(line, css=""):
    return lines(line, [(-x, y) for x, y in line], css=css)


EAR = [(6.9, 162.5), (8.0, 162.2), (8.3, 159.0), (7.6, 156.8), (6.8, 157.5)]

FIGURE = (
    Stroke(tuple(NECK)),
    *both(EAR),
    Stroke(tuple(TORSO)),
    *both(UPPER_ARM),
    *both(FOREARM),
    *both(HAND),
    *both(THIGH),
    *both(SHIN),
    *both(FOOT),
    Stroke(tuple(HEAD)),
)

FRONT_DETAILS = (
    *paired([(2.2, 140.2), (7.5, 140.6), (13.5, 140.0)]),  # clavicles
    *paired([(3.5, 126.0), (8.5, 122.8), (13.8, 124.5)], css="faint"),  # pectoral line
    *paired([(15.6, 94.0), (11.0, 86.5), (4.0, 79.5)], css="faint"),  # inguinal crease
    *paired([(6.2, 51.5), (8.7, 50.0), (11.2, 51.5)], css="faint"),  # knee caps
    *paired([(21.2, 108.8), (22.2, 106.0)], css="faint"),  # elbow
    *lines([(0, 138.5), (0, 124.0)], css="faint"),  # sternum
    Stroke(tuple(ellipse(0, 102.0, 0.55, 0.75, 8)), layer="feature", css="navel"),
)

BACK_DETAILS = (
    *lines([(0, 141.5), (0, 94.0)], css="faint"),  # spine
    *paired([(4.5, 133.0), (10.5, 135.0), (13.5, 128.0), (8.5, 121.0), (5.0, 126.0)], css="faint"),
    *paired([(1.2, 77.8), (7.0, 76.4), (13.2, 78.6)]),  # gluteal folds
    *lines([(0, 90.0), (0, 78.5)]),  # natal cleft
    *paired([(6.0, 49.0), (8.7, 48.3), (11.4, 49.0)], css="faint"),  # popliteal creases
    *paired([(21.0, 107.6), (22.6, 105.4)], css="faint"),  # elbow
    *paired([(5.8, 96.5), (6.2, 94.6)], css="faint"),  # sacral dimples
)


def _region(slug, name, control, **extra):
    return RegionTemplate(slug=slug, name=name, outline_cm=tuple(sample(control)), **extra)


def _sided(slug, name, control_left, left_is_positive_x, **extra):
    """The region on the patient's left and right: ``control_left`` is drawn at x > 0."""
    positive, negative = tuple(sample(control_left)), tuple(sample(mirror(control_left)))
    left, right = (positive, negative) if left_is_positive_x else (negative, positive)
    return (
        RegionTemplate(slug=f"{slug}-left", name=f"{name}, left", outline_cm=left, **extra),
        RegionTemplate(slug=f"{slug}-right", name=f"{name}, right", outline_cm=right, **extra),
    )


ABDOMEN = _region(
    "abdomen",
    gettext_noop("Abdomen"),
    [
        (0, 114.0),
        (8.0, 113.3),
        (12.4, 110.5),
        (13.0, 104.0),
        (14.0, 97.0),
        (12.8, 91.5),
        (7.0, 88.6),
        (0, 88.0),
        (-7.0, 88.6),
        (-12.8, 91.5),
        (-14.0, 97.0),
        (-13.0, 104.0),
        (-12.4, 110.5),
        (-8.0, 113.3),
    ],
    holes_cm=(tuple(sample(ellipse(0, 102.0, 1.0, 1.2, 8), per_segment=2)),),
    note="The navel is a hole: the umbilicus itself, not a sourced clearance.",
)
ARM_FRONT = limb([(17.9, 128.5), (19.5, 119.0), (21.1, 110.0)], [3.3, 3.2, 2.7])
THIGH_FRONT = limb([(10.2, 81.5), (9.6, 69.0), (9.0, 58.5)], [5.6, 5.2, 4.0])
KNEE = ellipse(8.7, 49.5, 3.6, 4.6, 10)

BODY_FRONT = View(
    slug="body-front",
    name=gettext_noop("Body, front"),
    description="Abdomen, arms, anterior thighs and knees, seen from the front.",
    frame_cm=FRAME,
    px_per_cm=PX_PER_CM,
    strokes=(*FIGURE, *FRONT_DETAILS),
    regions=(
        ABDOMEN,
        *_sided(
            "arm",
            gettext_noop("Arm (inner)"),
            ARM_FRONT,
            True,
            scaling="circumference",
            reference_circumference_cm=ARM_CM,
        ),
        *_sided(
            "thigh-anterior",
            gettext_noop("Thigh (anterior)"),
            THIGH_FRONT,
            True,
            scaling="circumference",
            reference_circumference_cm=THIGH_CM,
        ),
        *_sided(
            "knee",
            gettext_noop("Knee"),
            KNEE,
            True,
            scaling="circumference",
            reference_circumference_cm=KNEE_CM,
        ),
    ),
)

FLANK = [
    (10.2, 114.0),
    (13.6, 113.0),
    (14.0, 106.0),
    (15.4, 98.5),
    (13.0, 96.0),
    (10.4, 100.5),
    (9.8, 108.0),
]
BUTTOCK = [
    (1.4, 94.5),
    (8.5, 96.5),
    (14.8, 93.0),
    (16.6, 86.5),
    (14.6, 79.6),
    (8.0, 77.4),
    (1.4, 78.8),
]
ARM_BACK = limb([(17.7, 129.5), (19.4, 119.0), (21.0, 110.0)], [3.6, 3.5, 2.8])
THIGH_BACK = limb([(9.8, 74.0), (9.3, 64.0), (8.9, 55.0)], [6.0, 5.4, 4.2])

BODY_BACK = View(
    slug="body-back",
    name=gettext_noop("Body, back"),
    description="Flanks, posterior arms, buttocks and posterior thighs, seen from behind.",
    frame_cm=FRAME,
    px_per_cm=PX_PER_CM,
    strokes=(*FIGURE, *BACK_DETAILS),
    regions=(
        *_sided("flank", gettext_noop("Flank"), FLANK, False),
        *_sided(
            "arm-posterior",
            gettext_noop("Arm (posterior)"),
            ARM_BACK,
            False,
            scaling="circumference",
            reference_circumference_cm=ARM_CM,
        ),
        *_sided("buttock", gettext_noop("Buttock"), BUTTOCK, False),
        *_sided(
            "thigh-posterior",
            gettext_noop("Thigh (posterior)"),
            THIGH_BACK,
            False,
            scaling="circumference",
            reference_circumference_cm=THIGH_CM,
        ),
    ),
)

VIEWS = (BODY_FRONT, BODY_BACK)
