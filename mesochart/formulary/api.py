"""The formulary over the JSON API: the same access functions, actions and engine as the pages."""

from datetime import timedelta
from typing import Literal

from django.db.models import Prefetch, Q
from django.http import Http404
from ninja import Router
from ninja.responses import Status

from mesochart.formulary import actions, engine
from mesochart.formulary.access import (
    cocktails_for,
    get_cocktail,
    get_lot,
    get_product,
    lots_for,
    products_for,
)
from mesochart.formulary.models import CocktailComponent, CocktailVersion, Lot
from mesochart.formulary.models.stock import EXPIRY_WARNING_DAYS
from mesochart.formulary.schemas import (
    ClinicLimitIn,
    CocktailIn,
    CocktailOut,
    CocktailVersionIn,
    CocktailVersionOut,
    LimitOut,
    LotDetailOut,
    LotOut,
    MovementIn,
    MovementOut,
    ProductOut,
    ReceiveLotIn,
    limit_out,
    lot_out,
    movement_out,
    product_out,
    version_out,
    version_summary,
)
from mesochart.lib.requests import ClinicRequest

router = Router(tags=["formulary"])


@router.get("/products", response=list[ProductOut])
def list_products(request: ClinicRequest, q: str = "", include_inactive: bool = False):
    """Shipped and your organisation's own products, with the limits that apply at your clinic."""
    products = products_for(request.membership)
    if not include_inactive:
        products = products.filter(active=True)
    if q:
        products = products.filter(Q(name__icontains=q) | Q(slug__icontains=q))
    rows = engine.products_with_limits(products.order_by("name", "pk"), request.clinic)
    return [product_out(row) for row in rows]


@router.get("/products/{slug}", response=ProductOut)
def read_product(request: ClinicRequest, slug: str):
    product = get_product(request.membership, slug)
    (row,) = engine.products_with_limits(
        type(product).objects.filter(pk=product.pk), request.clinic
    )
    return product_out(row)


@router.post("/products/{slug}/limits", response={201: LimitOut})
def set_clinic_limit(request: ClinicRequest, slug: str, payload: ClinicLimitIn):
    """Your clinic's own limit on a product: it replaces the shipped limit of the same kind
    (and ingredient). Stricter than a label limit, never looser."""
    product = get_product(request.membership, slug, "formulary.edit")
    data = {k: ("" if v is None else v) for k, v in payload.model_dump().items()}
    data["names"] = ", ".join(payload.names)
    limit = actions.set_clinic_limit(request.actor, product, data)
    shipped = {row.key: row for row in product.limits.shipped()}
    return Status(201, limit_out(limit, shipped.get(limit.key)))


def _lots(request: ClinicRequest):
    return lots_for(request.membership).with_on_hand().select_related("product")


@router.get("/lots", response=list[LotOut])
def list_lots(
    request: ClinicRequest,
    product: str = "",
    status: Literal["ok", "expiring", "expired", ""] = "",
):
    """Your clinic's lots with stock on hand (the sum of their movements) and expiry status."""
    today = request.clinic.today()
    soon = today + timedelta(days=EXPIRY_WARNING_DAYS)
    lots = _lots(request)
    if product:
        lots = lots.filter(product__slug=product)
    if status:
        lots = lots.filter(
            {
                "expired": Q(expires_on__lt=today),
                "expiring": Q(expires_on__gte=today, expires_on__lte=soon),
                "ok": Q(expires_on__gt=soon),
            }[status]
        )
    return [lot_out(lot, today) for lot in lots.order_by("expires_on", "lot_number", "pk")]


@router.post("/lots", response={201: LotOut})
def receive_lot(request: ClinicRequest, payload: ReceiveLotIn):
    """Record a delivery: the lot and its `received` movement."""
    data = payload.model_dump()
    data["received_on"] = data["received_on"] or ""
    lot = actions.receive_lot(request.actor, data)
    return Status(201, lot_out(_lots(request).get(pk=lot.pk), request.clinic.today()))


@router.get("/lots/{lot_id}", response=LotDetailOut)
def read_lot(request: ClinicRequest, lot_id: int):
    lot = get_lot(request.membership, lot_id)
    lot = _lots(request).get(pk=lot.pk)
    movements = lot.movements.select_related("by").order_by("at", "pk")
    return {
        **lot_out(lot, request.clinic.today()),
        "movements": [movement_out(m) for m in movements],
    }


@router.post("/lots/{lot_id}/movements", response={201: MovementOut})
def post_movement(request: ClinicRequest, lot_id: int, payload: MovementIn):
    """Administer, waste, return or adjust: refused when it would leave less than nothing."""
    lot: Lot = get_lot(request.membership, lot_id, "stock.manage")
    movement = actions.post_movement(request.actor, lot, payload.model_dump())
    return Status(201, movement_out(movement))


def _versions(cocktail):
    return cocktail.versions.select_related("created_by", "cocktail").prefetch_related(
        Prefetch("components", queryset=CocktailComponent.objects.select_related("product"))
    )


def _version_out(request: ClinicRequest, version: CocktailVersion) -> dict:
    volumes = {c.product.slug: c.volume_ml for c in version.components.all()}
    preview = engine.mix_preview(volumes, request.clinic, request.clinic.today())
    return version_out(version, preview)


@router.get("/cocktails", response=list[CocktailOut])
def list_cocktails(request: ClinicRequest):
    cocktails = cocktails_for(request.membership).prefetch_related(
        Prefetch("versions", queryset=CocktailVersion.objects.select_related("created_by"))
    )
    return [
        {
            "slug": c.slug,
            "name": c.name,
            "versions": [version_summary(v) for v in c.versions.all()],
        }
        for c in cocktails.order_by("name", "pk")
    ]


@router.post("/cocktails", response={201: CocktailVersionOut})
def create_cocktail(request: ClinicRequest, payload: CocktailIn):
    """A new cocktail; its version 1 holds the components."""
    data = payload.model_dump()
    version = actions.create_cocktail(
        request.actor,
        {"name": data["name"], "note": data["note"]},
        data["components"],
    )
    return Status(201, _version_out(request, _versions(version.cocktail).get(pk=version.pk)))


@router.get("/cocktails/{slug}", response=CocktailOut)
def read_cocktail(request: ClinicRequest, slug: str):
    cocktail = get_cocktail(request.membership, slug)
    versions = cocktail.versions.select_related("created_by")
    return {
        "slug": cocktail.slug,
        "name": cocktail.name,
        "versions": [version_summary(v) for v in versions],
    }


@router.post("/cocktails/{slug}/versions", response={201: CocktailVersionOut})
def new_cocktail_version(request: ClinicRequest, slug: str, payload: CocktailVersionIn):
    """Change a cocktail: the change is a new version; earlier versions stay as they were."""
    cocktail = get_cocktail(request.membership, slug, "cocktail.edit")
    data = payload.model_dump()
    version = actions.new_cocktail_version(
        request.actor, cocktail, {"note": data["note"]}, data["components"]
    )
    return Status(201, _version_out(request, _versions(cocktail).get(pk=version.pk)))


@router.get("/cocktails/{slug}/versions/{number}", response=CocktailVersionOut)
def read_cocktail_version(request: ClinicRequest, slug: str, number: int):
    """One version with the concentration of each ingredient in the mix (from the core)."""
    cocktail = get_cocktail(request.membership, slug)
    version = _versions(cocktail).filter(number=number).first()
    if version is None:
        raise Http404("No such version.")
    return _version_out(request, version)
