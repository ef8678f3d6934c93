"""The clinic's aftercare sheet of a protocol: read its versions, write the next one."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mesochart.accounts.decorators import member_required
from mesochart.planning import aftercare
from mesochart.planning.access import get_protocol, require
from mesochart.planning.models import AftercareSheet


@member_required
def aftercare_edit(request, pk: int):
    """The sheet's editor: the current text (or the generic start), and every version."""
    membership = request.membership
    require(membership, "aftercare.edit")
    protocol = get_protocol(membership, pk)
    sheet = aftercare.current(membership.clinic, protocol)
    initial = {
        "text": sheet.text if sheet else aftercare.DEFAULT_TEXT,
        "version": sheet.version if sheet else 0,
    }
    form = aftercare.AftercareForm(initial=initial)
    status = 200
    if request.method == "POST":
        try:
            saved = aftercare.save_sheet(request.actor, protocol, request.POST.dict())
        except ValidationError as error:
            form = _with_errors(aftercare.AftercareForm(request.POST), error)
            status = 422
        else:
            messages.success(
                request, _("Version %(v)s of the aftercare sheet was saved.") % {"v": saved.version}
            )
            return redirect("planning:aftercare_edit", pk=protocol.pk)
    versions = AftercareSheet.objects.filter(
        clinic=membership.clinic, protocol__in=[p for p in (protocol.pk, protocol.based_on_id) if p]
    ).select_related("updated_by")
    context = {"form": form, "protocol": protocol, "sheet": sheet, "versions": versions}
    return render(request, "planning/aftercare_form.html", context, status=status)


def _with_errors(form, error: ValidationError):
    """The bound form with the action's errors on their fields, as the form shows its own."""
    form.is_valid()
    for field, problems in error.message_dict.items():
        target = field if field in form.fields else None
        for problem in problems:
            if target is None or problem not in form.errors.get(target, []):
                form.add_error(None if field == NON_FIELD_ERRORS else target, problem)
    return form
