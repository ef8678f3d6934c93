"""The one way in to plans and protocols: scoped to the caller's clinic, checked by role.

A plan of another clinic (or of a voided patient) is not found (404); a role without the
permission is refused (403) before anything is looked up. Protocols: the shipped ones and
the clinic's own (a clinic's copy replaces the shipped protocol it was based on).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from mesochart.lib.access import get_or_404, require
from mesochart.planning.models import Plan, Protocol


def plans_for(membership, permission: str = "plan.view"):
    require(membership, permission)
    return Plan.objects.in_clinic(membership.clinic)


def get_plan(membership, pk, permission: str = "plan.view") -> Plan:
    if membership is None:
        raise PermissionDenied(
            _("Your role may not do this (%(permission)s).") % {"permission": permission}
        )
    rows = Plan.objects.in_clinic(membership.clinic).select_related("patient")
    return get_or_404(membership, rows, pk, permission, key="plan_id", what="plan")


def protocols_for(membership, permission: str = "plan.view"):
    require(membership, permission)
    return Protocol.objects.for_clinic(membership.clinic)


def get_protocol(membership, pk, permission: str = "plan.view") -> Protocol:
    try:
        return protocols_for(membership, permission).get(pk=pk)
    except (Protocol.DoesNotExist, ValueError, TypeError):
        raise Http404("No such protocol.") from None
