"""The one way in to formulary rows: scoped to the caller's clinic and checked by role.

Products are seen by organisation (the shipped reference plus the organisation's own); lots,
clinic limits and cocktails by clinic. Anything outside that is not found (404); a role
without the permission is refused (403), before anything is looked up.
"""

from django.http import Http404

from mesochart.formulary import engine
from mesochart.formulary.models import Cocktail, Lot, Product
from mesochart.lib.access import require

__all__ = [
    "cocktails_for",
    "get_cocktail",
    "get_lot",
    "get_own_product",
    "get_product",
    "lots_for",
    "products_for",
    "require",
]


def products_for(membership, permission: str = "formulary.view"):
    """Products the membership's clinic can see: shipped, and its organisation's own."""
    require(membership, permission)
    return engine.visible_products(membership.clinic)


def get_product(membership, slug: str, permission: str = "formulary.view") -> Product:
    try:
        return products_for(membership, permission).get(slug=slug)
    except Product.DoesNotExist:
        raise Http404("No such product in this formulary.") from None


def get_own_product(membership, slug: str, permission: str = "formulary.edit") -> Product:
    """One of the organisation's own products: shipped reference rows cannot be edited."""
    require(membership, permission)
    try:
        return Product.objects.get(organisation_id=membership.clinic.organisation_id, slug=slug)
    except Product.DoesNotExist:
        raise Http404("No such product of this organisation.") from None


def lots_for(membership, permission: str = "formulary.view"):
    require(membership, permission)
    return Lot.objects.in_clinic(membership.clinic)


def get_lot(membership, pk, permission: str = "formulary.view") -> Lot:
    try:
        return lots_for(membership, permission).select_related("product").get(pk=pk)
    except (Lot.DoesNotExist, ValueError, TypeError):
        raise Http404("No such lot in this clinic.") from None


def cocktails_for(membership, permission: str = "formulary.view"):
    require(membership, permission)
    return Cocktail.objects.filter(clinic=membership.clinic)


def get_cocktail(membership, slug: str, permission: str = "formulary.view") -> Cocktail:
    try:
        return cocktails_for(membership, permission).get(slug=slug)
    except Cocktail.DoesNotExist:
        raise Http404("No such cocktail in this clinic.") from None
