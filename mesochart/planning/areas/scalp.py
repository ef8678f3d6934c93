"""Scalp seen from above, the face towards the top of the page, in cm.

Frame: x = 0 on the midline, y = 0 at the centre of the head; x < 0 is the patient's left
(seen from above and behind, left is on the viewer's left). Zones follow the usual
description of the scalp (frontal, mid-scalp, vertex, temporal, occipital); their sizes are
illustrative defaults for drawing (see the package docstring).
"""

from mesochart.planning.areas import RegionTemplate, Stroke, View, gettext_noop
from mesochart.planning.areas.shapes import ellipse, mirror, sample, symmetric

HEAD = symmetric(
    [
        (0, 10.2),
        (4.6, 9.3),
        (7.0, 6.3),
        (7.75, 1.5),
        (7.45, -3.5),
        (6.0, -7.5),
        (3.4, -9.6),
        (0, -10.2),
    ]
)
EAR = [(7.3, 1.9), (8.6, 1.4), (9.0, -0.8), (8.5, -2.8), (7.3, -2.6)]
NOSE = [(-1.0, 10.0), (-0.5, 11.3), (0, 11.7), (0.5, 11.3), (1.0, 10.0)]
TEMPORAL = [
    (5.3, 6.1),
    (6.7, 4.8),
    (7.15, 1.5),
    (6.85, -1.7),
    (5.3, -1.3),
    (4.75, 1.6),
    (4.95, 4.3),
]

VIEW = View(
    slug="scalp-top",
    name=gettext_noop("Scalp, from above"),
    description="Frontal, mid-scalp, vertex, temporal and occipital zones.",
    frame_cm=(-11.0, 13.0, 22.0, 25.0),
    px_per_cm=16.0,
    strokes=(
        Stroke(tuple(NOSE)),
        Stroke(tuple(EAR)),
        Stroke(tuple(mirror(EAR))),
        Stroke(tuple(HEAD)),
        Stroke(tuple(HEAD), layer="feature", css="hair-top"),
        Stroke(
            ((-5.6, 6.7), (-3.0, 7.75), (0, 8.05), (3.0, 7.75), (5.6, 6.7)),
            layer="detail",
            closed=False,
        ),
        Stroke(((0, 7.7), (0, 1.0)), layer="detail", closed=False, css="faint"),
        Stroke(
            (
                (0.9, -2.6),
                (0.2, -2.1),
                (-0.5, -2.7),
                (0, -3.5),
                (1.2, -3.3),
                (1.6, -2.2),
                (0.7, -1.2),
                (-0.9, -1.5),
            ),
            layer="detail",
            closed=False,
            css="faint",
        ),
    ),
    regions=(
        RegionTemplate(
            slug="scalp-frontal",
            name=gettext_noop("Frontal scalp"),
            outline_cm=tuple(
                sample(
                    symmetric(
                        [(0, 7.65), (3.2, 7.35), (5.0, 6.45), (4.6, 4.25), (2.4, 4.05), (0, 3.95)]
                    )
                )
            ),
        ),
        RegionTemplate(
            slug="scalp-mid",
            name=gettext_noop("Mid-scalp"),
            outline_cm=tuple(
                sample(
                    symmetric(
                        [(0, 3.5), (3.4, 3.5), (4.2, 2.0), (3.8, 0.35), (2.0, -0.05), (0, 0.0)]
                    )
                )
            ),
        ),
        RegionTemplate(
            slug="scalp-vertex",
            name=gettext_noop("Vertex (crown)"),
            outline_cm=tuple(sample(ellipse(0, -2.8, 3.3, 2.35, 12))),
        ),
        RegionTemplate(
            slug="scalp-temporal-left",
            name=gettext_noop("Temporal scalp, left"),
            outline_cm=tuple(sample(mirror(TEMPORAL))),
        ),
        RegionTemplate(
            slug="scalp-temporal-right",
            name=gettext_noop("Temporal scalp, right"),
            outline_cm=tuple(sample(TEMPORAL)),
        ),
        RegionTemplate(
            slug="scalp-occipital",
            name=gettext_noop("Occipital scalp"),
            outline_cm=tuple(
                sample(
                    symmetric(
                        [
                            (0, -5.65),
                            (3.4, -5.45),
                            (5.6, -5.65),
                            (5.25, -7.8),
                            (3.0, -9.3),
                            (0, -9.7),
                        ]
                    )
                )
            ),
        ),
    ),
)
