"""The clinic's own patient-reported items: list and define, edit (a new version once
answered), retire. Reading them needs ``outcome.view``; changing them ``outcome.item.edit``
(practitioners and the owner). No patient is shown, so no read is audited."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mesochart.accounts.decorators import member_required
from mesochart.accounts.roles import allows
from mesochart.lib.errors import page_lines
from mesochart.outcomes import items
from mesochart.outcomes.access import get_item, items_for

LABELS = {
    "slug": gettext_lazy("Short name"),
    "question": gettext_lazy("Question shown to the patient"),
    "response": gettext_lazy("Answer"),
    "better": gettext_lazy("Better when"),
    "maximum": gettext_lazy("Top of the scale"),
    "low_anchor": gettext_lazy("Words at 0"),
    "high_anchor": gettext_lazy("Words at the top"),
    "levels": gettext_lazy("Levels, one a line"),
    "item": gettext_lazy("Item"),
}


def _page(request, *, current=None, errors=(), posted=None, status=200):
    rows = list(items_for(request.membership).order_by("slug", "-version"))
    context = {
        "rows": rows,
        "current": current,
        "errors": [str(line) for line in errors],
        "posted": posted or {},
        "labels": LABELS,
        "can_edit": allows(request.membership.role, items.EDIT),
    }
    return render(request, "outcomes/items.html", context, status=status)


@member_required
def item_list(request):
    if request.method != "POST":
        return _page(request)
    try:
        row = items.define_item(request.actor, request.POST.dict())
    except ValidationError as error:
        return _page(request, errors=page_lines(error, LABELS), posted=request.POST, status=422)
    messages.success(request, _("Item saved: %s") % row.question)
    return redirect("outcomes:items")


@member_required
def item_edit(request, slug: str):
    current = get_item(request.membership, slug)
    if request.method != "POST":
        return _page(request, current=current)
    try:
        row = items.edit_item(request.actor, current, request.POST.dict())
    except ValidationError as error:
        lines = page_lines(error, LABELS)
        return _page(request, current=current, errors=lines, posted=request.POST, status=422)
    messages.success(request, _("Saved as version %s") % row.version)
    return redirect("outcomes:items")


@member_required
@require_POST
def item_retire(request, slug: str):
    current = get_item(request.membership, slug)
    items.retire_item(request.actor, current)
    messages.success(request, _("Retired: no longer offered; its answers are kept"))
    return redirect("outcomes:items")
