"""The calendar over the JSON API: appointments, free slots, a plan's series, move, cancel.

Mounted at ``/api/v1/schedule``. Every endpoint goes through ``scheduling.access`` /
``patients.access`` and writes through ``scheduling.actions``, so errors read ``field: rule``
like the pages; answers that name patients write an audit ``read`` row.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from mesochart.core.slots import SlotError
from mesochart.lib.requests import ClinicRequest
from mesochart.patients.access import get_patient
from mesochart.scheduling import actions, calendar
from mesochart.scheduling.access import (
    appointments_for,
    get_appointment,
    plan_to_book,
    practitioners_of,
    require,
    rooms_of,
    types_of,
)

router = Router(tags=["scheduling"])


class AppointmentOut(Schema):
    id: int
    patient: int = Field(alias="patient_id")
    practitioner: int = Field(alias="practitioner_id")
    room: int | None = Field(alias="room_id")
    type: int = Field(alias="type_id")
    type_name: str = Field(alias="type.name")
    kind: str = Field(alias="type.kind")
    starts_at: dt.datetime
    ends_at: dt.datetime
    state: str
    plan: int | None = Field(alias="plan_id")
    plan_session_index: int | None
    override_reason: str


class AppointmentBookIn(Schema):
    patient: int
    practitioner: int
    type: int
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    room: int | None = None
    plan: int | None = None
    override_reason: str = ""


class AppointmentSeriesIn(Schema):
    practitioner: int
    type: int
    time: dt.time
    room: int | None = None
    follow_up_type: int | None = None
    follow_up_weeks: int | None = Field(default=None, ge=1)


class AppointmentMoveIn(Schema):
    starts_at: dt.datetime
    practitioner: int | None = None  # another practitioner of the clinic; none: the same
    room: int | None = None  # another room; none: the same
    override_reason: str = ""


class AppointmentCancelIn(Schema):
    reason: str
    by_patient: bool = False


class FreeSlotOut(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime


def _data(payload: Schema) -> dict:
    return {k: ("" if v is None else v) for k, v in payload.dict().items()}


@router.get("/appointments", response=list[AppointmentOut])
def list_appointments(
    request: ClinicRequest, date: dt.date, days: int = Query(1, ge=1, le=31), practitioner: int = 0
):
    """The clinic's appointments holding time from ``date`` for ``days`` days."""
    zone = calendar.zone_of(request.membership.clinic)
    start = dt.datetime.combine(date, dt.time(0), tzinfo=zone)
    rows = appointments_for(request.membership).holding_time()
    rows = rows.overlapping(start, start + dt.timedelta(days=days)).select_related("type")
    if practitioner:
        rows = rows.filter(practitioner_id=practitioner)
    rows = list(rows.order_by("starts_at"))
    actions.record_read(request.actor, "api", [a.patient_id for a in rows])
    return rows


@router.post("/appointments", response={201: AppointmentOut})
def book(request: ClinicRequest, payload: AppointmentBookIn):
    membership = request.membership
    require(membership, "appointment.book")
    patient = get_patient(membership, payload.patient)
    plan = plan_to_book(membership, payload.plan) if payload.plan else None
    appointment = actions.book(request.actor, patient, _data(payload), plan=plan)
    return Status(201, appointment)


@router.get("/appointments/{int:appointment_id}", response=AppointmentOut)
def read_appointment(request: ClinicRequest, appointment_id: int):
    appointment = get_appointment(request.membership, appointment_id)
    actions.record_read(request.actor, "api", [appointment.patient_id])
    return appointment


@router.post("/appointments/{int:appointment_id}/move", response=AppointmentOut)
def move(request: ClinicRequest, appointment_id: int, payload: AppointmentMoveIn):
    appointment = get_appointment(request.membership, appointment_id, "appointment.book")
    return actions.move_appointment(request.actor, appointment, _data(payload))


@router.post("/appointments/{int:appointment_id}/cancel", response=AppointmentOut)
def cancel(request: ClinicRequest, appointment_id: int, payload: AppointmentCancelIn):
    appointment = get_appointment(request.membership, appointment_id, "appointment.book")
    return actions.cancel_appointment(request.actor, appointment, _data(payload))


@router.post("/plans/{int:plan_id}/appointments", response={201: list[AppointmentOut]})
def book_series(request: ClinicRequest, plan_id: int, payload: AppointmentSeriesIn):
    """Every session of the approved plan's series (and a follow-up after the last)."""
    plan = plan_to_book(request.membership, plan_id)
    return Status(201, actions.book_series(request.actor, plan, _data(payload)))


@router.get("/free-slots", response=list[FreeSlotOut])
def free_slots(
    request: ClinicRequest,
    practitioner: int,
    type: int,
    date: dt.date,
    days: int = Query(28, ge=1, le=62),
    room: int | None = None,
):
    """Where an appointment of ``type`` fits from ``date`` for ``days`` days (earliest 50)."""
    membership = request.membership
    require(membership, "appointment.view")
    clinic = membership.clinic
    who = get_object_or_404(practitioners_of(clinic), pk=practitioner)
    type_ = get_object_or_404(types_of(clinic), pk=type)
    place = get_object_or_404(rooms_of(clinic), pk=room) if room else None
    zone = calendar.zone_of(clinic)
    start = max(dt.datetime.combine(date, dt.time(0), tzinfo=zone), timezone.now())
    try:
        found = calendar.free_slots(
            clinic, who, place, type_, start, start + dt.timedelta(days=days)
        )
    except SlotError as error:
        raise ValidationError({error.field: [error.rule]}) from None
    return [FreeSlotOut(starts_at=s.start, ends_at=s.end) for s in found]
