"""Medication: one per cocktail version (its products as ingredients, each a Ratio of the
product's volume to the cocktail's), and one per product lot given (its ingredients'
strengths and the batch's number and expiry)."""

import re
from decimal import Decimal
from typing import Any

from mesochart.interop.fhir.codes import UCUM
from mesochart.interop.fhir.ids import Refs

_PER_ML = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(mg|µg|ug|g|IU)\s*/\s*mL\s*$")
_PERCENT = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*w/v\s*$")
_UCUM = {"mg": "mg", "µg": "ug", "ug": "ug", "g": "g", "IU": "[IU]"}


def _quantity(value, unit: str) -> dict:
    return {"value": float(value), "unit": unit, "system": UCUM, "code": _UCUM.get(unit, unit)}


def strength_ratio(strength: str) -> dict | None:
    """'10 mg/mL' or '2 % w/v' (2 g per 100 mL) as a FHIR Ratio; None for any other text."""
    if match := _PER_ML.match(strength or ""):
        return {"numerator": _quantity(match[1], match[2]), "denominator": _ml(1)}
    if match := _PERCENT.match(strength or ""):
        return {"numerator": _quantity(match[1], "g"), "denominator": _ml(100)}
    return None


def _ml(value) -> dict:
    return {"value": float(value), "unit": "mL", "system": UCUM, "code": "mL"}


def cocktail(refs: Refs, version) -> dict:
    components = list(version.components.all())
    total_ml = sum((Decimal(c.volume_ml) for c in components), Decimal(0))
    return {
        "resourceType": "Medication",
        "id": refs.id("Medication", f"cocktail-{version.pk}"),
        "code": {"text": f"{version.cocktail.name} (version {version.number})"},
        "status": "active",
        "ingredient": [
            {
                "itemCodeableConcept": {"text": component.product.name},
                "isActive": True,
                "strength": {
                    "numerator": _ml(component.volume_ml),
                    "denominator": _ml(total_ml),
                },
            }
            for component in components
        ],
    }


def lot(refs: Refs, row) -> dict:
    ingredients = []
    for part in row.product.composition.all():
        ingredient = {"itemCodeableConcept": {"text": part.ingredient.name}, "isActive": True}
        if ratio := strength_ratio(part.strength or ""):
            ingredient["strength"] = ratio
        ingredients.append(ingredient)
    resource: dict[str, Any] = {
        "resourceType": "Medication",
        "id": refs.id("Medication", f"lot-{row.pk}"),
        "code": {"text": row.product.name},
        "status": "active",
        "batch": {"lotNumber": row.lot_number, "expirationDate": row.expires_on.isoformat()},
    }
    if row.product.manufacturer:
        resource["manufacturer"] = {"display": row.product.manufacturer}
    if row.product.form:
        resource["form"] = {"text": row.product.form}
    if ingredients:
        resource["ingredient"] = ingredients
    return resource
