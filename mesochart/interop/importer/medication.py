"""Medication: a cocktail version (its products matched in the formulary the organisation
sees, by the reference product's name or slug; an unknown product is refused by name) and a
lot given (matched in the clinic by product and number, or recorded with no stock: the
ledger receives nothing for a lot that was used up elsewhere)."""

import re
from decimal import Decimal

from django.db.models import Q

from mesochart.formulary.actions.cocktails import free_cocktail_slug
from mesochart.formulary.models import Cocktail, CocktailComponent, CocktailVersion, Lot, Product
from mesochart.interop.importer.context import Context, day
from mesochart.interop.importer.errors import refuse

_VERSION = re.compile(r"^(?P<name>.+) \(version (?P<number>[0-9]+)\)$")


def import_medications(context: Context) -> None:
    for entry in context.each("Medication"):
        if "batch" in entry.resource:
            context.keep(entry, *_lot(context, entry))
        else:
            context.keep(entry, *_cocktail(context, entry))


def product_named(context: Context, text: str | None, path: str) -> Product:
    found = (
        Product.objects.visible_to(context.organisation)
        .filter(Q(name=text) | Q(slug=text))
        .order_by("organisation_id", "pk")
        .first()
    )
    if found is None:
        refuse(path, f"no product '{text}' in the formulary of {context.organisation.name}")
    return found


def _cocktail(context: Context, entry) -> tuple[CocktailVersion, bool]:
    match = _VERSION.match((entry.resource.get("code") or {}).get("text", ""))
    if not match:
        refuse(entry.at("code", "text"), "must read 'NAME (version N)'")
    components = [
        (
            product_named(
                context,
                (item.get("itemCodeableConcept") or {}).get("text"),
                entry.at("ingredient", index, "itemCodeableConcept", "text"),
            ),
            Decimal(str(item["strength"]["numerator"]["value"])).quantize(Decimal("0.001")),
        )
        for index, item in enumerate(entry.resource.get("ingredient", []))
    ]
    clinic = context.patient.clinic
    cocktail, created = Cocktail.objects.get_or_create(
        clinic=clinic,
        name=match["name"],
        defaults={"slug": free_cocktail_slug(clinic, match["name"])},
    )
    if created:
        context.counted("formulary.Cocktail")
    number = int(match["number"])
    version = cocktail.versions.filter(number=number).first()
    if version is not None:
        held = [(c.product, c.volume_ml) for c in version.components.order_by("position", "pk")]
        if held != components:
            refuse(entry.at("ingredient"), f"differs from version {number} of {cocktail.name}")
        return version, False
    version = CocktailVersion.objects.create(
        cocktail=cocktail, number=number, created_by=context.first_practitioner(), note="imported"
    )
    CocktailComponent.objects.bulk_create(
        CocktailComponent(version=version, product=product, volume_ml=volume_ml, position=position)
        for position, (product, volume_ml) in enumerate(components)
    )
    context.counted("formulary.CocktailComponent", len(components))
    return version, True


def _lot(context: Context, entry) -> tuple[Lot, bool]:
    resource = entry.resource
    product = product_named(
        context, (resource.get("code") or {}).get("text"), entry.at("code", "text")
    )
    batch = resource["batch"]
    expires_on = day(batch.get("expirationDate"), entry.at("batch", "expirationDate"))
    lot, created = Lot.objects.get_or_create(
        clinic=context.patient.clinic,
        product=product,
        lot_number=batch.get("lotNumber", ""),
        defaults={
            "expires_on": expires_on,
            "received_on": context.now.date(),
            "quantity_received_ml": Decimal(0),
        },
    )
    if lot.expires_on != expires_on:
        refuse(entry.at("batch", "expirationDate"), f"differs from lot {lot.lot_number} here")
    return lot, created
