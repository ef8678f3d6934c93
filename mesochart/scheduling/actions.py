"""Writes to the calendar: book, book a plan's series, move, cancel, change state.

Each takes the actor and raw data, validates with the shared forms, and writes
inside one transaction with its audit row; a refusal raises ``ValidationError`` with
``{field: [rule]}`` and leaves neither appointment nor audit row. The practitioner's row
(and the room's) is locked before the overlap check, so two bookings of one slot are
serialised: on PostgreSQL the exclusion constraint (migration 0002) backs the check, on
SQLite the IMMEDIATE transaction holds the database's write lock from its start.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesochart.accounts.actor import Actor
from mesochart.accounts.models import User
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.core import slots
from mesochart.formulary.actions.common import errors_of
from mesochart.scheduling import calendar, placing, rules, waitlist
from mesochart.scheduling.access import require
from mesochart.scheduling.forms import BookForm, CancelForm, MoveForm, SeriesForm
from mesochart.scheduling.models import Appointment, Kind, Room, State

OVERLAP = _("overlaps another appointment of this practitioner or room")


REASON_NEEDED = _("give a written reason to book despite: %(rule)s")


def _valid(form, clinic):
    """The form's cleaned data; a date and time without a zone is read in the clinic's."""
    with timezone.override(calendar.zone_of(clinic)):
        errors = errors_of(form)
    if errors:
        raise ValidationError(errors)
    return form.cleaned_data


def rule(message, **params) -> ValidationError:
    """One rule, worded in the reader's language when it is shown (the API's ``rule`` in
    English, its ``detail`` and the pages in the caller's)."""
    return ValidationError(message, params=params or None)


def _refuse(errors: list[tuple[str, Any]]) -> None:
    """Refuse with ``(field, rule)`` pairs: a message (lazy or plain) or a `rule`."""
    if errors:
        merged: dict[str, list[ValidationError]] = {}
        for field, said in errors:
            one = said if isinstance(said, ValidationError) else ValidationError(said)
            merged.setdefault(field, []).append(one)
        raise ValidationError(merged)


def _audit(actor: Actor, action, appointment, detail) -> None:
    record(
        actor,
        action,
        Category.PLANNING,
        patient=appointment.patient,
        obj=appointment,
        detail={"appointment": True, **detail},
    )


def _lock(practitioner, room) -> None:
    list(User.objects.select_for_update().filter(pk=practitioner.pk))
    if room is not None:
        list(Room.objects.select_for_update().filter(pk=room.pk))


def _time_errors(clinic, practitioner, room, type_, starts, ends, exclude=None):
    """Past, outside the practitioner's hours, or overlapping: ``(field, rule)`` pairs."""
    if starts < timezone.now():
        return [("starts_at", _("must not be in the past"))]
    ask = calendar.slot_request(clinic, practitioner, room, type_, starts, ends, exclude)
    ask = slots.SlotRequest(
        ends - starts, ask.window, ask.working, ask.busy, ask.buffer_before, ask.buffer_after
    )
    why = slots.fits(ask, starts)
    if why == "is outside working hours":
        return [("starts_at", _("is outside the practitioner's working hours"))]
    if why:
        return [("starts_at", OVERLAP)]
    return []


def _plan_dates(plan, exclude=None) -> list[dt.date]:
    zone = calendar.zone_of(plan.clinic)
    rows = Appointment.objects.holding_time().filter(plan=plan, type__kind=Kind.SESSION)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return [at.astimezone(zone).date() for at in rows.values_list("starts_at", flat=True)]


def _clinical_errors(actor: Actor, plan, practitioner, days, reason, exclude=None):
    """The plan's gate and the series rules for sessions on ``days``: ``(field, rule)``."""
    missing = rules.missing_before_session(plan, practitioner, days)
    if missing:
        return list(dict.fromkeys(missing))
    today = plan.clinic.today()
    dates = _plan_dates(plan, exclude) + list(days)
    verdict = rules.series_verdict(plan, dates, today, days[0] if len(days) == 1 else None)
    errors = [("starts_at", rule(_("refused: %(rule)s"), rule=text)) for text in verdict.blocks]
    if verdict.warnings and not errors:
        if not reason.strip():
            errors += [
                ("override_reason", rule(REASON_NEEDED, rule=text)) for text in verdict.warnings
            ]
        else:
            require(actor, "appointment.override")
    return errors


def _save(appointment) -> Appointment:
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError:
        # The exclusion constraint saw what the locked check did not (another writer).
        raise ValidationError({"starts_at": [OVERLAP]}) from None
    return appointment


def book(actor: Actor, patient, data: dict, plan=None, plan_session_index=None):
    """One appointment for ``patient`` (fetched by the caller through ``patients.access``);
    a treatment session names its approved ``plan`` (``scheduling.access.plan_to_book``)."""
    require(actor, "appointment.book")
    clean = _valid(BookForm(data, clinic=actor.clinic), actor.clinic)
    type_ = clean["type"]
    starts = clean["starts_at"]
    ends = clean["ends_at"] or starts + dt.timedelta(minutes=type_.duration_minutes)
    if type_.kind == Kind.SESSION and plan is None:
        _refuse([("plan", _("a treatment session is booked from its approved plan"))])
    reason = clean["override_reason"]
    with transaction.atomic():
        _lock(clean["practitioner"], clean["room"])
        errors = _time_errors(
            actor.clinic, clean["practitioner"], clean["room"], type_, starts, ends
        )
        if not errors and type_.kind == Kind.SESSION:
            day = starts.astimezone(calendar.zone_of(actor.clinic)).date()
            errors = _clinical_errors(actor, plan, clean["practitioner"], [day], reason)
        _refuse(errors)
        appointment = _save(
            Appointment(
                clinic=actor.clinic,
                patient=patient,
                practitioner=clean["practitioner"],
                room=clean["room"],
                type=type_,
                starts_at=starts,
                ends_at=ends,
                plan=plan if type_.kind == Kind.SESSION else None,
                plan_session_index=plan_session_index,
                override_reason=reason,
                booked_by=actor.user,
            )
        )
        _audit(actor, Action.CREATE, appointment, _what(appointment))
    return appointment


def _what(appointment) -> dict:
    return {
        "type": appointment.type.name,
        "starts_at": appointment.starts_at.isoformat(),
        "practitioner": appointment.practitioner_id,
        "room": appointment.room_id,
        "plan": appointment.plan_id,
    }


def book_series(actor: Actor, plan, data: dict) -> list[Appointment]:
    """Every session of the approved plan's series in one step, each on its proposed date at
    the preferred time or the nearest free slot that day (else the next working days, never
    earlier: earlier could break the interval), and a follow-up after the last if asked.
    All or nothing: one session that cannot be placed refuses the series.

    The calendar is read once for the series' span (`placing`), the gate and the series
    rules run once for all the sessions, and the appointments go in with one insert."""
    require(actor, "appointment.book")
    clean = _valid(SeriesForm(data, clinic=actor.clinic), actor.clinic)
    sessions = list(plan.sessions.all())
    if not sessions:
        _refuse([("plan", _("has no series proposed"))])
    practitioner, room, type_ = clean["practitioner"], clean["room"], clean["type"]
    if type_.kind != Kind.SESSION:
        _refuse([("type", _("must be a treatment session type"))])
    zone = calendar.zone_of(actor.clinic)
    with transaction.atomic():
        _lock(practitioner, room)
        search, placed = placing.place_series(
            actor.clinic, plan, sessions, practitioner, room, type_, clean["time"]
        )
        days = [slot.start.astimezone(zone).date() for _, slot in placed]
        _refuse(_clinical_errors(actor, plan, practitioner, days, ""))
        new = [
            _new(actor, plan.patient, practitioner, room, type_, slot, plan, row.index)
            for row, slot in placed
        ]
        follow = clean["follow_up_type"]
        if follow is not None:
            weeks = clean["follow_up_weeks"] or 4
            day = days[-1] + dt.timedelta(weeks=weeks)
            slot = search.place(day, clean["time"], follow)
            if slot is None:
                _refuse([("follow_up_type", rule(placing.NO_SLOT, day=day.isoformat()))])
            new.append(_new(actor, plan.patient, practitioner, room, follow, slot))
        booked = _save_all(new)
        detail = {"plan": plan.pk, "appointments": [_what(a) for a in booked]}
        _audit(actor, Action.CREATE, booked[0], detail)
    return booked


def _new(actor: Actor, patient, practitioner, room, type_, slot, plan=None, index=None):
    return Appointment(
        clinic=actor.clinic,
        patient=patient,
        practitioner=practitioner,
        room=room,
        type=type_,
        starts_at=slot.start,
        ends_at=slot.end,
        plan=plan,
        plan_session_index=index,
        booked_by=actor.user,
    )


def _save_all(appointments: list[Appointment]) -> list[Appointment]:
    """One insert for all; the exclusion constraint still refuses an overlap (PostgreSQL)."""
    try:
        with transaction.atomic():
            return Appointment.objects.bulk_create(appointments)
    except IntegrityError:
        raise ValidationError({"starts_at": [OVERLAP]}) from None


def move_appointment(actor: Actor, appointment, data: dict) -> Appointment:
    """Move to a new start (same length), and to another practitioner or room if given (a
    drag across the day view's columns); the same rules as a booking hold for where it
    lands (hours, no overlap, a session's series rules and gate with that practitioner)."""
    require(actor, "appointment.book")
    if not appointment.holds_time or appointment.state in (State.IN_SESSION, State.COMPLETED):
        state = appointment.get_state_display().lower()
        _refuse([("state", rule(_("a %(state)s appointment stays"), state=state))])
    clean = _valid(MoveForm(data, clinic=appointment.clinic), appointment.clinic)
    starts = clean["starts_at"]
    ends = starts + (appointment.ends_at - appointment.starts_at)
    practitioner = clean["practitioner"] or appointment.practitioner
    room = clean["room"] or appointment.room
    reason = clean["override_reason"]
    before = (appointment.starts_at, appointment.practitioner_id, appointment.room_id)
    with transaction.atomic():
        _lock(practitioner, room)
        errors = _time_errors(
            appointment.clinic, practitioner, room, appointment.type, starts, ends, appointment
        )
        if not errors and appointment.plan is not None:
            day = starts.astimezone(calendar.zone_of(appointment.clinic)).date()
            errors = _clinical_errors(
                actor, appointment.plan, practitioner, [day], reason, appointment
            )
        _refuse(errors)
        appointment.starts_at, appointment.ends_at = starts, ends
        appointment.practitioner, appointment.room = practitioner, room
        appointment.override_reason = reason or appointment.override_reason
        if appointment.state == State.CONFIRMED:
            appointment.state, appointment.confirmed_at = State.BOOKED, None
        _save(appointment)
        detail = {"from": before[0].isoformat(), "to": starts.isoformat(), "reason": reason}
        if practitioner.pk != before[1]:
            detail.update(from_practitioner=before[1], to_practitioner=practitioner.pk)
        if (room and room.pk) != before[2]:
            detail.update(from_room=before[2], to_room=room and room.pk)
        _audit(actor, Action.UPDATE, appointment, detail)
    return appointment


def late_cancel_hours() -> int:
    return getattr(settings, "SCHEDULING_LATE_CANCEL_HOURS", 24)


def cancel_appointment(actor: Actor, appointment, data: dict) -> Appointment:
    """Cancel, recording by whom, why and how late (hours before the start)."""
    require(actor, "appointment.book")
    clean = _valid(CancelForm(data), appointment.clinic)
    return _cancel(appointment, actor, clean["reason"], clean["by_patient"])


def _cancel(appointment, actor: Actor | None, reason, by_patient):
    """Cancel, by a member of staff (``actor``) or by the patient's link (None)."""
    if appointment.state not in (State.BOOKED, State.CONFIRMED):
        _refuse([("state", _("only a booked or confirmed appointment can be cancelled"))])
    now = timezone.now()
    hours = Decimal((appointment.starts_at - now).total_seconds() / 3600).quantize(Decimal("0.1"))
    with transaction.atomic():
        appointment.state = State.CANCELLED
        appointment.cancelled_by = actor.user if actor else None
        appointment.cancelled_by_patient = by_patient
        appointment.cancelled_at = now
        appointment.cancel_reason = reason
        appointment.cancelled_hours_before = hours
        appointment.save()
        record(
            actor,
            Action.UPDATE,
            Category.PLANNING,
            clinic=appointment.clinic,
            patient=appointment.patient,
            obj=appointment,
            actor_label=None if actor else "patient (signed link)",
            detail={
                "appointment": True,
                "state": "cancelled",
                "reason": reason,
                "by_patient": by_patient,
                "hours_before": str(hours),
                "late": hours < late_cancel_hours(),
            },
        )
        waitlist.offer(appointment)
    return appointment


def cancel_by_patient(appointment) -> Appointment:
    """The patient cancels through the signed reminder link."""
    return _cancel(appointment, None, "cancelled by the patient through the reminder link", True)


# Which state may follow which; cancelling has its own action.
NEXT = {
    State.BOOKED: {State.CONFIRMED, State.ARRIVED, State.NO_SHOW},
    State.CONFIRMED: {State.ARRIVED, State.NO_SHOW},
    State.ARRIVED: {State.IN_SESSION, State.COMPLETED},
    State.IN_SESSION: {State.COMPLETED},
}


def set_state(actor: Actor, appointment, state: str, treatment_session=None):
    """Confirm, arrive, start (linking the session record), complete, or mark a no-show."""
    require(actor, "appointment.book")
    if state not in NEXT.get(appointment.state, set()):
        moves = {"from": appointment.state, "to": state}
        _refuse([("state", rule(_("cannot go from %(from)s to %(to)s"), **moves))])
    if state == State.IN_SESSION and treatment_session is None:
        _refuse([("treatment_session", _("start the session record to begin"))])
    with transaction.atomic():
        appointment.state = state
        if state == State.CONFIRMED:
            appointment.confirmed_at = timezone.now()
        if treatment_session is not None:
            appointment.treatment_session = treatment_session
        appointment.save()
        _audit(actor, Action.UPDATE, appointment, {"state": state})
    return appointment


def attendance(patient) -> dict:
    """No-shows and late cancellations of ``patient``, for the front desk."""
    rows = Appointment.objects.filter(patient=patient)
    late = rows.filter(
        state=State.CANCELLED,
        cancelled_by_patient=True,
        cancelled_hours_before__lt=late_cancel_hours(),
    )
    return {
        "no_shows": rows.filter(state=State.NO_SHOW).count(),
        "late_cancellations": late.count(),
    }


def record_read(actor: Actor, what: str, patient_ids, **detail) -> None:
    """One audit ``read`` row for a page or answer that showed these patients' bookings."""
    with transaction.atomic():
        record(
            actor,
            Action.READ,
            Category.PLANNING,
            detail={"calendar": what, "patients": sorted(set(patient_ids)), **detail},
        )
