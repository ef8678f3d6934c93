"""The one way in to appointments and the calendar's resources: scoped to the caller's clinic,
checked by role. Another clinic's appointment is not found (404); a role without the
permission is refused (403) before anything is looked up."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from mesochart.accounts.models import Membership, User
from mesochart.accounts.roles import Role
from mesochart.lib.access import get_or_404, require
from mesochart.scheduling.models import Appointment, AppointmentType, Room

# Who can hold appointments: the staff who treat.
TREATING = (Role.PRACTITIONER, Role.NURSE)


__all__ = ["require"]  # the one role check (lib.access), re-exported for this app


def _refusal(permission: str) -> str:
    return _("Your role may not do this (%(permission)s).") % {"permission": permission}


def appointments_for(membership, permission: str = "appointment.view"):
    require(membership, permission)
    return Appointment.objects.in_clinic(membership.clinic)


def get_appointment(membership, pk, permission: str = "appointment.view") -> Appointment:
    if membership is None:
        raise PermissionDenied(_refusal(permission))
    rows = Appointment.objects.in_clinic(membership.clinic).select_related(
        "patient", "type", "room", "practitioner", "plan"
    )
    return get_or_404(membership, rows, pk, permission, key="appointment_id", what="appointment")


def practitioners_of(clinic):
    """Users who treat at ``clinic`` (an active practitioner or nurse membership)."""
    ids = Membership.objects.active().filter(clinic=clinic, role__in=TREATING).values("user_id")
    return User.objects.filter(pk__in=ids).order_by("username")


def rooms_of(clinic):
    return Room.objects.filter(clinic=clinic, active=True).order_by("name")


def types_of(clinic):
    return AppointmentType.objects.filter(clinic=clinic, active=True).order_by("name")


def plan_to_book(membership, pk):
    """An approved plan of this clinic, for booking its sessions (the front desk books them
    without reading the plan's clinical content)."""
    from mesochart.planning.models import Plan, PlanStatus

    if membership is None:
        raise PermissionDenied(_refusal("appointment.book"))
    rows = Plan.objects.in_clinic(membership.clinic).filter(status=PlanStatus.APPROVED)
    rows = rows.select_related("patient", "clinic")
    return get_or_404(membership, rows, pk, "appointment.book", key="plan_id", what="approved plan")


# The clinic admin's set-up (``schedule.edit``): rooms and types, retired ones included.

SETUP = "schedule.edit"


def all_rooms_of(clinic):
    return Room.objects.filter(clinic=clinic).order_by("-active", "name")


def all_types_of(clinic):
    return AppointmentType.objects.filter(clinic=clinic).order_by("-active", "name")


def room_to_edit(membership, pk) -> Room:
    if membership is None:
        raise PermissionDenied(_refusal(SETUP))
    rows = all_rooms_of(membership.clinic)
    return get_or_404(membership, rows, pk, SETUP, key="room_id", what="room")


def type_to_edit(membership, pk) -> AppointmentType:
    if membership is None:
        raise PermissionDenied(_refusal(SETUP))
    rows = all_types_of(membership.clinic)
    return get_or_404(membership, rows, pk, SETUP, key="type_id", what="appointment type")


def practitioner_to_edit(membership, pk) -> User:
    """A practitioner or nurse of the admin's clinic, whose hours the admin sets."""
    if membership is None:
        raise PermissionDenied(_refusal(SETUP))
    rows = practitioners_of(membership.clinic)
    return get_or_404(membership, rows, pk, SETUP, key="practitioner_id", what="practitioner")


def availability_of(membership, practitioner, kind: str, pk):
    """One block of hours (``hours``), exception (``exception``) or leave (``leave``) of
    ``practitioner`` at the admin's clinic."""
    from mesochart.scheduling.models import DayException, Leave, WorkingHours

    models: dict[str, type[WorkingHours | DayException | Leave]] = {
        "hours": WorkingHours,
        "exception": DayException,
        "leave": Leave,
    }
    model = models.get(kind)
    if model is None:
        raise Http404(f"No such {kind} in this clinic.")
    rows = model.objects.filter(clinic=membership.clinic, practitioner=practitioner)
    return get_or_404(membership, rows, pk, SETUP, key=f"{kind}_id", what=kind)
