"""The one way in to analytics: a clinic's outcome values, read in bulk, by role.

Practitioners and admins only (``analytics.view``); a refusal is audited. The rows are the
caller's clinic's own series of values (`MeasureSeries`, of patients not voided), so
another clinic's or another organisation's values never enter an analysis. Every analysis
writes one audit ``read`` row naming what was read (measure, grouping, how many patients);
no patient is named.
"""

from mesochart.accounts.actor import Actor
from mesochart.analytics.models import MeasureSeries
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.lib.access import require

PERMISSION = "analytics.view"


def series_for(membership):
    """The clinic's series of current, measured values, once the role is allowed."""
    require(membership, PERMISSION)
    return MeasureSeries.objects.filter(clinic=membership.clinic, patient__voided_at__isnull=True)


def record_read(actor: Actor, what: str, detail: dict) -> None:
    record(
        actor,
        Action.READ,
        Category.OUTCOME,
        detail={"what": what, **detail},
    )
