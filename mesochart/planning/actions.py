"""Writes to plans, protocols and clinic calendars: validate, write and audit in one
transaction. Each takes the actor (`accounts.actor.Actor`) and raw data and raises
``ValidationError`` with ``{field: [rule]}``; a refused write leaves neither data nor audit
row behind.

An approved plan is locked: every write to it is refused (``status: ...``).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from mesochart.accounts.actor import Actor
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.core.schedule import ScheduleError, move, propose
from mesochart.lib.slugs import free_slug
from mesochart.planning import series
from mesochart.planning.access import protocols_for, require
from mesochart.planning.forms import (
    CalendarForm,
    MoveForm,
    PlanForm,
    ProtocolForm,
    RegionForm,
    SeriesForm,
    clean_points,
)
from mesochart.planning.models import ClinicCalendar, Plan, PlanRegion, PlanSession

LOCKED = "the plan is approved and can no longer be changed"


def _errors(form, prefix: str = "") -> dict[str, list[str]]:
    if form.is_valid():
        return {}
    return {
        ".".join(p for p in (prefix, field if field != "__all__" else "") if p) or "__all__": [
            e["message"] for e in problems
        ]
        for field, problems in form.errors.get_json_data().items()
    }


def _valid(form):
    errors = _errors(form)
    if errors:
        raise ValidationError(errors)
    return form


def _editable(plan: Plan) -> None:
    if plan.approved:
        raise ValidationError({"status": [LOCKED]})


def _locked_fresh(plan: Plan, version: int | None) -> Plan:
    """The plan's row under lock; refuses a stale version or an approved plan."""
    fresh = Plan.objects.select_for_update().get(pk=plan.pk)
    if fresh.approved:
        raise ValidationError({"status": [LOCKED]})
    if version is not None and fresh.version != version:
        raise ValidationError(
            {
                "version": [
                    gettext_lazy("someone else changed this plan since you opened it; reload it")
                ]
            }
        )
    return fresh


def _bump(plan: Plan, fresh: Plan, fields: list[str]) -> None:
    plan.version = fresh.version + 1
    plan.updated_at = timezone.now()
    plan.save(update_fields=[*fields, "version", "updated_at"])


def _audit(actor: Actor, action, plan, detail=None, obj=None) -> None:
    record(
        actor,
        action,
        Category.PLANNING,
        patient=plan.patient if plan is not None else None,
        obj=obj or plan,
        detail=detail,
    )


def create_plan(actor: Actor, patient, data: dict) -> Plan:
    """A draft plan for ``patient`` (fetched by the caller through ``patients.access``)."""
    require(actor, "plan.edit")
    form = _valid(PlanForm(data, clinic=actor.clinic, protocols=protocols_for(actor)))
    with transaction.atomic():
        plan = form.save(commit=False)
        plan.title = form.cleaned_data["title"]
        plan.clinic = actor.clinic
        plan.patient = patient
        plan.created_by = actor.user
        if plan.cocktail_version is None and plan.protocol and plan.protocol.default_cocktail:
            plan.cocktail_version = plan.protocol.default_cocktail.versions.first()
        plan.save()
        _audit(actor, Action.CREATE, plan, {"title": plan.title})
    return plan


def update_plan(actor: Actor, plan: Plan, data: dict, version=None) -> Plan:
    require(actor, "plan.edit")
    _editable(plan)
    protocols = protocols_for(actor)
    current = PlanForm(instance=plan, clinic=actor.clinic, protocols=protocols).initial
    form = _valid(
        PlanForm({**current, **data}, instance=plan, clinic=actor.clinic, protocols=protocols)
    )
    with transaction.atomic():
        fresh = _locked_fresh(plan, version)
        changed = sorted(form.changed_data)
        plan = form.save(commit=False)
        plan.title = form.cleaned_data["title"]
        _bump(plan, fresh, list(PlanForm.Meta.fields))
        _audit(actor, Action.UPDATE, plan, {"fields": changed})
    return plan


def save_regions(actor: Actor, plan: Plan, regions: list, version=None) -> Plan:
    """Replace the plan's regions, measurements and points with ``regions`` (the editor's)."""
    require(actor, "plan.edit")
    _editable(plan)
    if not isinstance(regions, list):
        raise ValidationError({"regions": [gettext_lazy("must be a list")]})
    rows, errors, seen = [], {}, set()
    for index, data in enumerate(regions):
        prefix = f"regions[{index}]"
        data = data if isinstance(data, dict) else {}
        form = RegionForm({k: v for k, v in data.items() if k != "points"})
        errors.update(_errors(form, prefix))
        points, problems = clean_points(data.get("points", []))
        for problem in problems:
            field, _, rule = problem.partition(": ")
            errors.setdefault(f"{prefix}.{field}", []).append(rule)
        key = (data.get("view"), data.get("region"))
        if key in seen:
            errors.setdefault(f"{prefix}.region", []).append("is listed twice")
        seen.add(key)
        if form.is_valid():
            row = form.save(commit=False)
            row.points, row.position = points, index
            rows.append(row)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        fresh = _locked_fresh(plan, version)
        plan.regions.all().delete()
        for row in rows:
            row.plan = plan
        PlanRegion.objects.bulk_create(rows)
        _bump(plan, fresh, [])
        detail = {
            "regions": [f"{r.view}/{r.region}" for r in rows],
            "points": sum(len(r.points) for r in rows),
        }
        _audit(actor, Action.UPDATE, plan, detail)
    return plan


def _phases(plan: Plan) -> list[dict]:
    if plan.protocol is None or not plan.protocol.phases:
        raise ValidationError({"protocol": [gettext_lazy("choose a protocol with a series first")]})
    return plan.protocol.phases


def _schedule_error(error: ScheduleError, field: str = "first_date") -> ValidationError:
    known = {"first_date", "new_date", "index"}
    return ValidationError({error.field if error.field in known else field: [error.rule]})


def propose_series(actor: Actor, plan: Plan, data: dict):
    """Propose the series from ``first_date`` (replacing any earlier proposal)."""
    require(actor, "plan.edit")
    _editable(plan)
    form = _valid(SeriesForm(data))
    first_date = form.cleaned_data["first_date"]
    start_time = form.cleaned_data["start_time"] or series.DEFAULT_START
    try:
        schedule = propose(series.request_for(plan, first_date, _phases(plan)))
    except ScheduleError as error:
        raise _schedule_error(error) from None
    with transaction.atomic():
        fresh = _locked_fresh(plan, None)
        plan.sessions.all().delete()
        PlanSession.objects.bulk_create(
            PlanSession(
                plan=plan,
                index=i,
                date=s.date,
                start_time=start_time,
                planned_date=s.planned_date,
                reasons=list(s.reasons),
            )
            for i, s in enumerate(schedule.sessions)
        )
        plan.first_date = first_date
        _bump(plan, fresh, ["first_date"])
        detail = {
            "first_date": first_date.isoformat(),
            "start_time": start_time.strftime("%H:%M"),
            "sessions": len(schedule.sessions),
        }
        if schedule.truncation:
            detail["cut"] = schedule.truncation.rule
        _audit(actor, Action.UPDATE, plan, detail)
    return schedule


def move_session(actor: Actor, plan: Plan, data: dict) -> list[PlanSession]:
    """Move one session; later ones follow only as far as the rules require."""
    require(actor, "plan.edit")
    _editable(plan)
    form = _valid(MoveForm(data))
    index, new_date = form.cleaned_data["index"], form.cleaned_data["new_date"]
    new_time = form.cleaned_data["new_time"]
    rows = list(plan.sessions.all())
    if not rows:
        raise ValidationError({"index": [gettext_lazy("propose the series first")]})
    try:
        request_ = series.request_for(plan, rows[0].planned_date, _phases(plan))
        moved = move(series.schedule_from_rows(request_, rows), index, new_date)
    except ScheduleError as error:
        raise _schedule_error(error, "new_date") from None
    with transaction.atomic():
        fresh = _locked_fresh(plan, None)
        changed = []
        for row, session in zip(rows, moved.sessions, strict=True):
            at = new_time if new_time and row.index == index else row.start_time
            if (row.date, row.reasons, row.start_time) != (session.date, list(session.reasons), at):
                row.date, row.reasons, row.start_time = session.date, list(session.reasons), at
                changed.append(row)
        PlanSession.objects.bulk_update(changed, ["date", "reasons", "start_time"])
        _bump(plan, fresh, [])
        detail = {"session": index + 1, "to": new_date.isoformat(), "moved": len(changed)}
        if new_time:
            detail["time"] = new_time.strftime("%H:%M")
        _audit(actor, Action.UPDATE, plan, detail)
    return rows


def export_series(actor: Actor, plan: Plan) -> bytes:
    """The series as iCalendar; the export is audited (health data leaves the record)."""
    require(actor, "plan.view")
    sessions = list(plan.sessions.all())
    data = series.ics(plan, sessions, actor.clinic, timezone.now())
    with transaction.atomic():
        _audit(actor, Action.EXPORT, plan, {"format": "ics", "sessions": len(sessions)})
    return data


def record_plan_view(actor: Actor, plan: Plan) -> None:
    _audit(actor, Action.READ, plan)


def record_plan_print(actor: Actor, plan: Plan) -> None:
    _audit(actor, Action.PRINT, plan)


def save_protocol(actor: Actor, data: dict, protocol=None):
    """Create a clinic protocol, or save the clinic's copy of one (a shipped protocol is
    never changed: editing it saves a copy that replaces it at this clinic)."""
    require(actor, "protocol.edit")
    own = protocol is not None and protocol.clinic_id == actor.clinic.pk
    form = _valid(ProtocolForm(data, instance=protocol if own else None))
    with transaction.atomic():
        saved = form.save(commit=False)
        saved.phases = form.cleaned_data["phases_text"]
        saved.references = [
            line.strip()
            for line in form.cleaned_data["references_text"].splitlines()
            if line.strip()
        ]
        saved.outcome_measures = form.cleaned_data["outcome_measures_text"]
        saved.follow_ups = form.cleaned_data["follow_ups_text"]
        if not own:
            saved.clinic = actor.clinic
            saved.based_on = protocol
            saved.products = list(protocol.products) if protocol else []
            saved.slug = _free_slug(actor.clinic, protocol.slug if protocol else saved.name)
        saved.save()
        record(
            actor,
            Action.UPDATE if own else Action.CREATE,
            Category.PLANNING,
            obj=saved,
            detail={"name": saved.name, "based_on": protocol.pk if protocol and not own else None},
        )
    return saved


def _free_slug(clinic, text: str) -> str:
    from mesochart.planning.models import Protocol

    return free_slug(Protocol.objects.filter(clinic=clinic), text, fallback="protocol")


def save_calendar(actor: Actor, data: dict) -> ClinicCalendar:
    require(actor, "calendar.edit")
    form = _valid(CalendarForm(data))
    with transaction.atomic():
        calendar, _ = ClinicCalendar.objects.update_or_create(
            clinic=actor.clinic,
            defaults={
                "opening_weekdays": sorted(form.cleaned_data["opening_weekdays"]),
                "closed_dates": form.cleaned_data["closed_dates"],
            },
        )
        record(
            actor,
            Action.UPDATE,
            Category.PLANNING,
            obj=calendar,
            detail={
                "opening_weekdays": calendar.opening_weekdays,
                "closed_dates": len(calendar.closed_dates),
            },
        )
    return calendar
