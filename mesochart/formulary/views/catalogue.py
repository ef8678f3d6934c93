"""Browse the formulary, a product's page, an organisation's own products, a clinic's limits."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import formset_factory
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from mesochart.accounts.decorators import member_required
from mesochart.formulary import actions, engine
from mesochart.formulary.access import (
    get_own_product,
    get_product,
    lots_for,
    products_for,
    require,
)
from mesochart.formulary.forms import ClinicLimitForm, CompositionForm, ProductForm
from mesochart.formulary.models import Limit, Product
from mesochart.formulary.views.rows import bind_errors, filled_rows

CompositionFormSet = formset_factory(CompositionForm, extra=0)
EXTRA_ROWS = 2


def _entries(products, clinic) -> list[dict]:
    """Each product with its effective limits, for the templates (queries do not grow)."""
    rows = engine.products_with_limits(products, clinic)
    return [{"product": row, "limits": engine.effective_limits(row.limits.all())} for row in rows]


@member_required
def product_list(request):
    query = request.GET.get("q", "").strip()
    products = products_for(request.membership).filter(active=True)
    if query:
        products = products.filter(Q(name__icontains=query) | Q(slug__icontains=query))
    context = {
        "entries": _entries(products.order_by("name", "pk"), request.clinic),
        "query": query,
    }
    template = "formulary/_product_rows.html" if request.htmx else "formulary/product_list.html"
    return render(request, template, context)


@member_required
def product_detail(request, slug: str):
    product = get_product(request.membership, slug)
    (entry,) = _entries(Product.objects.filter(pk=product.pk), request.clinic)
    today = request.clinic.today()
    lots = (
        lots_for(request.membership)
        .filter(product=product)
        .with_on_hand()
        .order_by("expires_on", "lot_number")
    )
    context = {
        **entry,
        "own": product.organisation_id == request.clinic.organisation_id,
        "lots": [(lot, lot.expiry_status(today)) for lot in lots],
    }
    return render(request, "formulary/product_detail.html", context)


@member_required
def product_create(request):
    return _product_form(request, None)


@member_required
def product_edit(request, slug: str):
    return _product_form(request, get_own_product(request.membership, slug))


def _product_form(request, product: Product | None):
    membership = request.membership
    require(membership, "formulary.edit")
    organisation = membership.clinic.organisation
    kwargs: dict[str, Any] = {
        "form_kwargs": {"organisation": organisation},
        "prefix": "composition",
    }
    if request.method == "POST":
        form = ProductForm(request.POST, instance=product, organisation=organisation)
        data = request.POST.copy()
        if "add_row" in data:
            data["composition-TOTAL_FORMS"] = str(int(data.get("composition-TOTAL_FORMS", 0)) + 1)
        rows = CompositionFormSet(data, **kwargs)
        if "add_row" not in request.POST:
            composition, positions = filled_rows(rows)
            try:
                # The QueryDict itself: excipients is a multiple choice.
                saved = actions.save_product(request.actor, request.POST, composition, product)
            except ValidationError as error:
                bind_errors(form, rows, positions, error)
            else:
                messages.success(request, _("%(name)s was saved.") % {"name": saved.name})
                return redirect("formulary:product", slug=saved.slug)
    else:
        form = ProductForm(instance=product, organisation=organisation)
        initial = [
            {
                "ingredient": item.ingredient.slug,
                "strength": item.strength or "",
                "source": item.source,
                "note": item.note,
            }
            for item in (product.composition.select_related("ingredient") if product else [])
        ]
        rows = formset_factory(CompositionForm, extra=EXTRA_ROWS)(initial=initial, **kwargs)
    context = {"form": form, "rows": rows, "product": product}
    return render(request, "formulary/product_form.html", context)


@member_required
def clinic_limit(request, slug: str):
    """Set the clinic's own limit on a product (stricter than a label, never looser)."""
    product = get_product(request.membership, slug, "formulary.edit")
    shipped = list(product.limits.shipped())
    if request.method == "POST":
        form = ClinicLimitForm(request.POST, product=product, shipped=shipped)
        try:
            actions.set_clinic_limit(request.actor, product, request.POST.dict())
        except ValidationError as error:
            bind_errors(form, None, [], error)
        else:
            messages.success(request, _("The clinic limit was saved; it applies from now on."))
            return redirect("formulary:product", slug=product.slug)
    else:
        form = ClinicLimitForm(
            initial=_tighten(request.GET, shipped), product=product, shipped=shipped
        )
    own = Limit.objects.filter(product=product, clinic=request.clinic)
    context = {"product": product, "form": form, "shipped": shipped, "own": own}
    return render(request, "formulary/clinic_limit_form.html", context)


def _tighten(params, shipped: list[Limit]) -> dict:
    """The form's start when "Tighten" was chosen on a shipped limit: that limit's values."""
    key = (params.get("kind", ""), params.get("ingredient") or None)
    label = next((row for row in shipped if row.key == key), None)
    if label is None:
        return {"kind": key[0], "severity": "block"}
    values = {name: getattr(label, name) for name in ("kind", "ingredient", "maximum", "minimum")}
    values.update(
        per_kg=label.per_kg,
        count=label.count,
        days=label.days,
        months=label.months,
        names=", ".join(label.names),
        severity="block",
    )
    return values


@member_required
@require_POST
def clinic_limit_remove(request, slug: str, pk: int):
    product = get_product(request.membership, slug, "formulary.edit")
    actions.remove_clinic_limit(request.actor, product, pk)
    messages.success(request, _("The clinic limit was removed; the shipped limit applies again."))
    return redirect("formulary:product", slug=product.slug)
