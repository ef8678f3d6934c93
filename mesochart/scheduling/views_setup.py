"""The clinic admin's calendar set-up pages (``schedule.edit``): rooms, appointment types,
the feed's names switch, and each practitioner's weekly hours, exceptions and leave.

Each view fetches through ``scheduling.access`` and writes through ``scheduling.resources``;
a refusal shows the page again (200, as the other pages do) with the form as typed and the
rule in the page's words.
No page here shows a patient, so none writes an audit ``read`` row (the writes are audited).
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mesochart.accounts.decorators import member_required
from mesochart.lib.errors import page_lines
from mesochart.lib.requests import ClinicRequest
from mesochart.scheduling import resources
from mesochart.scheduling.access import (
    SETUP,
    all_rooms_of,
    all_types_of,
    availability_of,
    practitioner_to_edit,
    practitioners_of,
    require,
    room_to_edit,
    type_to_edit,
)
from mesochart.scheduling.forms_setup import (
    LABELS,
    ROOM_LABELS,
    WEEKDAYS,
    ExceptionForm,
    HoursForm,
    LeaveForm,
    OptionsForm,
    RoomForm,
    TypeForm,
)
from mesochart.scheduling.models import DayException, Leave, WorkingHours


def _posted(request: ClinicRequest) -> dict[str, Any]:
    return request.POST.dict()


def _try(request: ClinicRequest, write: Callable[[], Any], done: str, labels=LABELS) -> list[str]:
    """Run ``write``; the refusal's lines in the page's words, or none and ``done`` said."""
    try:
        write()
    except ValidationError as error:
        return page_lines(error, labels)
    messages.success(request, done)
    return []


# The clinic's page: rooms, types, options, practitioners


def _setup_page(request: ClinicRequest, *, failed: str = "", errors=()) -> HttpResponse:
    clinic = request.membership.clinic
    posted = _posted(request) if failed else {}
    options = resources.options_of(clinic)
    context = {
        "rooms": all_rooms_of(clinic),
        "types": all_types_of(clinic),
        "people": practitioners_of(clinic),
        "room_form": RoomForm(initial=posted if failed == "room" else None, auto_id="room_%s"),
        "type_form": TypeForm(initial=posted if failed == "type" else None, auto_id="type_%s"),
        "options_form": OptionsForm(
            initial={"feed_shows_patient_names": options.feed_shows_patient_names},
            auto_id="options_%s",
        ),
        "failed": failed,
        "failed_room": int(failed[5:]) if failed.startswith("room-") else None,
        "errors": errors,
    }
    return render(request, "scheduling/setup.html", context)


@member_required
def setup_view(request: ClinicRequest):
    require(request.membership, SETUP)
    return _setup_page(request)


def _then_setup(request: ClinicRequest, failed: str, errors: list[str]) -> HttpResponse:
    if errors:
        return _setup_page(request, failed=failed, errors=errors)
    return redirect("scheduling:setup")


@require_POST
@member_required
def room_add(request: ClinicRequest):
    membership = request.membership
    require(membership, SETUP)
    errors = _try(
        request,
        lambda: resources.save_room(request.actor, _posted(request)),
        _("The room was added."),
        ROOM_LABELS,
    )
    return _then_setup(request, "room", errors)


@require_POST
@member_required
def room_edit(request: ClinicRequest, pk: int):
    membership = request.membership
    room = room_to_edit(membership, pk)
    errors = _try(
        request,
        lambda: resources.save_room(request.actor, _posted(request), room),
        _("The room was renamed."),
        ROOM_LABELS,
    )
    return _then_setup(request, f"room-{room.pk}", errors)


@require_POST
@member_required
def room_retire(request: ClinicRequest, pk: int):
    membership = request.membership
    room = room_to_edit(membership, pk)
    if room.active:
        kept = resources.retire_room(request.actor, room)
        messages.success(
            request, _("The room was retired.") if kept else _("The room was removed.")
        )
    else:
        resources.restore_room(request.actor, room)
        messages.success(request, _("The room is back on the calendar."))
    return redirect("scheduling:setup")


@require_POST
@member_required
def type_add(request: ClinicRequest):
    membership = request.membership
    require(membership, SETUP)
    errors = _try(
        request,
        lambda: resources.save_type(request.actor, _posted(request)),
        _("The appointment type was added."),
    )
    return _then_setup(request, "type", errors)


@member_required
def type_edit(request: ClinicRequest, pk: int):
    membership = request.membership
    type_ = type_to_edit(membership, pk)
    errors: list[str] = []
    if request.method == "POST":
        errors = _try(
            request,
            lambda: resources.save_type(request.actor, _posted(request), type_),
            _("The appointment type was saved."),
        )
        if not errors:
            return redirect("scheduling:setup")
    fields = ("name", "kind", "duration_minutes", "buffer_before_minutes", "buffer_after_minutes")
    initial = _posted(request) if errors else {f: getattr(type_, f) for f in fields}
    context = {"type": type_, "form": TypeForm(initial=initial), "errors": errors}
    return render(request, "scheduling/setup_type.html", context)


@require_POST
@member_required
def type_retire(request: ClinicRequest, pk: int):
    membership = request.membership
    type_ = type_to_edit(membership, pk)
    if type_.active:
        kept = resources.retire_type(request.actor, type_)
        done = _("The appointment type was retired.") if kept else _("The type was removed.")
        messages.success(request, done)
    else:
        resources.restore_type(request.actor, type_)
        messages.success(request, _("The appointment type can be booked again."))
    return redirect("scheduling:setup")


@require_POST
@member_required
def options_edit(request: ClinicRequest):
    membership = request.membership
    require(membership, SETUP)
    errors = _try(
        request,
        lambda: resources.save_options(request.actor, _posted(request)),
        _("The calendar options were saved."),
    )
    return _then_setup(request, "options", errors)


# One practitioner's hours, exceptions and leave

ADD: dict[str, tuple[Callable[..., Any], Any]] = {
    "hours": (resources.add_hours, gettext_lazy("The working hours were added.")),
    "exception": (resources.add_exception, gettext_lazy("The exception was added.")),
    "leave": (resources.add_leave, gettext_lazy("The leave was added.")),
}


def _person_page(request: ClinicRequest, person, *, failed: str = "", errors=()) -> HttpResponse:
    clinic = request.membership.clinic
    posted = _posted(request) if failed else None
    mine = {"clinic": clinic, "practitioner": person}
    context = {
        "person": person,
        "hours": WorkingHours.objects.of(clinic, person).order_by("weekday", "starts"),
        "weekdays": dict(WEEKDAYS),
        "exceptions": DayException.objects.filter(**mine).order_by("-date", "starts"),
        "leave": Leave.objects.filter(**mine).order_by("-first_day"),
        "hours_form": HoursForm(initial=posted if failed == "hours" else None, auto_id="hours_%s"),
        "exception_form": ExceptionForm(
            initial=posted if failed == "exception" else None, auto_id="exception_%s"
        ),
        "leave_form": LeaveForm(initial=posted if failed == "leave" else None, auto_id="leave_%s"),
        "failed": failed,
        "errors": errors,
    }
    return render(request, "scheduling/setup_person.html", context)


@member_required
def person_view(request: ClinicRequest, user_pk: int):
    person = practitioner_to_edit(request.membership, user_pk)
    return _person_page(request, person)


@require_POST
@member_required
def person_add(request: ClinicRequest, user_pk: int, kind: str):
    membership = request.membership
    person = practitioner_to_edit(membership, user_pk)
    if kind not in ADD:
        raise Http404("No such kind of availability.")
    action, done = ADD[kind]
    errors = _try(request, lambda: action(request.actor, person, _posted(request)), str(done))
    if errors:
        return _person_page(request, person, failed=kind, errors=errors)
    return redirect("scheduling:setup_person", user_pk=person.pk)


@require_POST
@member_required
def person_remove(request: ClinicRequest, user_pk: int, kind: str, pk: int):
    membership = request.membership
    person = practitioner_to_edit(membership, user_pk)
    row = availability_of(membership, person, kind, pk)
    resources.remove_availability(request.actor, row)
    messages.success(request, _("Removed."))
    return redirect("scheduling:setup_person", user_pk=person.pk)
