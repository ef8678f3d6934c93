"""The formulary's tables, one module per subject."""

from mesochart.formulary.models.cocktails import Cocktail, CocktailComponent, CocktailVersion
from mesochart.formulary.models.holds import HoldKind, LotHold
from mesochart.formulary.models.limits import Limit
from mesochart.formulary.models.products import (
    Composition,
    Ingredient,
    Product,
    ProductExcipient,
)
from mesochart.formulary.models.stock import (
    ExpiryStatus,
    Lot,
    MovementKind,
    StockMovement,
)

__all__ = [
    "Cocktail",
    "CocktailComponent",
    "CocktailVersion",
    "Composition",
    "ExpiryStatus",
    "HoldKind",
    "Ingredient",
    "Limit",
    "Lot",
    "LotHold",
    "MovementKind",
    "Product",
    "ProductExcipient",
    "StockMovement",
]
