"""The session's reconciliation of drawn, injected and wasted per product (`core.reconcile`),
read from its rows: the cocktail version's components, the session's points (``regions``)
and its product rows. No query beyond the version's parts, which the page reads anyway.
"""

from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from django.utils.translation import gettext as _
from ninja import Schema

from mesochart.core.reconcile import Line, Part, prefill, split
from mesochart.planning.review import region_points

from .preflight import BLOCK, Item


def points_total_ml(regions: list[dict]) -> Decimal:
    """The mixture injected at the session's points, in mL (each point's own volume, else
    its region's)."""
    total = sum(
        (Decimal(repr(v)) for r in regions or [] for v in region_points(r).volumes_ml if v),
        Decimal(0),
    )
    return total.quantize(Decimal("0.001"))


def components(session):
    """The version's components with their products: the parts already read (a draft's
    checklist reads them), else one query."""
    version = session.cocktail_version
    if "parts" in version.__dict__:
        return version.parts
    if "_components" not in version.__dict__:
        version._components = list(
            version.components.select_related("product").order_by("position", "pk")
        )
    return version._components


def injected_by_product(session) -> dict[int, Decimal]:
    """Product id → mL of it injected: the points' total in the version's proportions."""
    parts = components(session)
    shares = split(
        [Part(str(c.product_id), c.volume_ml) for c in parts], points_total_ml(session.regions)
    )
    return {int(key): share for key, share in shares.items()}


def prefilled_rows(session) -> list[SimpleNamespace]:
    """One row per product of the cocktail, its drawn volume the product's share of the
    points, for a draft with no product row yet (the lot is still to be chosen)."""
    injected = injected_by_product(session)
    rows = []
    for component in components(session):
        drawn, wasted = prefill(injected.get(component.product_id, Decimal(0)))
        rows.append(
            SimpleNamespace(
                product=component.product,
                product_id=component.product_id,
                lot_id=None,
                barcode="",
                volume_drawn_ml=drawn,
                volume_wasted_ml=wasted,
            )
        )
    return rows


@dataclass(frozen=True)
class Reconciled:
    name: str
    slug: str
    line: Line
    problem: str


def lines(session, products) -> list[Reconciled]:
    """Per product of the cocktail that has rows: drawn and wasted summed over its lots,
    against what its points received."""
    injected = injected_by_product(session)
    drawn: dict[int, Decimal] = {}
    wasted: dict[int, Decimal] = {}
    for row in products:
        drawn[row.product_id] = drawn.get(row.product_id, Decimal(0)) + row.volume_drawn_ml
        wasted[row.product_id] = wasted.get(row.product_id, Decimal(0)) + row.volume_wasted_ml
    result = []
    for component in components(session):
        pid = component.product_id
        if pid not in drawn:
            continue  # the checklist already says no lot is recorded
        line = Line(component.product.name, drawn[pid], wasted[pid], injected.get(pid, Decimal(0)))
        result.append(
            Reconciled(component.product.name, component.product.slug, line, line.problem())
        )
    return result


def items(session, products) -> list[Item]:
    """Blocking checklist items, one per product that does not reconcile."""
    return [
        Item(
            f"reconcile.{r.line.product}",
            False,
            _("Volumes do not reconcile: %(problem)s") % {"problem": r.problem},
            BLOCK,
        )
        for r in lines(session, products)
        if r.problem
    ]


class ReconciliationOut(Schema):
    """One product of a session in the API: mL drawn (over its lots), injected (its share of
    the points), wasted, the difference, and the problem ("" when it reconciles within
    ``core.reconcile.TOLERANCE_ML``)."""

    product: str
    drawn_ml: Decimal
    injected_ml: Decimal
    wasted_ml: Decimal
    difference_ml: Decimal
    reconciles: bool
    problem: str


def reconciliation_out(session, products) -> list[dict]:
    """The reconciliation of ``session`` as the API answers it, validated by its schema."""
    return [
        ReconciliationOut(
            product=r.slug,
            drawn_ml=r.line.drawn_ml,
            injected_ml=r.line.injected_ml,
            wasted_ml=r.line.wasted_ml,
            difference_ml=r.line.difference_ml,
            reconciles=not r.problem,
            problem=r.problem,
        ).dict()
        for r in lines(session, products)
    ]
