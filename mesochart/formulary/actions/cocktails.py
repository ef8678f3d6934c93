"""Cocktails: creating one makes version 1; every edit makes the next version.

Versions are never changed or deleted (there is no function that would), so whatever
records a version keeps pointing at exactly the mix that was used.
"""

from django.db import transaction
from django.db.models import Max

from mesochart.accounts.actor import Actor
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.formulary.access import require
from mesochart.formulary.actions.common import errors_of, ml, refuse_unless_valid, repeated
from mesochart.formulary.forms import CocktailForm, CocktailRowForm
from mesochart.formulary.models import Cocktail, CocktailComponent, CocktailVersion
from mesochart.lib.slugs import free_slug

# Words the cocktail pages use in their own URLs (formulary/urls.py).
RESERVED_SLUGS = frozenset({"new", "preview"})


def create_cocktail(actor: Actor, data: dict, components: list[dict]):
    """A new cocktail of the clinic and its version 1. ``components``: product slug and
    volume_ml per row; errors name rows, e.g. ``components[1].volume_ml``."""
    require(actor, "cocktail.edit")
    form = CocktailForm(data)
    rows = _rows(actor, components)
    name_taken = {}
    if (
        form.is_valid()
        and Cocktail.objects.filter(
            clinic=actor.clinic, name__iexact=form.cleaned_data["name"]
        ).exists()
    ):
        name_taken = {"name": ["a cocktail of this name already exists at this clinic"]}
    refuse_unless_valid(errors_of(form), name_taken, _row_errors(rows))
    with transaction.atomic():
        cocktail = Cocktail.objects.create(
            clinic=actor.clinic,
            name=form.cleaned_data["name"],
            slug=free_cocktail_slug(actor.clinic, form.cleaned_data["name"]),
        )
        return _add_version(actor, cocktail, 1, form.cleaned_data["note"], rows)


def new_cocktail_version(
    actor: Actor, cocktail: Cocktail, data: dict, components: list[dict]
) -> CocktailVersion:
    """The next version of ``cocktail`` (a cocktail of the caller's clinic)."""
    require(actor, "cocktail.edit")
    form = CocktailForm({"name": cocktail.name, "note": data.get("note", "")})
    rows = _rows(actor, components)
    refuse_unless_valid(errors_of(form), _row_errors(rows))
    with transaction.atomic():
        locked = Cocktail.objects.select_for_update().get(pk=cocktail.pk)
        number = (locked.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        return _add_version(actor, locked, number, form.cleaned_data["note"], rows)


def _rows(actor: Actor, components: list[dict]) -> list[CocktailRowForm]:
    organisation = actor.clinic.organisation_id
    return [CocktailRowForm(row, organisation=organisation) for row in components]


def _row_errors(rows: list[CocktailRowForm]) -> dict:
    errors: dict[str, list[str]] = {}
    for index, row in enumerate(rows):
        errors.update(errors_of(row, f"components[{index}]"))
    if not rows:
        errors["components"] = ["must list at least one product"]
    products = [getattr(row.cleaned_data.get("product"), "slug", None) for row in rows]
    errors.update(repeated(products, "components", "product"))
    return errors


def _add_version(actor: Actor, cocktail, number, note, rows) -> CocktailVersion:
    version = CocktailVersion.objects.create(
        cocktail=cocktail, number=number, created_by=actor.user, note=note
    )
    CocktailComponent.objects.bulk_create(
        CocktailComponent(
            version=version,
            product=row.cleaned_data["product"],
            volume_ml=row.cleaned_data["volume_ml"],
            position=index,
        )
        for index, row in enumerate(rows)
    )
    record(
        actor,
        Action.CREATE,
        Category.FORMULARY,
        obj=version,
        detail={
            "cocktail": cocktail.slug,
            "version": number,
            "components": [
                [row.cleaned_data["product"].slug, str(ml(row.cleaned_data["volume_ml"]))]
                for row in rows
            ],
        },
    )
    return version


def free_cocktail_slug(clinic, name: str) -> str:
    """A slug for a new cocktail of ``clinic`` (created here or imported)."""
    taken = Cocktail.objects.filter(clinic=clinic)
    return free_slug(taken, name, fallback="cocktail", reserved=RESERVED_SLUGS)
