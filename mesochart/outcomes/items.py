"""Writes of a clinic's own patient-reported items: define, edit (a new version once the
item has values), retire. Each is checked by `core.clinic_items.check`, written in one
transaction with its audit row; actions take the actor, never a request.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesochart.accounts.actor import Actor
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.core import clinic_items
from mesochart.lib.access import require
from mesochart.outcomes.access import get_item, items_for  # noqa: F401 (re-exported)
from mesochart.outcomes.models import ClinicItem

EDIT = "outcome.item.edit"
FIELDS = ("question", "response", "better", "maximum", "low_anchor", "high_anchor", "levels")


def own_items(plan) -> list[ClinicItem]:
    """The plan's clinic's own items on offer (newest versions, not retired), one query."""
    return list(ClinicItem.objects.in_clinic(plan.clinic_id).offered().order_by("question"))


def _definition(slug: str | None, data: dict) -> clinic_items.ItemDefinition:
    maximum = data.get("maximum")
    try:
        maximum = None if maximum in (None, "") else int(maximum)
    except (TypeError, ValueError):
        raise ValidationError({"maximum": [_("must be a whole number")]}) from None
    levels = data.get("levels") or ()
    if isinstance(levels, str):
        levels = [line for line in levels.splitlines() if line.strip()]
    item = clinic_items.ItemDefinition(
        slug=str(slug or "").strip(),
        question=str(data.get("question") or "").strip(),
        response=str(data.get("response") or ""),
        better=str(data.get("better") or ""),
        maximum=maximum,
        low_anchor=str(data.get("low_anchor") or "").strip(),
        high_anchor=str(data.get("high_anchor") or "").strip(),
        levels=tuple(str(label).strip() for label in levels),
    )
    findings = clinic_items.check(item)
    if findings:
        errors: dict[str, list[str]] = {}
        for finding in findings:
            errors.setdefault(finding.field, []).append(_(finding.rule))
        raise ValidationError(errors)
    return item


def _row_fields(item: clinic_items.ItemDefinition) -> dict:
    return {name: getattr(item, name) for name in FIELDS} | {"levels": list(item.levels)}


def define_item(actor: Actor, data: dict) -> ClinicItem:
    require(actor, EDIT)
    item = _definition(data.get("slug"), data)
    with transaction.atomic():
        if ClinicItem.objects.in_clinic(actor.clinic).filter(slug=item.slug).exists():
            raise ValidationError({"slug": [_("is already used by another item of this clinic")]})
        row = ClinicItem.objects.create(
            clinic=actor.clinic, slug=item.slug, created_by=actor.user,
            **_row_fields(item),
        )  # fmt: skip
        _audit(actor, Action.CREATE, row, {"item": row.code, "version": 1})
    return row


def edit_item(actor: Actor, current: ClinicItem, data: dict) -> ClinicItem:
    """Change ``current`` (the newest version). Once a value answers it, the change is a new
    version and the answered one stays as it was; before that it is changed in place."""
    require(actor, EDIT)
    if current.retired_at is not None:
        raise ValidationError({"item": [_("is retired; it can no longer be edited")]})
    merged = {name: getattr(current, name) for name in FIELDS} | data
    item = _definition(current.slug, merged)
    with transaction.atomic():
        locked = ClinicItem.objects.select_for_update().get(pk=current.pk)
        if ClinicItem.objects.filter(supersedes=locked).exists():
            raise ValidationError({"item": [_("was changed meanwhile; edit the latest version")]})
        if locked.values.exists():
            row = ClinicItem.objects.create(
                clinic=locked.clinic, slug=locked.slug, version=locked.version + 1,
                supersedes=locked, created_by=actor.user, **_row_fields(item),
            )  # fmt: skip
        else:
            row = locked
            for name, value in _row_fields(item).items():
                setattr(row, name, value)
            row.save()
        detail = {"item": row.code, "version": row.version}
        _audit(actor, Action.UPDATE, row, detail)
    return row


def retire_item(actor: Actor, current: ClinicItem) -> ClinicItem:
    """Not offered any more; its versions and their values stay."""
    require(actor, EDIT)
    with transaction.atomic():
        row = ClinicItem.objects.select_for_update().get(pk=current.pk)
        if row.retired_at is None:
            row.retired_at = timezone.now()
            row.save(update_fields=["retired_at"])
            detail = {"item": row.code, "version": row.version, "retired": True}
            _audit(actor, Action.UPDATE, row, detail)
    return row


def _audit(actor: Actor, action, row, detail) -> None:
    record(
        actor, action, Category.OUTCOME, obj=row, detail=detail,
    )  # fmt: skip
