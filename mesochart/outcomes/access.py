"""The one way in to outcome values: the caller's clinic, by role.

A value of another clinic (or of a voided patient) is not found (404); a role without the
permission is refused (403). Both refusals of `get_value` are written to the audit log with
outcome ``denied``, as `patients.access.get_patient` does. Pages and endpoints reach the
patient through `patients.access.get_patient` and the plan through `plan_of`.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from mesochart.accounts.roles import allows
from mesochart.audit.models import Category
from mesochart.outcomes.models import OutcomeValue
from mesochart.patients.access import get_patient, refused
from mesochart.planning.models import Plan


def require(membership, permission: str) -> None:
    if membership is None or not allows(membership.role, permission):
        raise PermissionDenied(f"Your role may not do this ({permission}).")


def values_for(membership, permission: str = "outcome.view"):
    require(membership, permission)
    return OutcomeValue.objects.in_clinic(membership.clinic)


def get_value(membership, pk, permission: str = "outcome.view") -> OutcomeValue:
    if membership is None:
        raise PermissionDenied(f"Your role may not do this ({permission}).")
    rows = OutcomeValue.objects.in_clinic(membership.clinic).select_related("patient", "plan")
    try:
        found = rows.get(pk=pk)
    except (OutcomeValue.DoesNotExist, ValueError, TypeError):
        detail = {"outcome_id": str(pk), "reason": "not in this clinic"}
        refused(membership, None, detail, Category.OUTCOME)
        raise Http404("No such outcome value in this clinic.") from None
    if not allows(membership.role, permission):
        detail = {"outcome_id": str(pk), "permission": permission}
        refused(membership, found.patient, detail, Category.OUTCOME)
        raise PermissionDenied(f"Your role may not do this ({permission}).")
    return found


def get_plan_of_patient(membership, plan_pk, permission: str = "outcome.view") -> Plan:
    """A plan of this clinic, with its patient reached through `get_patient` (so another
    clinic's plan is a 404 and a too-junior role a 403, both audited)."""
    require_or_refuse(membership, permission)
    try:
        plan = Plan.objects.in_clinic(membership.clinic).select_related("protocol").get(pk=plan_pk)
    except (Plan.DoesNotExist, ValueError, TypeError):
        detail = {"plan_id": str(plan_pk), "reason": "not in this clinic"}
        refused(membership, None, detail, Category.OUTCOME)
        raise Http404("No such plan in this clinic.") from None
    plan.patient = get_patient(membership, plan.patient_id, permission)
    return plan


def require_or_refuse(membership, permission: str) -> None:
    """The role check, audited when it refuses (no patient is named: none was looked up)."""
    if membership is None:
        raise PermissionDenied(f"Your role may not do this ({permission}).")
    if not allows(membership.role, permission):
        refused(membership, None, {"permission": permission}, Category.OUTCOME)
        raise PermissionDenied(f"Your role may not do this ({permission}).")
