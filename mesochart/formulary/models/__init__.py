"""The formulary's tables, one module per subject."""

from mesochart.formulary.models.cocktails import Cocktail, CocktailComponent, CocktailVersion
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
    "Ingredient",
    "Limit",
    "Lot",
    "MovementKind",
    "Product",
    "ProductExcipient",
    "StockMovement",
]
