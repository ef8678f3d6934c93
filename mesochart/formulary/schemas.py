"""The formulary's JSON shapes (django-ninja schemas) and the functions that fill them.

Pages and the API show the same things: the effective limits of a product with their
source, whether each blocks or warns, and which shipped limit a clinic limit replaces.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from mesochart.core.units import format_unit, parse_strength
from mesochart.formulary import engine
from mesochart.formulary.actions.common import ml
from mesochart.formulary.models import CocktailVersion, Lot, Product, StockMovement
from mesochart.formulary.models import Limit as LimitRow


class QuantityOut(Schema):
    value: float
    unit: str


class StrengthOut(Schema):
    ingredient: str
    name: str
    category: str
    strength: str | None = Field(description="As written, e.g. '1 % w/v'; null when unknown.")
    per_ml: QuantityOut | None = Field(description="In mg/mL or IU/mL.")
    source: str
    note: str


class ExcipientOut(Schema):
    ingredient: str
    name: str
    allergen_classes: list[str]


class LimitOut(Schema):
    id: int
    kind: str
    summary: str
    severity: Literal["block", "warn"]
    origin: Literal["label", "paper", "clinic"]
    source: str
    ingredient: str | None
    maximum: str | None
    minimum: str | None
    per_kg: str | None
    count: int | None
    days: int | None
    months: int | None
    names: list[str]
    note: str
    clinic_limit: bool
    replaces: "LimitOut | None" = Field(None, description="The shipped limit it replaces.")


class ClinicLimitIn(Schema):
    kind: Literal[
        "volume_per_injection",
        "volume_per_session",
        "injections_per_session",
        "dose_per_session",
        "dose_per_kg",
        "concentration_range",
        "min_interval_days",
        "min_interval_months",
        "max_sessions_per_course",
        "allowed_areas",
        "admixture_forbidden",
        "forbidden_vehicles",
        "max_depth_mm",
        "spacing",
    ]
    ingredient: str = Field("", description="Ingredient slug, for dose and concentration kinds.")
    maximum: str = Field("", description="With its unit: '0.2 mL', '300 mg'.")
    minimum: str = ""
    per_kg: str = Field("", description="For dose_per_kg: '4.5 mg/kg'.")
    count: int | None = None
    days: int | None = None
    months: int | None = None
    names: list[str] = Field(default_factory=list, description="Areas or vehicles.")
    severity: Literal["block", "warn"] = "block"
    source: str = Field(description="Where the limit comes from (required).")
    note: str = ""


class ProductOut(Schema):
    slug: str
    name: str
    shipped: bool
    active: bool
    brand_names: list[str]
    manufacturer: str
    form: str
    container_volume_ml: Decimal | None
    vehicle: str
    note: str
    composition: list[StrengthOut]
    excipients: list[ExcipientOut]
    limits: list[LimitOut] = Field(description="The limits that apply at your clinic.")


class LotOut(Schema):
    id: int
    product: str
    product_name: str
    lot_number: str
    expires_on: date
    expiry_status: Literal["ok", "expiring", "expired"]
    received_on: date
    quantity_received_ml: Decimal
    on_hand_ml: Decimal
    gtin: str


class MovementOut(Schema):
    id: int
    lot: int
    kind: str
    quantity_ml: Decimal = Field(description="Signed: what it added to (or took from) the lot.")
    at: datetime
    by: str
    note: str
    reference: str


class LotDetailOut(LotOut):
    movements: list[MovementOut]


class ReceiveLotIn(Schema):
    product: str = Field(description="Product slug.")
    lot_number: str
    expires_on: date
    received_on: date | None = Field(None, description="Default: today at the clinic.")
    quantity_ml: Decimal
    gtin: str = ""
    note: str = ""


class MovementIn(Schema):
    kind: Literal["received", "administered", "wasted", "returned", "adjusted"]
    quantity_ml: Decimal = Field(
        description="The volume moved (> 0); the kind gives the direction. Signed for adjusted."
    )
    note: str = ""
    reference: str = ""


class ComponentIn(Schema):
    product: str
    volume_ml: Decimal


class CocktailIn(Schema):
    name: str
    note: str = ""
    components: list[ComponentIn]


class CocktailVersionIn(Schema):
    note: str = ""
    components: list[ComponentIn]


class ComponentOut(Schema):
    product: str
    name: str
    volume_ml: Decimal


class ConcentrationOut(Schema):
    ingredient: str
    name: str
    concentration: QuantityOut | None = Field(description="Null when a strength is unknown.")


class MixFindingOut(Schema):
    severity: str
    rule: str
    product: str | None
    message: str
    source: str
    origin: str


class MixLimitOut(Schema):
    product: str
    kind: str
    description: str
    severity: str
    origin: str
    source: str


class VersionSummaryOut(Schema):
    number: int
    created_at: datetime
    created_by: str
    note: str


class CocktailVersionOut(VersionSummaryOut):
    cocktail: str
    name: str
    components: list[ComponentOut]
    total_volume_ml: float
    concentrations: list[ConcentrationOut]
    findings: list[MixFindingOut]
    limits: list[MixLimitOut]


class CocktailOut(Schema):
    slug: str
    name: str
    versions: list[VersionSummaryOut]


def quantity(value) -> dict | None:
    if value is None:
        return None
    return {"value": float(f"{value.magnitude:.12g}"), "unit": _unit(value)}


def _unit(value) -> str:
    return format_unit(value.units)


def limit_out(row: LimitRow, replaces: LimitRow | None = None) -> dict:
    return {
        "id": row.pk,
        "kind": row.kind,
        "summary": row.summary(),
        "severity": row.severity,
        "origin": row.origin,
        "source": row.source,
        "ingredient": row.ingredient or None,
        "maximum": row.maximum or None,
        "minimum": row.minimum or None,
        "per_kg": row.per_kg or None,
        "count": row.count,
        "days": row.days,
        "months": row.months,
        "names": list(row.names),
        "note": row.note,
        "clinic_limit": row.clinic_id is not None,
        "replaces": limit_out(replaces) if replaces is not None else None,
    }


def product_out(row: Product) -> dict:
    """A product prefetched by ``engine.products_with_limits``, with its effective limits."""
    return {
        "slug": row.slug,
        "name": row.name,
        "shipped": row.shipped,
        "active": row.active,
        "brand_names": list(row.brand_names),
        "manufacturer": row.manufacturer,
        "form": row.form,
        "container_volume_ml": row.container_volume_ml,
        "vehicle": row.vehicle,
        "note": row.note,
        "composition": [
            {
                "ingredient": item.ingredient.slug,
                "name": item.ingredient.name,
                "category": item.ingredient.category,
                "strength": item.strength,
                "per_ml": quantity(parse_strength(item.strength)) if item.strength else None,
                "source": item.source,
                "note": item.note,
            }
            for item in row.composition.all()
        ],
        "excipients": [
            {
                "ingredient": item.slug,
                "name": item.name,
                "allergen_classes": list(item.allergen_classes),
            }
            for item in row.excipients.all()
        ],
        "limits": [
            limit_out(limit, replaces)
            for limit, _, replaces in engine.effective_limits(row.limits.all())
        ],
    }


def lot_out(lot: Lot, today: date) -> dict:
    """A lot annotated by ``Lot.objects.with_on_hand()``, product selected."""
    return {
        "id": lot.pk,
        "product": lot.product.slug,
        "product_name": lot.product.name,
        "lot_number": lot.lot_number,
        "expires_on": lot.expires_on,
        "expiry_status": lot.expiry_status(today).value,
        "received_on": lot.received_on,
        "quantity_received_ml": lot.quantity_received_ml,
        "on_hand_ml": ml(lot.on_hand_ml),  # type: ignore[attr-defined]  # annotated by the lots query
        "gtin": lot.gtin,
    }


def movement_out(movement: StockMovement) -> dict:
    return {
        "id": movement.pk,
        "lot": movement.lot_id,
        "kind": movement.kind,
        "quantity_ml": movement.quantity_ml,
        "at": movement.at,
        "by": movement.by.get_username(),
        "note": movement.note,
        "reference": movement.reference,
    }


def version_summary(version: CocktailVersion) -> dict:
    return {
        "number": version.number,
        "created_at": version.created_at,
        "created_by": version.created_by.get_username(),
        "note": version.note,
    }


def version_out(version: CocktailVersion, preview: engine.MixPreview) -> dict:
    """A version (components and products prefetched) with the mix the core computed."""
    return {
        **version_summary(version),
        "cocktail": version.cocktail.slug,
        "name": version.cocktail.name,
        "components": [
            {"product": c.product.slug, "name": c.product.name, "volume_ml": c.volume_ml}
            for c in version.components.all()
        ],
        "total_volume_ml": float(f"{preview.total_volume_ml:.12g}"),
        "concentrations": [
            {"ingredient": ingredient.slug, "name": ingredient.name, "concentration": quantity(q)}
            for ingredient, q in preview.concentrations
        ],
        "findings": [
            {
                "severity": f.severity.value,
                "rule": f.rule.value,
                "product": f.product,
                "message": f.message,
                "source": f.source,
                "origin": f.origin.value,
            }
            for f in preview.findings
        ],
        "limits": [
            {
                "product": product.slug,
                "kind": limit.kind.value,
                "description": limit.describe(),
                "severity": limit.judged.value,
                "origin": limit.origin.value,
                "source": limit.source,
            }
            for product, limit in preview.limits
        ],
    }


LimitOut.model_rebuild()
