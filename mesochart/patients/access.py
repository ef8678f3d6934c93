"""The one way in to patient records: scoped to the caller's clinic and checked by role.

Views and API endpoints never query ``Patient`` directly; they call these functions, so a
record of another clinic is simply not found (404) and a too-junior role is refused (403).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from mesochart.lib.access import get_or_404, refused, require
from mesochart.patients.models import Patient

__all__ = ["get_patient", "patients_for", "refused", "require"]


def patients_for(membership, permission: str = "patient.view"):
    """The current (not voided) patients of the membership's clinic."""
    require(membership, permission)
    return Patient.objects.current().in_clinic(membership.clinic)


def get_patient(membership, pk, permission: str = "patient.view") -> Patient:
    """One patient of the membership's clinic, or 404; then the role check, or 403.

    Both refusals are written to the audit log with outcome ``denied``: an attempt to reach
    a record one may not see is itself something the practice must be able to review.
    """
    if membership is None:
        raise PermissionDenied(
            _("Your role may not do this (%(permission)s).") % {"permission": permission}
        )
    rows = Patient.objects.current().in_clinic(membership.clinic)
    patient = get_or_404(membership, rows, pk, permission, key="patient_id", what="patient")
    patient.clinic = membership.clinic  # found in that clinic: no second read of its row
    return patient
