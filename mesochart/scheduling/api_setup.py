"""The calendar's rooms and appointment types over the JSON API (mounted at
``/api/v1/schedule``): every role of the clinic lists them (the front desk books with
their ids); only the clinic's admin adds or changes one, through `scheduling.resources`,
so a refusal reads ``field: rule`` in the same words as the set-up page.
"""

from django.db import transaction
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from mesochart.lib.requests import ClinicRequest
from mesochart.scheduling import resources
from mesochart.scheduling.access import (
    all_rooms_of,
    all_types_of,
    require,
    room_to_edit,
    type_to_edit,
)
from mesochart.scheduling.models import AppointmentType, Room

router = Router(tags=["scheduling"])


class RoomIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str


class RoomPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    active: bool | None = Field(default=None, description="false retires, true restores")


class RoomOut(Schema):
    id: int
    name: str
    active: bool


class TypeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str
    kind: str = Field(description="session, consultation, follow_up or photo")
    duration_minutes: int = Field(description="more than 0")
    buffer_before_minutes: int = Field(default=0, description="preparation, 0 or more")
    buffer_after_minutes: int = Field(default=0, description="cleaning, 0 or more")


class TypePatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    kind: str | None = None
    duration_minutes: int | None = None
    buffer_before_minutes: int | None = None
    buffer_after_minutes: int | None = None
    active: bool | None = Field(default=None, description="false retires, true restores")


class TypeOut(Schema):
    id: int
    name: str
    kind: str
    duration_minutes: int
    buffer_before_minutes: int
    buffer_after_minutes: int
    active: bool


TYPE_FIELDS = ("name", "kind", "duration_minutes", "buffer_before_minutes", "buffer_after_minutes")


@router.get("/rooms", response=list[RoomOut])
def list_rooms(request: ClinicRequest):
    """The clinic's rooms, retired ones last (``active`` false)."""
    require(request.membership, "appointment.view")
    return list(all_rooms_of(request.membership.clinic))


@router.post("/rooms", response={201: RoomOut})
def add_room(request: ClinicRequest, payload: RoomIn):
    return Status(201, resources.save_room(request.actor, payload.dict()))


@router.patch("/rooms/{int:room_id}", response=RoomOut)
def change_room(request: ClinicRequest, room_id: int, payload: RoomPatch):
    """Rename, retire (``active`` false; deleted instead if no appointment names it, and then
    answered as it was) or restore a room."""
    membership = request.membership
    room = room_to_edit(membership, room_id)
    with transaction.atomic():  # a rename and a retirement together, or neither
        return _change_room(membership, room, payload, request)


def _change_room(membership, room: Room, payload: RoomPatch, request) -> Room | RoomOut:
    if payload.name is not None:
        room = resources.save_room(request.actor, {"name": payload.name}, room)
    if payload.active is False and room.active:
        answer = RoomOut(id=room.pk, name=room.name, active=False)  # as it was, if deleted
        resources.retire_room(request.actor, room)
        return answer
    if payload.active and not room.active:
        room = resources.restore_room(request.actor, room)
    return room


@router.get("/appointment-types", response=list[TypeOut])
def list_types(request: ClinicRequest):
    """The clinic's appointment types, retired ones last (``active`` false)."""
    require(request.membership, "appointment.view")
    return list(all_types_of(request.membership.clinic))


@router.post("/appointment-types", response={201: TypeOut})
def add_type(request: ClinicRequest, payload: TypeIn):
    row = resources.save_type(request.actor, payload.dict())
    return Status(201, row)


@router.patch("/appointment-types/{int:type_id}", response=TypeOut)
def change_type(request: ClinicRequest, type_id: int, payload: TypePatch):
    """Change any of the fields given (the others keep their values), retire or restore."""
    membership = request.membership
    type_ = type_to_edit(membership, type_id)
    with transaction.atomic():  # the fields and a retirement together, or neither
        return _change_type(membership, type_, payload, request)


def _change_type(
    membership, type_: AppointmentType, payload: TypePatch, request
) -> AppointmentType | TypeOut:
    given = payload.dict(exclude_none=True)
    if set(given) & set(TYPE_FIELDS):
        data = {field: given.get(field, getattr(type_, field)) for field in TYPE_FIELDS}
        type_ = resources.save_type(request.actor, data, type_)
    if payload.active is False and type_.active:
        answer = TypeOut.model_validate(type_).model_copy(update={"active": False})
        resources.retire_type(request.actor, type_)
        return answer
    if payload.active and not type_.active:
        type_ = resources.restore_type(request.actor, type_)
    return type_
