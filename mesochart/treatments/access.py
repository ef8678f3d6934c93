"""The one way in to treatment sessions and adverse events: the caller's clinic, by role.

A session of another clinic (or of a voided patient) is not found (404); a role without the
permission is refused (403) before anything is looked up.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from mesochart.accounts.roles import allows
from mesochart.treatments.models import AdverseEvent, TreatmentSession


def require(membership, permission: str) -> None:
    if membership is None or not allows(membership.role, permission):
        raise PermissionDenied(f"Your role may not do this ({permission}).")


def sessions_for(membership, permission: str = "session.view"):
    require(membership, permission)
    return TreatmentSession.objects.in_clinic(membership.clinic)


def get_session(membership, pk, permission: str = "session.view") -> TreatmentSession:
    try:
        return (
            sessions_for(membership, permission)
            .select_related("patient", "plan", "cocktail_version__cocktail", "practitioner")
            .get(pk=pk)
        )
    except (TreatmentSession.DoesNotExist, ValueError, TypeError):
        raise Http404("No such session in this clinic.") from None


def events_for(membership, permission: str = "session.view"):
    require(membership, permission)
    return AdverseEvent.objects.in_clinic(membership.clinic)


def get_event(membership, pk, permission: str = "session.view") -> AdverseEvent:
    try:
        return events_for(membership, permission).select_related("patient", "session").get(pk=pk)
    except (AdverseEvent.DoesNotExist, ValueError, TypeError):
        raise Http404("No such adverse event in this clinic.") from None
