"""The one way in to appointments and the calendar's resources: scoped to the caller's clinic,
checked by role. Another clinic's appointment is not found (404); a role without the
permission is refused (403) before anything is looked up."""

from django.core.exceptions import PermissionDenied

from mesochart.accounts.models import Membership, User
from mesochart.accounts.roles import Role
from mesochart.lib.access import get_or_404, require
from mesochart.scheduling.models import Appointment, AppointmentType, Room

# Who can hold appointments: the staff who treat.
TREATING = (Role.PRACTITIONER, Role.NURSE)


__all__ = ["require"]  # the one role check (lib.access), re-exported for this app


def appointments_for(membership, permission: str = "appointment.view"):
    require(membership, permission)
    return Appointment.objects.in_clinic(membership.clinic)


def get_appointment(membership, pk, permission: str = "appointment.view") -> Appointment:
    if membership is None:
        raise PermissionDenied(f"Your role may not do this ({permission}).")
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
        raise PermissionDenied("Your role may not do this (appointment.book).")
    rows = Plan.objects.in_clinic(membership.clinic).filter(status=PlanStatus.APPROVED)
    rows = rows.select_related("patient", "clinic")
    return get_or_404(membership, rows, pk, "appointment.book", key="plan_id", what="approved plan")
