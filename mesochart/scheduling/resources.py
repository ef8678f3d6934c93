"""Writes to the calendar's resources, the clinic admin's (``schedule.edit``): rooms,
appointment types, practitioners' weekly hours, a date's exception, leave, and the clinic's
switch for patients' names in the calendar feeds.

Each takes the actor and raw data, validates with `forms_setup`, and writes in
one transaction with its audit row; a refusal raises ``ValidationError`` with
``{field: [rule]}`` and writes nothing. A room or type an appointment names is retired
(``active`` off: no new booking, the old ones keep it), never deleted.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from mesochart.accounts.actor import Actor
from mesochart.accounts.models import User
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.formulary.actions.common import errors_of
from mesochart.scheduling.access import require
from mesochart.scheduling.forms_setup import (
    ExceptionForm,
    HoursForm,
    LeaveForm,
    OptionsForm,
    RoomForm,
    TypeForm,
)
from mesochart.scheduling.models import (
    AppointmentType,
    ClinicOptions,
    DayException,
    Leave,
    Room,
    WorkingHours,
)

PERMISSION = "schedule.edit"
ROOM_TAKEN = _("is already the name of a room of this clinic")
TYPE_TAKEN = _("is already the name of an appointment type of this clinic")


def _clean(form) -> dict[str, Any]:
    errors = errors_of(form)
    if errors:
        raise ValidationError(errors)
    return form.cleaned_data


def _audit(actor: Actor, action: Action, obj: models.Model, **detail) -> None:
    record(
        actor,
        action,
        Category.PLANNING,
        obj=obj,
        detail={"schedule_setup": obj._meta.model_name, **detail},
    )


def _unique(save, field: str, rule) -> None:
    """Save, turning the database's uniqueness refusal (another writer) into the rule."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        raise ValidationError({field: [rule]}) from None


# Rooms


def save_room(actor: Actor, data: dict, room: Room | None = None) -> Room:
    """Add a room (``room`` None) or rename one; a name is used once in a clinic, retired
    rooms included (the old appointments still show it)."""
    require(actor, PERMISSION)
    name = _clean(RoomForm(data))["name"]
    with transaction.atomic():
        taken = Room.objects.filter(clinic=actor.clinic, name__iexact=name)
        if room is not None:
            taken = taken.exclude(pk=room.pk)
        if taken.exists():
            raise ValidationError({"name": [ROOM_TAKEN]})
        row = room or Room(clinic=actor.clinic)
        before = row.name
        row.name = name
        _unique(row.save, "name", ROOM_TAKEN)
        _audit(
            actor,
            Action.UPDATE if room else Action.CREATE,
            row,
            name=name,
            before=before or None,
        )
    return row


def retire_room(actor: Actor, room: Room) -> Room | None:
    """Take a room off the calendar: deleted if nothing ever named it, else retired."""
    require(actor, PERMISSION)
    return _retire(actor, room)


def restore_room(actor: Actor, room: Room) -> Room:
    require(actor, PERMISSION)
    return _restore(actor, room)


# Appointment types


def save_type(actor: Actor, data: dict, type_: AppointmentType | None = None) -> AppointmentType:
    """Add an appointment type or change one (what was booked keeps its own times)."""
    require(actor, PERMISSION)
    clean = _clean(TypeForm(data))
    with transaction.atomic():
        taken = AppointmentType.objects.filter(clinic=actor.clinic, name__iexact=clean["name"])
        if type_ is not None:
            taken = taken.exclude(pk=type_.pk)
        if taken.exists():
            raise ValidationError({"name": [TYPE_TAKEN]})
        row = type_ or AppointmentType(clinic=actor.clinic)
        for field, value in clean.items():
            setattr(row, field, value)
        _unique(row.save, "name", TYPE_TAKEN)
        _audit(actor, Action.UPDATE if type_ else Action.CREATE, row, **clean)
    return row


def retire_type(actor: Actor, type_: AppointmentType) -> AppointmentType | None:
    require(actor, PERMISSION)
    return _retire(actor, type_)


def restore_type(actor: Actor, type_: AppointmentType) -> AppointmentType:
    require(actor, PERMISSION)
    return _restore(actor, type_)


def _retire(actor: Actor, row):
    with transaction.atomic():
        if row.is_referenced():
            row.active = False
            row.save(update_fields=["active"])
            _audit(actor, Action.UPDATE, row, name=row.name, retired=True)
            return row
        _audit(actor, Action.VOID, row, name=row.name, deleted=True)
        row.delete()
    return None


def _restore(actor: Actor, row):
    with transaction.atomic():
        row.active = True
        row.save(update_fields=["active"])
        _audit(actor, Action.UPDATE, row, name=row.name, retired=False)
    return row


# A practitioner's hours, exceptions and leave


def add_hours(actor: Actor, practitioner: User, data: dict):
    """One block of the practitioner's weekly pattern; it may not overlap another block of
    the same weekday (two blocks that touch, 09:00–12:00 and 12:00–17:00, are fine)."""
    require(actor, PERMISSION)
    clean = _clean(HoursForm(data))
    with transaction.atomic():
        _lock(practitioner)
        mine = WorkingHours.objects.of(actor.clinic, practitioner)
        if mine.clashing(clean["weekday"], clean["starts"], clean["ends"]).exists():
            rule = _("overlaps other working hours of this practitioner on that weekday")
            raise ValidationError({"starts": [rule]})
        row = WorkingHours.objects.create(clinic=actor.clinic, practitioner=practitioner, **clean)
        _audit(
            actor,
            Action.CREATE,
            row,
            practitioner=practitioner.pk,
            weekday=row.weekday,
            starts=str(row.starts),
            ends=str(row.ends),
        )
    return row


def add_exception(actor: Actor, practitioner: User, data: dict):
    """A date's hours replaced by this block, or the day off; the blocks of one date may
    not overlap, and a day off is alone on its date."""
    require(actor, PERMISSION)
    clean = _clean(ExceptionForm(data))
    off = clean["day_off"]
    starts, ends = (None, None) if off else (clean["starts"], clean["ends"])
    with transaction.atomic():
        _lock(practitioner)
        same_day = DayException.objects.filter(
            clinic=actor.clinic, practitioner=practitioner, date=clean["date"]
        )
        if same_day.filter(starts__isnull=True).exists():
            raise ValidationError({"date": [_("is already a day off for this practitioner")]})
        if off and same_day.exists():
            raise ValidationError({"day_off": [_("remove that date's other hours first")]})
        if not off and same_day.filter(starts__lt=ends, ends__gt=starts).exists():
            rule = _("overlaps other hours of this practitioner on that date")
            raise ValidationError({"starts": [rule]})
        row = DayException.objects.create(
            clinic=actor.clinic,
            practitioner=practitioner,
            date=clean["date"],
            starts=starts,
            ends=ends,
        )
        _audit(
            actor,
            Action.CREATE,
            row,
            practitioner=practitioner.pk,
            date=str(row.date),
            starts=str(starts),
            ends=str(ends),
        )
    return row


def add_leave(actor: Actor, practitioner: User, data: dict) -> Leave:
    require(actor, PERMISSION)
    clean = _clean(LeaveForm(data))
    with transaction.atomic():
        row = Leave.objects.create(clinic=actor.clinic, practitioner=practitioner, **clean)
        _audit(
            actor,
            Action.CREATE,
            row,
            practitioner=practitioner.pk,
            first_day=str(row.first_day),
            last_day=str(row.last_day),
        )
    return row


def remove_availability(actor: Actor, row) -> None:
    """Remove one block of hours, an exception or a leave (fetched by the caller through
    `scheduling.access.availability_of`); bookings already made stay where they are."""
    require(actor, PERMISSION)
    with transaction.atomic():
        _audit(
            actor,
            Action.VOID,
            row,
            practitioner=row.practitioner_id,
            removed=str(row),
        )
        row.delete()


def _lock(practitioner: User) -> None:
    """Two admins adding hours for one practitioner at once check overlaps one after the
    other (the booking actions lock the same row)."""
    list(User.objects.select_for_update().filter(pk=practitioner.pk))


# The clinic's options


def save_options(actor: Actor, data: dict) -> ClinicOptions:
    require(actor, PERMISSION)
    clean = _clean(OptionsForm(data))
    with transaction.atomic():
        options, _created = ClinicOptions.objects.update_or_create(
            clinic=actor.clinic, defaults=clean
        )
        _audit(actor, Action.UPDATE, options, **clean)
    return options


def options_of(clinic) -> ClinicOptions:
    """The clinic's calendar options, the safe defaults without a row (nothing written)."""
    return ClinicOptions.objects.filter(clinic=clinic).first() or ClinicOptions(clinic=clinic)
