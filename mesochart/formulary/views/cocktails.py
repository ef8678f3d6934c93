"""Cocktails: the list, the builder (live concentrations from the core), versions.

Saving the builder creates a new version; nothing on these pages changes an existing one.
"""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Prefetch
from django.forms import formset_factory
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from mesochart.accounts.decorators import member_required
from mesochart.core.limits import Severity
from mesochart.core.units import format_quantity
from mesochart.formulary import actions, engine
from mesochart.formulary.access import cocktails_for, get_cocktail, require
from mesochart.formulary.forms import CocktailForm, CocktailRowForm
from mesochart.formulary.models import CocktailComponent
from mesochart.formulary.models.limits import summarise_core
from mesochart.formulary.views.rows import bind_errors, filled_rows
from mesochart.lib.errors import label_of, page_lines

EXTRA_ROWS = 3
PREFIX = "components"


@member_required
def cocktail_list(request):
    cocktails = (
        cocktails_for(request.membership)
        .annotate(latest=Max("versions__number"), versions_count=Count("versions"))
        .order_by("name", "pk")
    )
    return render(request, "formulary/cocktail_list.html", {"cocktails": cocktails})


@member_required
def cocktail_create(request):
    return _builder(request, None)


@member_required
def cocktail_edit(request, slug: str):
    return _builder(request, get_cocktail(request.membership, slug, "cocktail.edit"))


def _rows(request, data=None, extra=0, initial=None):
    organisation = request.clinic.organisation_id
    factory = formset_factory(CocktailRowForm, extra=extra)
    kwargs = {"form_kwargs": {"organisation": organisation}, "prefix": PREFIX}
    return (
        factory(data, initial=initial, **kwargs)
        if data is not None
        else factory(initial=initial, **kwargs)
    )


def _builder(request, cocktail):
    membership = request.membership
    require(membership, "cocktail.edit")
    latest = _versions(cocktail).first() if cocktail else None
    if request.method == "POST":
        data = request.POST.copy()
        if cocktail is not None:
            data["name"] = cocktail.name
        if "add_row" in data:
            data[f"{PREFIX}-TOTAL_FORMS"] = str(int(data.get(f"{PREFIX}-TOTAL_FORMS", 0)) + 1)
        form, rows = CocktailForm(data), _rows(request, data)
        if "add_row" not in data:
            response = _save(request, cocktail, form, rows)
            if response is not None:
                return response
        elif request.htmx:
            return render(request, "formulary/_cocktail_rows.html", {"rows": rows})
        volumes, problems = mix_from_rows(rows)
    else:
        initial = [
            {"product": c.product.slug, "volume_ml": c.volume_ml}
            for c in (latest.components.all() if latest else [])
        ]
        form = CocktailForm(initial={"name": cocktail.name} if cocktail else None)
        rows = _rows(request, extra=EXTRA_ROWS if not initial else 1, initial=initial)
        volumes, problems = {c["product"]: c["volume_ml"] for c in initial}, []
    context = {
        "cocktail": cocktail,
        "latest": latest,
        "form": form,
        "rows": rows,
        **preview_context(request, volumes, problems),
    }
    return render(request, "formulary/cocktail_builder.html", context)


def _save(request, cocktail, form, rows):
    components, positions = filled_rows(rows)
    try:
        if cocktail is None:
            version = actions.create_cocktail(request.actor, request.POST.dict(), components)
        else:
            version = actions.new_cocktail_version(
                request.actor, cocktail, request.POST.dict(), components
            )
    except ValidationError as error:
        bind_errors(form, rows, positions, error)
        return None
    messages.success(
        request,
        gettext_lazy("%(name)s: version %(number)s was saved.")
        % {"name": version.cocktail.name, "number": version.number},
    )
    return redirect("formulary:cocktail", slug=version.cocktail.slug)


@member_required
@require_POST
def cocktail_preview(request):
    """The builder's live panel (htmx): the mix as the rows stand, computed by the core."""
    require(request.membership, "cocktail.edit")
    volumes, problems = mix_from_rows(_rows(request, request.POST))
    return render(
        request,
        "formulary/_cocktail_preview.html",
        preview_context(request, volumes, problems),
    )


def mix_from_rows(rows) -> tuple[dict[str, Decimal], list[str]]:
    """Volumes by product slug from the rows typed so far, and what is wrong with the rest,
    each row by its place and each field by the builder's label."""
    volumes: dict[str, Decimal] = {}
    problems: list[str] = []
    _, positions = filled_rows(rows)
    for position in positions:
        row = rows.forms[position]
        if not row.is_valid():
            refused = ValidationError(row.errors.as_data())
            problems.extend(_row_problem(position, line) for line in page_lines(refused, form=row))
            continue
        product = row.cleaned_data["product"]
        if product.slug in volumes:
            twice = gettext("%(product)s is listed twice") % {"product": product.name}
            problems.append(_row_problem(position, f"{label_of('product', form=row)}: {twice}"))
            continue
        slug = product.slug
        volumes[slug] = row.cleaned_data["volume_ml"]
    return volumes, problems


def _row_problem(position: int, problem: str) -> str:
    return gettext("Row %(row)s: %(problem)s") % {"row": position + 1, "problem": problem}


def preview_context(request, volumes: dict[str, Decimal], problems: list[str]) -> dict:
    if not volumes:
        return {"preview": None, "problems": problems}
    preview = engine.mix_preview(volumes, request.clinic, request.clinic.today())
    return {
        "preview": preview,
        "problems": problems,
        "concentrations": [
            (ingredient.name, format_quantity(value) if value is not None else None)
            for ingredient, value in preview.concentrations
        ],
        "limits": _by_product(preview),
    }


def _by_product(preview: engine.MixPreview) -> list[tuple[str, list[dict]]]:
    """The effective limits of each product in the mix, for the panel (product by product)."""
    grouped: dict[str, list[dict]] = {}
    for product, limit in preview.limits:
        grouped.setdefault(product.name, []).append(
            {
                "summary": summarise_core(limit),
                "blocks": limit.judged is Severity.BLOCK,
                "origin": limit.origin.value,
                "source": limit.source,
            }
        )
    return list(grouped.items())


def _versions(cocktail):
    return cocktail.versions.select_related("created_by").prefetch_related(
        Prefetch("components", queryset=CocktailComponent.objects.select_related("product"))
    )


@member_required
def cocktail_detail(request, slug: str):
    cocktail = get_cocktail(request.membership, slug)
    return _version_page(request, cocktail, _versions(cocktail).first())


@member_required
def cocktail_version(request, slug: str, number: int):
    cocktail = get_cocktail(request.membership, slug)
    version = _versions(cocktail).filter(number=number).first()
    if version is None:
        raise Http404("No such version of this cocktail.")
    return _version_page(request, cocktail, version)


def _version_page(request, cocktail, version):
    volumes = {c.product.slug: c.volume_ml for c in version.components.all()} if version else {}
    context = {
        "cocktail": cocktail,
        "version": version,
        "history": cocktail.versions.select_related("created_by").order_by("-number"),
        **preview_context(request, volumes, []),
    }
    return render(request, "formulary/cocktail_detail.html", context)
