"""An organisation's own products and a clinic's own limits: validate, write, audit."""

from django.db import transaction
from django.http import Http404

from mesochart.accounts.actor import Actor
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.formulary.access import require
from mesochart.formulary.actions.common import errors_of, refuse_unless_valid, repeated
from mesochart.formulary.forms import ClinicLimitForm, CompositionForm, ProductForm
from mesochart.formulary.models import Composition, Limit, Product, ProductExcipient


def save_product(
    actor: Actor, data: dict, composition: list[dict], product: Product | None = None
) -> Product:
    """Create (``product`` None) or change one of the organisation's own products.

    ``composition`` is one dict per ingredient (ingredient slug, strength as written, source,
    note); it replaces the product's composition. Errors name rows: ``composition[1].strength``.
    """
    require(actor, "formulary.edit")
    organisation = actor.clinic.organisation
    form = ProductForm(data, instance=product, organisation=organisation)
    rows = [CompositionForm(row, organisation=organisation) for row in composition]
    refuse_unless_valid(
        errors_of(form),
        *(errors_of(row, f"composition[{index}]") for index, row in enumerate(rows)),
        repeated(
            [row.cleaned_data.get("ingredient") for row in rows],
            "composition",
            "ingredient",
        ),
        {} if rows else {"composition": ["must list at least one ingredient"]},
    )
    creating = product is None
    with transaction.atomic():
        product = form.save(commit=False)
        product.organisation = organisation
        product.slug = form.cleaned_data["slug"]
        product.brand_names = form.cleaned_data["brand_names"]
        product.save()
        Composition.objects.filter(product=product).delete()
        Composition.objects.bulk_create(
            Composition(product=product, position=index, **row.cleaned_data)
            for index, row in enumerate(rows)
        )
        ProductExcipient.objects.filter(product=product).delete()
        ProductExcipient.objects.bulk_create(
            ProductExcipient(product=product, ingredient=ingredient)
            for ingredient in form.cleaned_data["excipients"]
        )
        record(
            actor,
            Action.CREATE if creating else Action.UPDATE,
            Category.FORMULARY,
            obj=product,
            detail={
                "slug": product.slug,
                "composition": [
                    [row.cleaned_data["ingredient"].slug, row.cleaned_data["strength"]]
                    for row in rows
                ],
            },
        )
    return product


def set_clinic_limit(actor: Actor, product: Product, data: dict) -> Limit:
    """The clinic's own limit on ``product``; it replaces the clinic's earlier one with the
    same kind and ingredient. Looser than a label limit is refused (``ClinicLimitForm``)."""
    require(actor, "formulary.edit")
    shipped = list(product.limits.shipped())
    form = ClinicLimitForm(data, product=product, shipped=shipped)
    refuse_unless_valid(errors_of(form))
    with transaction.atomic():
        limit = form.save(commit=False)
        previous = (
            Limit.objects.select_for_update()
            .filter(product=product, clinic=actor.clinic, kind=limit.kind)
            .filter(ingredient=limit.ingredient)
            .first()
        )
        replaced = previous.summary() if previous else None
        if previous is not None:
            previous.delete()
        limit.product = product
        limit.clinic = actor.clinic
        limit.origin = "clinic"
        limit.save()
        record(
            actor,
            Action.UPDATE if previous else Action.CREATE,
            Category.FORMULARY,
            obj=limit,
            detail={
                "product": product.slug,
                "limit": limit.summary(),
                "severity": limit.severity,
                "source": limit.source,
                "replaced": replaced,
            },
        )
    return limit


def remove_clinic_limit(actor: Actor, product: Product, pk) -> None:
    """Drop the clinic's own limit: the shipped limit (if any) applies again."""
    require(actor, "formulary.edit")
    with transaction.atomic():
        limit = (
            Limit.objects.select_for_update()
            .filter(product=product, clinic=actor.clinic, pk=pk)
            .first()
        )
        if limit is None:
            raise Http404("No such limit of this clinic.")
        record(
            actor,
            Action.VOID,
            Category.FORMULARY,
            obj=limit,
            detail={"product": product.slug, "limit": limit.summary(), "source": limit.source},
        )
        limit.delete()
