"""The one way in to analytics: a clinic's outcome values, read in bulk, by role.

Practitioners and admins only (``analytics.view``); a refusal is audited. The rows are the
caller's clinic's own (`OutcomeValue.objects.in_clinic`), so another clinic's or another
organisation's values never enter an analysis. Every analysis writes one audit ``read``
row naming what was read (measure, grouping, how many patients); no patient is named.
"""

from mesochart.accounts.actor import Actor
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.lib.access import require
from mesochart.outcomes.models import OutcomeValue

PERMISSION = "analytics.view"


def values_for(membership):
    """The clinic's current, measured values, once the role is allowed."""
    require(membership, PERMISSION)
    return OutcomeValue.objects.in_clinic(membership.clinic).current().measured()


def record_read(actor: Actor, what: str, detail: dict) -> None:
    record(
        actor,
        Action.READ,
        Category.OUTCOME,
        detail={"what": what, **detail},
    )
