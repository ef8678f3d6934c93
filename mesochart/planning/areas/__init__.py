"""Area templates: the face, body and scalp views a plan is drawn on, with named regions.

Each view is a drawing and a set of regions, all authored in centimetres (x to the right,
y up) in one frame per view; ``View.to_drawing`` is the view's single transform from cm to
SVG units (a scale and a y flip), so a region's polygon is exactly where it is drawn.

**The sizes are illustrative.** A template region is drawn for an average adult so the
chart reads well; it is not a clinical measurement and carries no clinical claim. A plan
replaces it with the patient's own measurement: width × height (``scaling="size"``) or
the circumference round the site (``scaling="circumference"``, scaled uniformly by the
patient's over the template's reference circumference). See `RegionTemplate.region`.

**Exclusions.** A polygon exclusion scales with its region. A band exclusion is a line
(scaled with the region) widened by a fixed distance in cm *after* scaling, because the
distance comes from a source and must not shrink on a small patient: the submental region
keeps 1.5 cm below the lower border of the mandible free, the outer edge of the label's
"1–1.5 cm" ([LABEL] NDA 206333, reference.md).

Left and right are the patient's: on a front view the patient's left is on the viewer's
right; on a back view and on the scalp seen from above it is on the viewer's left.

Pure Python and shapely (through ``core.grid``), no Django; `views()` loads and validates
everything once.
"""

import math
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

import shapely
from django.utils.translation import gettext_noop

from mesochart.core.grid import GridError, Region
from mesochart.planning.areas import shapes

Scaling = Literal["size", "circumference"]
PointCm = tuple[float, float]
Ring = tuple[PointCm, ...]


@dataclass(frozen=True)
class Exclusion:
    """Where needles must not go. ``kind="polygon"``: ``ring_cm`` scales with the region;
    ``kind="band"``: ``line_cm`` scales with the region, then is widened ``width_cm`` each
    side (the part outside the region does not matter)."""

    name: str
    kind: Literal["polygon", "band"]
    source: str
    ring_cm: Ring = ()
    line_cm: Ring = ()
    width_cm: float = 0.0
    note: str = ""


@dataclass(frozen=True)
class RegionTemplate:
    slug: str
    name: str
    outline_cm: Ring
    scaling: Scaling = "size"
    holes_cm: tuple[Ring, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    # The circumference the template is drawn for (illustrative), for scaling="circumference".
    reference_circumference_cm: float | None = None
    # Where the label sits, in cm; the polygon's centroid when not given.
    label_cm: PointCm | None = None
    note: str = ""
    bounds_cm: tuple[float, float, float, float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "bounds_cm", shapely.Polygon(self.outline_cm).bounds)
        if self.label_cm is None:
            c = shapely.Polygon(self.outline_cm, self.holes_cm).representative_point()
            object.__setattr__(self, "label_cm", (round(c.x, 2), round(c.y, 2)))

    @property
    def label(self) -> PointCm:
        """Where the region's name is drawn: given, or the outline's centroid (__post_init__)."""
        if self.label_cm is None:
            raise GridError("label_cm", f"{self.slug} has no label point")
        return self.label_cm

    @property
    def reference_circumference(self) -> float:
        """The template's circumference, which a circumference-scaled region must give (the
        views are checked for it when they load)."""
        if self.reference_circumference_cm is None:
            raise GridError("circumference_cm", f"{self.slug} has no reference circumference")
        return self.reference_circumference_cm

    @property
    def width_cm(self) -> float:
        return round(self.bounds_cm[2] - self.bounds_cm[0], 2)

    @property
    def height_cm(self) -> float:
        return round(self.bounds_cm[3] - self.bounds_cm[1], 2)

    def factors(
        self,
        width_cm: float | None = None,
        height_cm: float | None = None,
        circumference_cm: float | None = None,
    ) -> tuple[float, float]:
        """(x, y) scale from the template to the patient; (1, 1) when nothing is measured.

        Raises ``GridError`` naming the measurement that is missing or not positive.
        """
        if self.scaling == "circumference":
            if circumference_cm is None:
                return (1.0, 1.0)
            _positive("circumference_cm", circumference_cm)
            factor = circumference_cm / self.reference_circumference
            return (factor, factor)
        if width_cm is None and height_cm is None:
            return (1.0, 1.0)
        if width_cm is None or height_cm is None:
            missing = "width_cm" if width_cm is None else "height_cm"
            raise GridError(missing, gettext_noop("is needed with the other measurement"))
        _positive("width_cm", width_cm)
        _positive("height_cm", height_cm)
        return (width_cm / self.width_cm, height_cm / self.height_cm)

    def scale_point(self, x: float, y: float, fx: float, fy: float) -> PointCm:
        """A template point in the patient's frame (the bounds' lower-left corner stays put)."""
        minx, miny = self.bounds_cm[0], self.bounds_cm[1]
        return (minx + (x - minx) * fx, miny + (y - miny) * fy)

    def region(
        self,
        width_cm: float | None = None,
        height_cm: float | None = None,
        circumference_cm: float | None = None,
    ) -> Region:
        """The core region scaled to the patient, band exclusions widened after scaling."""
        fx, fy = self.factors(width_cm, height_cm, circumference_cm)

        def scaled(ring: Ring) -> Ring:
            return tuple(self.scale_point(x, y, fx, fy) for x, y in ring)

        exclusions = []
        for exclusion in self.exclusions:
            if exclusion.kind == "polygon":
                exclusions.append(scaled(exclusion.ring_cm))
            else:
                band = shapely.LineString(scaled(exclusion.line_cm)).buffer(
                    exclusion.width_cm, quad_segs=8
                )
                exclusions.append(tuple(band.exterior.coords))
        return Region(
            outline_cm=scaled(self.outline_cm),
            holes_cm=tuple(scaled(h) for h in self.holes_cm),
            exclusions_cm=tuple(exclusions),
        )


def _positive(name: str, value: float) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
        raise GridError(name, gettext_noop("must be greater than 0"))


@dataclass(frozen=True)
class Stroke:
    """One path of the drawing: control points through which a smooth spline runs.

    ``layer``: "body" parts are filled with skin and outlined only where they meet the
    background (so overlapping parts read as one figure); "detail" are fine lines over it;
    "feature" are small filled shapes (eyes, lips, nails).
    """

    points: Ring
    layer: Literal["body", "detail", "feature"] = "body"
    closed: bool = True
    css: str = ""


@dataclass(frozen=True)
class View:
    slug: str
    name: str
    description: str
    # The drawing's top-left corner in cm, its size in cm, and SVG units per cm.
    frame_cm: tuple[float, float, float, float]
    px_per_cm: float
    strokes: tuple[Stroke, ...]
    regions: tuple[RegionTemplate, ...]

    def to_drawing(self, x_cm: float, y_cm: float) -> tuple[float, float]:
        """The view's one transform: cm (y up) to SVG units (y down)."""
        left, top, _, _ = self.frame_cm
        return ((x_cm - left) * self.px_per_cm, (top - y_cm) * self.px_per_cm)

    @property
    def viewbox(self) -> str:
        _, _, width, height = self.frame_cm
        return f"0 0 {width * self.px_per_cm:g} {height * self.px_per_cm:g}"

    def region(self, slug: str) -> RegionTemplate:
        for region in self.regions:
            if region.slug == slug:
                return region
        raise GridError("region", f"no region '{slug}' in view '{self.slug}'")

    @property
    def drawing(self) -> dict[str, list[dict]]:
        """SVG paths per layer, in drawing units (cached per view by `views()`)."""
        layers: dict[str, list[dict]] = {"body": [], "detail": [], "feature": []}
        for stroke in self.strokes:
            d = shapes.svg_path(stroke.points, self.to_drawing, closed=stroke.closed)
            layers[stroke.layer].append({"d": d, "css": stroke.css})
        return layers

    def region_path(self, region: RegionTemplate) -> str:
        path = shapes.polygon_path(region.outline_cm, self.to_drawing)
        return path + "".join(shapes.polygon_path(h, self.to_drawing) for h in region.holes_cm)

    def exclusion_paths(self, region: RegionTemplate) -> list[str]:
        """Each exclusion as drawn: the part of it that lies inside the region."""
        core = region.region()
        inside = core.polygon()
        paths = []
        for ring in core.exclusions_cm:
            shown = shapely.intersection(shapely.Polygon(ring), inside)
            for part in getattr(shown, "geoms", [shown]):
                if isinstance(part, shapely.Polygon) and not part.is_empty:
                    paths.append(shapes.polygon_path(part.exterior.coords, self.to_drawing))
        return paths


@cache
def views() -> dict[str, View]:
    """Every view by slug, validated once: each region must make a valid core region."""
    from mesochart.planning.areas import body, face, scalp

    loaded = {}
    for view in (*face.VIEWS, *body.VIEWS, scalp.VIEW):
        slugs = [r.slug for r in view.regions]
        if len(set(slugs)) != len(slugs):
            raise ValueError(f"{view.slug}: a region slug is used twice")
        for region in view.regions:
            region.region()  # raises GridError on an invalid polygon
            if region.scaling == "circumference" and not region.reference_circumference_cm:
                raise ValueError(f"{view.slug}/{region.slug}: needs a reference circumference")
        loaded[view.slug] = view
    return loaded


@cache
def region_count() -> int:
    """How many regions the charts have in all: a plan or session lists each at most once."""
    return sum(len(view.regions) for view in views().values())


def get_view(slug: str) -> View:
    try:
        return views()[slug]
    except KeyError:
        raise GridError("view", f"no view '{slug}'") from None


@cache
def rendered(slug: str) -> dict:
    """What a template needs to draw a view: the drawing's paths and each region's path."""
    view = get_view(slug)
    return {
        "slug": view.slug,
        "name": view.name,
        "viewbox": view.viewbox,
        "layers": view.drawing,
        "regions": [
            {
                "slug": r.slug,
                "name": r.name,
                "path": view.region_path(r),
                "label_x": f"{view.to_drawing(*r.label)[0]:.1f}",
                "label_y": f"{view.to_drawing(*r.label)[1]:.1f}",
                "exclusions": view.exclusion_paths(r),
            }
            for r in view.regions
        ],
    }
