"""The one way in to treatment sessions and adverse events: the caller's clinic, by role.

A session or event of another clinic (or of a voided patient) is not found (404); a role
without the permission is refused (403). As for patients (`patients.access.get_patient`),
both refusals of `get_session` and `get_event` are written to the audit log with outcome
``denied``: trying to reach a record one may not see is something the practice reviews.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from mesochart.accounts.roles import allows
from mesochart.audit.models import Category
from mesochart.patients.access import refused
from mesochart.treatments.models import AdverseEvent, TreatmentSession


def require(membership, permission: str) -> None:
    if membership is None or not allows(membership.role, permission):
        raise PermissionDenied(f"Your role may not do this ({permission}).")


def sessions_for(membership, permission: str = "session.view"):
    require(membership, permission)
    return TreatmentSession.objects.in_clinic(membership.clinic)


def get_session(membership, pk, permission: str = "session.view") -> TreatmentSession:
    rows = TreatmentSession.objects.select_related(
        "patient__clinic", "plan", "cocktail_version__cocktail", "practitioner"
    )
    return _one(membership, rows, pk, permission, "session", "session")


def events_for(membership, permission: str = "session.view"):
    require(membership, permission)
    return AdverseEvent.objects.in_clinic(membership.clinic)


def get_event(membership, pk, permission: str = "session.view") -> AdverseEvent:
    rows = AdverseEvent.objects.select_related("patient", "session")
    return _one(membership, rows, pk, permission, "event", "adverse event")


def _one(membership, rows, pk, permission: str, name: str, what: str):
    """The row ``pk`` of the membership's clinic, or 404; then the role check, or 403. The
    lookup comes first so that a refusal can name the patient, as `get_patient` does; an
    allowed request costs the one query it always did."""
    if membership is None:
        raise PermissionDenied(f"Your role may not do this ({permission}).")
    key = f"{name}_id"
    try:
        found = rows.in_clinic(membership.clinic).get(pk=pk)
    except (rows.model.DoesNotExist, ValueError, TypeError):
        refused(
            membership, None, {key: str(pk), "reason": "not in this clinic"}, Category.TREATMENT
        )
        raise Http404(f"No such {what} in this clinic.") from None
    if not allows(membership.role, permission):
        refused(
            membership, found.patient, {key: str(pk), "permission": permission}, Category.TREATMENT
        )
        raise PermissionDenied(f"Your role may not do this ({permission}).")
    found.clinic = membership.clinic  # the row was found in it: no need to read it again
    return found
