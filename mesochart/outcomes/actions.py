"""Writes of outcome values: record and amend, each validated by `forms.OutcomeValueForm`,
written in one transaction with its audit row and the plan's analytics series
(`analytics.series_table.refresh`). Reads of values are audited by
`record_read`. Actions take the actor (`accounts.actor.Actor`), never a request.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mesochart.accounts.actor import Actor
from mesochart.analytics import series_table
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.core.measures import Kind
from mesochart.outcomes.access import require
from mesochart.outcomes.forms import OutcomeValueForm
from mesochart.outcomes.models import OutcomeValue, RaterRole
from mesochart.treatments.models import TreatmentSession


def plan_sessions(plan):
    return list(TreatmentSession.objects.filter(plan=plan).current().order_by("started_at"))


def validate(plan, data: dict, sessions=None) -> OutcomeValueForm:
    """The form, valid, or a ValidationError of ``field: rule`` (items as ``items.<code>``)."""
    sessions = plan_sessions(plan) if sessions is None else sessions
    form = OutcomeValueForm(data, plan=plan, patient=plan.patient, sessions=sessions)
    valid = form.is_valid()
    if not valid or form.item_findings:
        errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
        for finding in form.item_findings:
            errors.setdefault(finding.field, []).append(finding.rule)
        raise ValidationError(errors)
    return form


def _fields(actor: Actor, form, plan) -> dict:
    data = form.cleaned_data
    measure = data["measure"]
    rater_role = data["rater_role"]
    fields = {
        "clinic": actor.clinic,
        "patient": plan.patient,
        "plan": plan,
        "session": data.get("session"),
        "context": data["context"],
        "measure": measure.code,
        "area": data.get("area", "").strip(),
        "site": data.get("site", "").strip(),
        "measured_on": data["measured_on"],
        "not_measured_reason": data.get("not_measured_reason", "").strip(),
        "rater": None if rater_role == RaterRole.PATIENT else actor.user,
        "rater_role": rater_role,
        "blinded": bool(data.get("blinded")),
        "recorded_by": actor.user,
        "value": data.get("value") if measure.kind == Kind.QUANTITY else None,
        "level": data.get("level", "") if measure.kind == Kind.ORDINAL else "",
        "coding": data.get("coding", "") if measure.kind == Kind.ORDINAL else "",
        "clinic_item": form.clinic_item,
    }
    if form.score is not None and not fields["not_measured_reason"]:
        fields |= {"value": form.score.total, "items": form.score.items, "band": form.score.band}
    if fields["value"] is not None:  # as the column stores it, so the response reads the same
        fields["value"] = Decimal(fields["value"]).quantize(Decimal("0.01"))
    return fields


def record_value(actor: Actor, plan, data: dict) -> OutcomeValue:
    """Record one value for ``plan`` (already reached through `access`)."""
    require(actor, "outcome.record", patient=plan.patient)
    form = validate(plan, data)
    with transaction.atomic():
        value = OutcomeValue.objects.create(**_fields(actor, form, plan))
        series_table.refresh([plan.pk])
        _audit(actor, Action.CREATE, value, {"measure": value.measure})
    return value


def amend_value(actor: Actor, original: OutcomeValue, data: dict) -> OutcomeValue:
    """A new row replacing ``original`` (which stays, readable); ``amend_reason`` required.
    The measure, plan and context are the original's; the rest is re-validated."""
    require(actor, "outcome.record", patient=original.patient)
    reason = str(data.get("amend_reason") or "").strip()
    if not reason:
        raise ValidationError({"amend_reason": [_("is required: say why the value is amended")]})
    plan = original.plan
    plan.patient = original.patient
    merged = {
        "measure": original.measure,
        "context": original.context,
        "session": original.session_id,
        "measured_on": original.measured_on,
        "area": original.area,
        "site": original.site,
        "rater_role": original.rater_role,
        "blinded": original.blinded,
        "coding": original.coding,
    } | {k: v for k, v in data.items() if k not in ("measure", "context", "amend_reason")}
    form = validate(plan, merged)
    with transaction.atomic():
        if OutcomeValue.objects.select_for_update().filter(amends=original).exists():
            rule = _("this value was already amended; amend the latest")
            raise ValidationError({"amends": [rule]})
        value = OutcomeValue.objects.create(
            **_fields(actor, form, plan), amends=original, amend_reason=reason
        )
        series_table.refresh([plan.pk])
        detail = {"measure": value.measure, "amends": original.pk, "reason": reason}
        _audit(actor, Action.UPDATE, value, detail)
    return value


def record_read(actor: Actor, patient, what: str, obj=None) -> None:
    """A read of a patient's outcomes (the plan's values, the progress page, the API list)."""
    record(
        actor,
        Action.READ,
        Category.OUTCOME,
        patient=patient,
        obj=obj,
        detail={"what": what},
    )


def _audit(actor: Actor, action, value, detail) -> None:
    record(
        actor,
        action,
        Category.OUTCOME,
        patient=value.patient,
        obj=value,
        detail=detail,
    )
