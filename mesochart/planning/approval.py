"""A plan's approval: the dose engine, the screening and the baselines checked on the plan
as it is under its lock, at the version the approver saw.

The check runs inside the transaction that holds the plan's row lock (every write to a plan
takes the same lock first, `actions._locked_fresh`), so nothing saved between the check and
the approval can be approved unchecked; and the approver names the version they checked, so
a chart that changed since they looked is refused, not approved as it now is.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesochart.accounts.actor import Actor
from mesochart.accounts.models import can_administer
from mesochart.audit.models import Action
from mesochart.consent.readiness import session_readiness
from mesochart.outcomes.protocols import baseline_gaps, group_name
from mesochart.planning.access import require
from mesochart.planning.actions import _audit, _bump, _editable, _locked_fresh
from mesochart.planning.models import Plan, PlanStatus
from mesochart.planning.review import review_plan


def approve_plan(actor: Actor, plan: Plan, *, version: int) -> Plan:
    """Approve after the dose engine and screening find nothing blocking and every baseline
    the protocol names is recorded (a value, or "not measured" with a reason); store both,
    with the version that was checked.

    Only a practitioner with a licence valid today at this clinic may approve.
    """
    require(actor, "plan.approve")
    _editable(plan)
    today = actor.clinic.today()
    if not can_administer(actor.user, actor.clinic, on=today):
        raise ValidationError({"approved_by": [_("needs a practitioner licence valid today")]})
    with transaction.atomic():
        fresh = _locked_fresh(plan, version)
        result = review_plan(fresh, today)
        if result["problems"]:
            raise ValidationError({"plan": result["problems"]})
        if result["blocked"]:
            blocking = [f["message"] for f in result["findings"] if f["severity"] == "block"]
            raise ValidationError(
                {"plan": [_("blocked: %(message)s") % {"message": message} for message in blocking]}
            )
        readiness = session_readiness(fresh.patient, fresh, actor.user, on=today)
        absolute = next(item for item in readiness.items if item.key == "absolute")
        if readiness.screening is not None and not absolute.ok:
            # A known absolute contraindication blocks the plan itself; a missing screening
            # or consent does not (they usually follow the plan) but is stored and shown.
            raise ValidationError(
                {
                    "plan": [
                        _("blocked: %(message)s") % {"message": absolute.message},
                        *absolute.details,
                    ]
                }
            )
        if gaps := baseline_gaps(fresh):
            raise ValidationError({"baseline": [baseline_rule(group) for group in gaps]})
        plan.status = PlanStatus.APPROVED
        plan.approved_by = actor.user
        plan.approved_at = timezone.now()
        plan.approval_result = {
            "checked_on": today.isoformat(),
            "checked_version": fresh.version,
            "dose": result,
            "readiness": {
                "ready": readiness.ready,
                "items": [
                    {"key": item.key, "ok": item.ok, "message": item.message}
                    for item in readiness.items
                ],
            },
        }
        _bump(plan, fresh, ["status", "approved_by", "approved_at", "approval_result"])
        detail = {"status": "approved", "findings": len(result["findings"])}
        _audit(actor, Action.UPDATE, plan, detail)
    return plan


def baseline_rule(group: tuple[str, ...]) -> str:
    """What a refused approval says of one missing baseline, in the clinic's words."""
    return _(
        "no baseline %(measure)s yet: record it on the plan's outcome values before the first "
        "session, or record it as not measured with the reason"
    ) % {"measure": group_name(group)}
