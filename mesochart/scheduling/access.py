"""The one way in to appointments and the calendar's resources: scoped to the caller's clinic,
checked by role. Another clinic's appointment is not found (404); a role without the
permission is refused (403) before anything is looked up."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from mesochart.accounts.models import Membership, User
from mesochart.accounts.roles import Role, allows
from mesochart.scheduling.models import Appointment, AppointmentType, Room

# Who can hold appointments: the staff who treat.
TREATING = (Role.PRACTITIONER, Role.NURSE)


def require(membership, permission: str) -> None:
    if membership is None or not allows(membership.role, permission):
        raise PermissionDenied(f"Your role may not do this ({permission}).")


def appointments_for(membership, permission: str = "appointment.view"):
    require(membership, permission)
    return Appointment.objects.in_clinic(membership.clinic)


def get_appointment(membership, pk, permission: str = "appointment.view") -> Appointment:
    try:
        return (
            appointments_for(membership, permission)
            .select_related("patient", "type", "room", "practitioner", "plan")
            .get(pk=pk)
        )
    except (Appointment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such appointment in this clinic.") from None


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

    require(membership, "appointment.book")
    try:
        return (
            Plan.objects.in_clinic(membership.clinic)
            .select_related("patient", "clinic")
            .get(pk=pk, status=PlanStatus.APPROVED)
        )
    except (Plan.DoesNotExist, ValueError, TypeError):
        raise Http404("No approved plan of that number in this clinic.") from None
