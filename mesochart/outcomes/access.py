"""The one way in to outcome values: the caller's clinic, by role.

A value of another clinic (or of a voided patient) is not found (404); a role without the
permission is refused (403). The role check and the lookup are `lib.access`'s, so every
refusal is written to the audit log with outcome ``denied`` (category ``outcome``), as for
every other app. Pages and endpoints reach the patient through
`patients.access.get_patient` and the plan through `get_plan_of_patient`.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from mesochart.lib.access import category_of, get_or_404, refused, require
from mesochart.outcomes.models import ClinicItem, OutcomeValue
from mesochart.patients.access import get_patient
from mesochart.planning.models import Plan

__all__ = ["get_item", "get_plan_of_patient", "get_value", "items_for", "require", "values_for"]


def values_for(membership, permission: str = "outcome.view"):
    require(membership, permission)
    return OutcomeValue.objects.in_clinic(membership.clinic)


def get_value(membership, pk, permission: str = "outcome.view") -> OutcomeValue:
    if membership is None:
        raise PermissionDenied(
            _("Your role may not do this (%(permission)s).") % {"permission": permission}
        )
    rows = OutcomeValue.objects.in_clinic(membership.clinic).select_related("patient", "plan")
    return get_or_404(membership, rows, pk, permission, key="outcome_id", what="outcome value")


def get_plan_of_patient(membership, plan_pk, permission: str = "outcome.view") -> Plan:
    """A plan of this clinic, with its patient reached through `get_patient` (so another
    clinic's plan is a 404 and a too-junior role a 403, both audited). The role is checked
    before the lookup: the patient is named by `get_patient`, which reads the row once."""
    require(membership, permission)
    try:
        plan = Plan.objects.in_clinic(membership.clinic).select_related("protocol").get(pk=plan_pk)
    except (Plan.DoesNotExist, ValueError, TypeError, OverflowError):
        detail = {"plan_id": str(plan_pk), "reason": "not in this clinic"}
        refused(membership, None, detail, category_of(permission))
        raise Http404("No such plan in this clinic.") from None
    plan.patient = get_patient(membership, plan.patient_id, permission)
    return plan


def items_for(membership, permission: str = "outcome.view"):
    require(membership, permission)
    return ClinicItem.objects.in_clinic(membership.clinic)


def get_item(membership, slug: str, permission: str = "outcome.view") -> ClinicItem:
    """The newest version of this clinic's item; another clinic's is not found (404)."""
    item = items_for(membership, permission).latest_versions().filter(slug=slug).first()
    if item is None:
        raise Http404("No such item in this clinic.")
    return item
