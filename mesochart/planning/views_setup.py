"""The clinic's planning set-up: protocols (shipped and its own) and opening days."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from mesochart.accounts.decorators import member_required
from mesochart.lib.errors import page_lines
from mesochart.planning import actions
from mesochart.planning.access import get_protocol, protocols_for, require
from mesochart.planning.forms import CalendarForm, ProtocolForm
from mesochart.planning.models import ClinicCalendar


@member_required
def protocol_list(request):
    protocols = protocols_for(request.membership).order_by("indication", "name", "pk")
    return render(request, "planning/protocol_list.html", {"protocols": protocols})


@member_required
def protocol_edit(request, pk: int | None = None):
    """Edit the clinic's own protocol; editing a shipped one saves the clinic's copy."""
    membership = request.membership
    require(membership, "protocol.edit")
    protocol = get_protocol(membership, pk) if pk is not None else None
    form = ProtocolForm(request.POST or None, instance=protocol)
    errors = []
    if request.method == "POST":
        try:
            saved = actions.save_protocol(request.actor, request.POST.dict(), protocol)
        except ValidationError as error:
            errors = page_lines(error, form=form)
        else:
            messages.success(
                request, _("%(name)s was saved for this clinic.") % {"name": saved.name}
            )
            return redirect("planning:protocols")
    context = {"form": form, "protocol": protocol, "errors": errors}
    return render(request, "planning/protocol_form.html", context)


@member_required
def calendar_edit(request):
    membership = request.membership
    require(membership, "calendar.edit")
    calendar = ClinicCalendar.objects.filter(clinic=membership.clinic).first()
    initial = {
        "opening_weekdays": calendar.opening_weekdays
        if calendar
        else list(ClinicCalendar.DEFAULT_WEEKDAYS),
        "closed_dates": "\n".join(calendar.closed_dates) if calendar else "",
    }
    form = CalendarForm(request.POST or None, initial=initial)
    errors = []
    if request.method == "POST":
        data = request.POST.copy()
        try:
            actions.save_calendar(
                request.actor,
                {
                    "opening_weekdays": data.getlist("opening_weekdays"),
                    "closed_dates": data.get("closed_dates", ""),
                },
            )
        except ValidationError as error:
            errors = page_lines(error)
        else:
            messages.success(request, _("Opening days were saved."))
            return redirect("planning:calendar")
    return render(request, "planning/calendar.html", {"form": form, "errors": errors})
