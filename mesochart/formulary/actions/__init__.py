"""Writes to the formulary: validate with the shared forms, write in one transaction and
record the audit entry explicitly. Each function takes the acting membership and raises
``ValidationError`` with ``{field: [rule]}``; a refused write leaves nothing behind."""

from mesochart.formulary.actions.cocktails import create_cocktail, new_cocktail_version
from mesochart.formulary.actions.holds import place_hold, release_quarantine
from mesochart.formulary.actions.products import (
    remove_clinic_limit,
    save_product,
    set_clinic_limit,
)
from mesochart.formulary.actions.stock import on_hand_ml, post_movement, receive_lot

__all__ = [
    "create_cocktail",
    "new_cocktail_version",
    "on_hand_ml",
    "place_hold",
    "post_movement",
    "receive_lot",
    "release_quarantine",
    "remove_clinic_limit",
    "save_product",
    "set_clinic_limit",
]
