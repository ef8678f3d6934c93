"""The one way in to treatment sessions and adverse events: the caller's clinic, by role.

A session or event of another clinic (or of a voided patient) is not found (404); a role
without the permission is refused (403). As for patients (`patients.access.get_patient`),
both refusals of `get_session` and `get_event` are written to the audit log with outcome
``denied``: trying to reach a record one may not see is something the practice reviews.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from mesochart.lib.access import get_or_404, require
from mesochart.treatments.models import AdverseEvent, TreatmentSession


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
    if membership is None:
        raise PermissionDenied(
            _("Your role may not do this (%(permission)s).") % {"permission": permission}
        )
    rows = rows.in_clinic(membership.clinic)
    found = get_or_404(membership, rows, pk, permission, key=f"{name}_id", what=what)
    found.clinic = membership.clinic  # the row was found in it: no need to read it again
    return found
