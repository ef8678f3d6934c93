"""Smooth outlines from a few hand-placed control points, in centimetres (y up).

The figures and the regions are authored as control points through which a closed
Catmull-Rom spline runs; `sample` turns it into a polygon for the grid planner and
`svg_path` into cubic Bézier segments for the drawing, so a region's polygon and its
drawing are the same curve. `limb` builds a tapered capsule along a centre line (arms,
legs, bands along a jawline), `ellipse` a plain oval. Pure Python, no Django.
"""

import math
from collections.abc import Callable, Sequence

Point = tuple[float, float]


def mirror(points: Sequence[Point]) -> list[Point]:
    """The points reflected in the midline (x = 0), in reverse order to keep the winding."""
    return [(-x, y) for x, y in reversed(points)]


def symmetric(half: Sequence[Point]) -> list[Point]:
    """A closed outline from its right half, drawn from the top of the midline to the bottom.

    Points on the midline (x == 0) at either end are not doubled.
    """
    other = mirror(half)
    if other and half and other[0] == half[-1]:
        other = other[1:]
    if other and half and other[-1] == half[0]:
        other = other[:-1]
    return [*half, *other]


def _bezier_segments(points: Sequence[Point]) -> list[tuple[Point, Point, Point, Point]]:
    """Closed uniform Catmull-Rom through ``points`` as cubic Bézier segments."""
    n = len(points)
    segments = []
    for i in range(n):
        p0, p1, p2, p3 = (points[(i + k) % n] for k in (-1, 0, 1, 2))
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        segments.append((p1, c1, c2, p2))
    return segments


def _open_segments(points: Sequence[Point]) -> list[tuple[Point, Point, Point, Point]]:
    """Open Catmull-Rom through ``points`` (end tangents from the end points themselves)."""
    padded = [points[0], *points, points[-1]]
    segments = []
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1], padded[i], padded[i + 1], padded[i + 2]
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        segments.append((p1, c1, c2, p2))
    return segments


def _at(segment: tuple[Point, Point, Point, Point], t: float) -> Point:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = segment
    u = 1 - t
    a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
    return (a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3)


def sample(points: Sequence[Point], per_segment: int = 8, closed: bool = True) -> list[Point]:
    """The spline through ``points`` as a polygon (closed) or polyline, rounded to 0.01 cm."""
    segments = _bezier_segments(points) if closed else _open_segments(points)
    out = []
    for segment in segments:
        for step in range(per_segment):
            x, y = _at(segment, step / per_segment)
            out.append((round(x, 2), round(y, 2)))
    if not closed:
        x, y = segments[-1][3]
        out.append((round(x, 2), round(y, 2)))
    return out


Transform = Callable[[float, float], Point]


def svg_path(points: Sequence[Point], to_drawing: Transform, closed: bool = True) -> str:
    """The spline through ``points`` as an SVG path in drawing units (one decimal)."""
    segments = _bezier_segments(points) if closed else _open_segments(points)

    def xy(point: Point) -> str:
        x, y = to_drawing(*point)
        return f"{x:.1f} {y:.1f}"

    parts = [f"M{xy(segments[0][0])}"]
    parts += [f"C{xy(c1)} {xy(c2)} {xy(end)}" for _, c1, c2, end in segments]
    if closed:
        parts.append("Z")
    return "".join(parts)


def polygon_path(ring: Sequence[Point], to_drawing: Transform) -> str:
    """A polygon (already sampled) as an SVG path in drawing units."""
    coords = [to_drawing(x, y) for x, y in ring]
    return "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in coords) + "Z"


def ellipse(cx: float, cy: float, rx: float, ry: float, count: int = 12) -> list[Point]:
    """Control points of an oval (pass through `sample` or `svg_path`)."""
    return [
        (cx + rx * math.cos(2 * math.pi * k / count), cy + ry * math.sin(2 * math.pi * k / count))
        for k in range(count)
    ]


def limb(centre: Sequence[Point], radii: Sequence[float], end_points: int = 3) -> list[Point]:
    """Control points of a tapered capsule along ``centre`` with a half-width per point.

    Runs up the left side, round the far end, down the right side and round the near end,
    each end rounded with ``end_points`` points; for limbs and for bands along a line.
    """
    if len(centre) != len(radii) or len(centre) < 2:
        raise ValueError("limb: one radius per centre point, at least two points")
    normals = []
    for i in range(len(centre)):
        (ax, ay), (bx, by) = centre[max(i - 1, 0)], centre[min(i + 1, len(centre) - 1)]
        length = math.hypot(bx - ax, by - ay) or 1.0
        normals.append((-(by - ay) / length, (bx - ax) / length))
    sides = list(zip(centre, normals, radii, strict=True))
    left = [(x + nx * r, y + ny * r) for (x, y), (nx, ny), r in sides]
    right = [(x - nx * r, y - ny * r) for (x, y), (nx, ny), r in sides]

    def cap(index: int, sign: float) -> list[Point]:
        # sign +1: from the left side over the far end to the right; -1: the other way round.
        (x, y), (nx, ny), r = sides[index]
        tx, ty = ny * sign, -nx * sign
        angles = (math.pi * k / (end_points + 1) for k in range(1, end_points + 1))
        return [
            (
                x + r * (sign * nx * math.cos(a) + tx * math.sin(a)),
                y + r * (sign * ny * math.cos(a) + ty * math.sin(a)),
            )
            for a in angles
        ]

    return [*left, *cap(-1, 1.0), *reversed(right), *cap(0, -1.0)]
