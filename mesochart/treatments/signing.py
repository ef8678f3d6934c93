"""What a practitioner is shown before signing: the points, volumes and lots of the record,
exactly as the signature will lock them."""

from dataclasses import dataclass
from decimal import Decimal

from mesochart.core.grid import GridError
from mesochart.planning import area_names
from mesochart.planning.areas import get_view
from mesochart.planning.review import region_points


@dataclass(frozen=True)
class RegionLine:
    name: str
    points: int
    volume_ml: float
    deepest_mm: float | None


@dataclass(frozen=True)
class ProductLine:
    product: str
    lot_number: str
    expires_on: object
    drawn_ml: Decimal
    wasted_ml: Decimal
    administered_ml: Decimal


@dataclass(frozen=True)
class WhatIsSigned:
    regions: tuple[RegionLine, ...]
    products: tuple[ProductLine, ...]
    points: int
    volume_ml: float


def _region_name(region: dict) -> str:
    try:
        return area_names.name(get_view(region["view"]).region(region["region"]).name)
    except (KeyError, GridError):
        return region["region"]


def what_is_signed(session, products) -> WhatIsSigned:
    regions = []
    for region in session.regions:
        if not region.get("points"):
            continue
        resolved = region_points(region)
        depths = [d for d in resolved.depths_mm if d is not None]
        regions.append(
            RegionLine(
                _region_name(region),
                len(resolved.xy),
                round(sum(v or 0 for v in resolved.volumes_ml), 6),
                max(depths) if depths else None,
            )
        )
    lines = tuple(
        ProductLine(
            row.product.name,
            row.lot.lot_number,
            row.lot.expires_on,
            row.volume_drawn_ml,
            row.volume_wasted_ml,
            row.volume_drawn_ml - row.volume_wasted_ml,
        )
        for row in products
    )
    return WhatIsSigned(
        tuple(regions),
        lines,
        sum(r.points for r in regions),
        round(sum(r.volume_ml for r in regions), 6),
    )
