"""Calendar pages: day and week views, booking, a plan's series, move, cancel.

Each view fetches through ``scheduling.access`` / ``patients.access`` and writes through
``scheduling.actions``. Every page that shows patients' names writes one audit ``read``
row naming them. The day/week grid answers htmx with its fragment; dragging an appointment
(static/mesochart/calendar-drag.js) posts the move form and swaps in the answer.
"""

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mesochart.accounts.decorators import member_required
from mesochart.lib.errors import page_lines
from mesochart.patients.access import get_patient, patients_for
from mesochart.scheduling import actions
from mesochart.scheduling.access import (
    appointments_for,
    get_appointment,
    plan_to_book,
    practitioners_of,
    require,
    rooms_of,
)
from mesochart.scheduling.calendar import zone_of
from mesochart.scheduling.forms import LABELS, BookForm, CancelForm, MoveForm, SeriesForm
from mesochart.scheduling.models import Room


def clinic_time(view):
    """Dates and times on the page, and those typed into its forms, in the clinic's zone."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with timezone.override(zone_of(request.membership.clinic)):
            return view(request, *args, **kwargs)

    return wrapper


DAY_STARTS, DAY_ENDS = dt.time(8), dt.time(19)  # the grid's hours


def _read(request, what: str, patients, **detail) -> None:
    actions.record_read(request.actor, what, patients, **detail)


def _day_of(request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return request.membership.clinic.today()


def _block(appointment, zone) -> dict:
    start = appointment.starts_at.astimezone(zone)
    top = (start.hour - DAY_STARTS.hour) * 60 + start.minute
    minutes = int((appointment.ends_at - appointment.starts_at).total_seconds() // 60)
    return {
        "appointment": appointment,
        "top": max(top, 0),
        "height": max(minutes, 15),
        "time": start.strftime("%H:%M"),
    }


def _columns(request, span: str, day: dt.date):
    """The grid's columns: practitioners (or rooms) for a day, days for a week."""
    clinic = request.membership.clinic
    zone = zone_of(clinic)
    practitioner_id, room_id = request.GET.get("practitioner"), request.GET.get("room")
    people = practitioners_of(clinic)
    rooms = rooms_of(clinic)
    if span == "week":
        days = [day - dt.timedelta(days=day.weekday()) + dt.timedelta(days=i) for i in range(7)]
    else:
        days = [day]
    start = dt.datetime.combine(days[0], dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    rows = (
        appointments_for(request.membership)
        .holding_time()
        .overlapping(start, end)
        .select_related("patient", "type", "room", "practitioner")
        .order_by("starts_at")
    )
    if room_id and room_id.isdecimal():
        rows = rows.filter(room_id=int(room_id))
        chosen = [r for r in rooms if str(r.pk) == room_id]
    elif practitioner_id and practitioner_id.isdecimal():
        rows = rows.filter(practitioner_id=int(practitioner_id))
        chosen = [p for p in people if str(p.pk) == practitioner_id]
    else:
        chosen = list(rooms) if request.GET.get("by") == "room" else list(people)
    rows = list(rows)
    columns = []
    if span == "week":
        for d in days:
            blocks = [_block(a, zone) for a in rows if a.starts_at.astimezone(zone).date() == d]
            columns.append({"label": d.strftime("%a %d %b"), "date": d, "blocks": blocks})
    else:
        for who in chosen:
            columns.append(_resource_column(who, day, [_block(a, zone) for a in rows]))
    return columns, rows, people, rooms, days


def _resource_column(who, day: dt.date, blocks) -> dict:
    """A day view's column of one room or one practitioner: a drop on its lane moves the
    appointment to that room or practitioner (`calendar-drag.js` reads ``data-…``)."""
    if isinstance(who, Room):
        mine = [b for b in blocks if b["appointment"].room_id == who.pk]
        return {"label": who.name, "date": day, "blocks": mine, "room": who.pk}
    mine = [b for b in blocks if b["appointment"].practitioner_id == who.pk]
    label = who.get_full_name() or who.username
    return {"label": label, "date": day, "blocks": mine, "practitioner": who.pk}


@member_required
@clinic_time
def calendar_view(request, span: str = "day"):
    """The day (columns per practitioner) or week (columns per day) view of the clinic."""
    require(request.membership, "appointment.view")
    day = _day_of(request)
    columns, rows, people, rooms, _days = _columns(request, span, day)
    _read(request, span, [a.patient_id for a in rows], date=day.isoformat())
    step = dt.timedelta(days=7 if span == "week" else 1)
    context = {
        "span": span,
        "day": day,
        "previous": day - step,
        "next": day + step,
        "columns": columns,
        "hours": [f"{h:02d}:00" for h in range(DAY_STARTS.hour, DAY_ENDS.hour)],
        "grid_height": (DAY_ENDS.hour - DAY_STARTS.hour) * 60,
        "people": people,
        "rooms": rooms,
        "chosen_practitioner": request.GET.get("practitioner", ""),
        "chosen_room": request.GET.get("room", ""),
        "by_room": request.GET.get("by") == "room",
        "can_book": True,
    }
    template = "scheduling/_grid.html" if request.htmx else "scheduling/calendar.html"
    return render(request, template, context)


@member_required
@clinic_time
def book_view(request):
    """Book one appointment for a patient of this clinic."""
    membership = request.membership
    require(membership, "appointment.book")
    form = BookForm(request.POST or None, clinic=membership.clinic)
    patients = patients_for(membership).order_by("family_name", "given_name")[:500]
    errors = []
    if request.method == "POST" and not request.POST.get("patient"):
        errors = [_("Patient: choose a patient")]
    elif request.method == "POST":
        patient = get_patient(membership, request.POST.get("patient"))
        try:
            appointment = actions.book(request.actor, patient, request.POST.dict())
        except ValidationError as error:
            errors = page_lines(error, LABELS)
        else:
            messages.success(request, _("Booked."))
            day = appointment.starts_at.astimezone(zone_of(membership.clinic)).date()
            return redirect(f"/schedule/?date={day.isoformat()}")
    _read(request, "book", [p.pk for p in patients])
    context = {"form": form, "patients": patients, "errors": errors}
    return render(request, "scheduling/book.html", context)


@member_required
@clinic_time
def series_view(request, plan_pk: int):
    """Book the whole series of an approved plan in one step."""
    membership = request.membership
    plan = plan_to_book(membership, plan_pk)
    form = SeriesForm(request.POST or None, clinic=membership.clinic)
    errors = []
    if request.method == "POST":
        try:
            booked = actions.book_series(request.actor, plan, request.POST.dict())
        except ValidationError as error:
            errors = page_lines(error, LABELS)
        else:
            messages.success(request, _("The series is booked."))
            day = booked[0].starts_at.astimezone(zone_of(membership.clinic)).date()
            return redirect(f"/schedule/week/?date={day.isoformat()}")
    _read(request, "series", [plan.patient_id], plan=plan.pk)
    context = {"form": form, "plan": plan, "sessions": plan.sessions.all(), "errors": errors}
    return render(request, "scheduling/series.html", context)


@member_required
@clinic_time
def appointment_view(request, pk: int):
    """One appointment: when, who, its state; move and cancel forms."""
    appointment = get_appointment(request.membership, pk)
    _read(request, "appointment", [appointment.patient_id], appointment=appointment.pk)
    zone = zone_of(request.membership.clinic)
    context = {
        "appointment": appointment,
        "starts": appointment.starts_at.astimezone(zone),
        "move_form": MoveForm(
            None,
            clinic=appointment.clinic,
            initial={"practitioner": appointment.practitioner_id, "room": appointment.room_id},
        ),
        "cancel_form": CancelForm(),
        "attendance": actions.attendance(appointment.patient),
    }
    return render(request, "scheduling/appointment.html", context)


@require_POST
@member_required
@clinic_time
def move_view(request, pk: int):
    """Move to a new start; htmx (the drag) gets the answer as a fragment."""
    appointment = get_appointment(request.membership, pk, "appointment.book")
    errors = []
    try:
        actions.move_appointment(request.actor, appointment, request.POST.dict())
    except ValidationError as error:
        errors = page_lines(error, LABELS)
    if request.htmx:
        context = {"errors": errors, "appointment": appointment}
        return render(request, "scheduling/_move_result.html", context, status=200)
    if errors:
        for line in errors:
            messages.error(request, line)
    else:
        messages.success(request, _("Moved."))
    return redirect("scheduling:appointment", pk=appointment.pk)


@require_POST
@member_required
@clinic_time
def cancel_view(request, pk: int):
    appointment = get_appointment(request.membership, pk, "appointment.book")
    try:
        actions.cancel_appointment(request.actor, appointment, request.POST.dict())
    except ValidationError as error:
        for line in page_lines(error, LABELS):
            messages.error(request, line)
    else:
        messages.success(request, _("Cancelled."))
    return redirect("scheduling:appointment", pk=appointment.pk)
