"""The one way in to patient records: scoped to the caller's clinic and checked by role.

Views and API endpoints never query ``Patient`` directly; they call these functions, so a
record of another clinic is simply not found (404) and a too-junior role is refused (403).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from mesochart.accounts.roles import allows
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category, Outcome
from mesochart.patients.models import Patient


def require(membership, permission: str) -> None:
    if membership is None or not allows(membership.role, permission):
        raise PermissionDenied(f"Your role may not do this ({permission}).")


def patients_for(membership, permission: str = "patient.view"):
    """The current (not voided) patients of the membership's clinic."""
    require(membership, permission)
    return Patient.objects.current().in_clinic(membership.clinic)


def get_patient(membership, pk, permission: str = "patient.view") -> Patient:
    """One patient of the membership's clinic, or 404; then the role check, or 403.

    Both refusals are written to the audit log with outcome ``denied``: an attempt to reach
    a record one may not see is itself something the practice must be able to review.
    """
    try:
        patient = Patient.objects.current().in_clinic(membership.clinic).get(pk=pk)
    except (Patient.DoesNotExist, ValueError, TypeError):
        refused(membership, None, {"patient_id": str(pk), "reason": "not in this clinic"})
        raise Http404("No such patient in this clinic.") from None
    if not allows(membership.role, permission):
        refused(membership, patient, {"permission": permission})
        raise PermissionDenied(f"Your role may not do this ({permission}).")
    patient.clinic = membership.clinic  # found in that clinic: no second read of its row
    return patient


def refused(membership, patient, detail: dict, category=Category.DEMOGRAPHICS) -> None:
    """Write a refused access (outcome ``denied``) to the audit log; the other apps' access
    functions call this too, each with its own category."""
    record(
        membership.user,
        Action.READ,
        category,
        clinic=membership.clinic,
        patient=patient,
        outcome=Outcome.DENIED,
        detail=detail,
    )
