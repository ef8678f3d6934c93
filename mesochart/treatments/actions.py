"""Writes to treatment sessions: start, save a draft, sign, amend, void.

Each validates, writes inside one transaction and records the audit entry explicitly; a
refused write leaves neither data nor audit row. Errors are ``ValidationError`` with
``{field: [rule]}``.

A signed session is locked: every write path here refuses it (``status: …``) and a change
is an `Amendment`. Drafts use optimistic locking: a save from a stale ``version`` is refused
(``version: …``) rather than silently overwriting someone else's work.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy

from mesochart.accounts.actor import Actor
from mesochart.accounts.models import Membership, User
from mesochart.accounts.reauth import Reauthentication, require_fresh
from mesochart.accounts.roles import Role
from mesochart.analytics import series_table
from mesochart.audit.log import append, entry
from mesochart.audit.models import Action, Category
from mesochart.formulary.actions.common import errors_of, refuse_unless_valid
from mesochart.formulary.actions.stock import lock_lots, stage_movements
from mesochart.formulary.models import MovementKind
from mesochart.planning.models import Plan, PlanSession
from mesochart.planning.review import saved_regions
from mesochart.treatments import deviations, late_entry
from mesochart.treatments.access import require
from mesochart.treatments.content import content_hash
from mesochart.treatments.forms import (
    CORRECTABLE,
    SCALARS,
    AmendmentForm,
    ProductRowForm,
    SessionForm,
    clean_regions,
)
from mesochart.treatments.models import (
    Amendment,
    AmendmentKind,
    LotUse,
    SessionProduct,
    SessionStatus,
    TreatmentSession,
)
from mesochart.treatments.preflight import preflight

LOCKED = "the session is signed and can no longer be changed: add an amendment"
VOIDED = "the session was voided and can no longer be changed"
STALE = "someone else saved this session since you opened it (version {}); reload it"


def _audit(actor: Actor, action, session, detail=None, obj=None) -> None:
    append([_entry(actor, action, session, detail, obj)])


def _entry(actor: Actor, action, session, detail=None, obj=None):
    return entry(
        actor,
        action,
        Category.TREATMENT,
        patient=session.patient,
        obj=obj or session,
        detail=detail,
    )


def _writable(session: TreatmentSession) -> None:
    if session.status == SessionStatus.SIGNED:
        raise ValidationError({"status": [LOCKED]})
    if session.status == SessionStatus.VOIDED:
        raise ValidationError({"status": [VOIDED]})


def _locked_fresh(session: TreatmentSession, version: int | None) -> TreatmentSession:
    """The session's own row under lock, nothing joined to it; refuses a signed or voided
    one, or a stale version."""
    fresh = TreatmentSession.objects.select_for_update().get(pk=session.pk)
    _writable(fresh)
    if version is not None and int(version) != fresh.version:
        raise ValidationError({"version": [STALE.format(fresh.version)]})
    return fresh


# The rows a session's page or API call read with it through `treatments.access.get_session`.
_READ_WITH = ("patient", "plan", "cocktail_version", "practitioner")


def _reuse_read_rows(fresh: TreatmentSession, session: TreatmentSession, clinic) -> None:
    """Give the locked re-read the related rows the access read already holds, where they
    are still the same rows (a concurrent edit may have changed the practitioner: that one
    is then read afresh), so the lock reads the session's own row and nothing else."""
    for name in _READ_WITH:
        if getattr(fresh, f"{name}_id") == getattr(session, f"{name}_id"):
            setattr(fresh, name, getattr(session, name))
    if fresh.clinic_id == clinic.pk:
        fresh.clinic = clinic


def _practitioner(actor: Actor, pk) -> User:
    if pk in (None, ""):
        if actor.role == Role.PRACTITIONER:
            return actor.user
        raise ValidationError(
            {"practitioner": [gettext_lazy("choose the practitioner who will treat")]}
        )
    found = (
        Membership.objects.active()
        .filter(clinic=actor.clinic, role=Role.PRACTITIONER, user_id=pk)
        .select_related("user")
        .first()
    )
    if found is None:
        raise ValidationError(
            {"practitioner": [gettext_lazy("is not a practitioner of this clinic")]}
        )
    return found.user


def _unrecorded(plan):
    """The plan's series sessions not yet recorded, in order (voided drafts do not count);
    ``plan`` is a Plan or an ``OuterRef`` to one."""
    recorded = TreatmentSession.objects.filter(plan_session=OuterRef("pk")).exclude(
        status=SessionStatus.VOIDED
    )
    return PlanSession.objects.filter(plan=plan).exclude(Exists(recorded)).order_by("index")


def next_plan_session(plan):
    """The first session of the plan's series not yet recorded."""
    return _unrecorded(plan).first()


def with_next_session(plans):
    """``plans`` with the index, date and time of their next unrecorded session
    (``next_index``, ``next_date``, ``next_time``; None once the series is recorded): one
    query for any number of plans."""
    following = _unrecorded(OuterRef("pk"))
    return plans.annotate(
        next_index=Subquery(following.values("index")[:1]),
        next_date=Subquery(following.values("date")[:1]),
        next_time=Subquery(following.values("start_time")[:1]),
    )


def start_session(actor: Actor, plan, data: dict | None = None) -> TreatmentSession:
    """A draft session of ``plan`` (fetched through ``planning.access``): the next scheduled
    session of its series, or ad hoc with ``{"ad_hoc": true}``. Either needs the plan
    approved. The plan's regions and points are copied as the points to administer.

    A late entry (`late_entry`): ``performed_at`` (the real time it was performed) and
    ``late_entry_reason``; the session is then dated when it was performed, and entered now.

    The plan's row is locked while its next session is chosen, so two simultaneous starts
    get the next two sessions rather than both claiming one."""
    require(actor, "session.record")
    data = data or {}
    practitioner = _practitioner(actor, data.get("practitioner"))
    ad_hoc = str(data.get("ad_hoc", "")).lower() in ("1", "true", "on", "yes")
    performed_at, late_reason = late_entry.from_data(actor.clinic, data)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        session = _start_locked(actor, plan, practitioner, ad_hoc, performed_at, late_reason)
    return session


def _start_locked(
    actor: Actor, plan, practitioner, ad_hoc: bool, performed_at, late_reason: str
) -> TreatmentSession:
    """`start_session` with the plan's row locked (in its transaction)."""
    if not plan.approved:
        raise ValidationError(
            {"plan": [gettext_lazy("must be approved before a session is started")]}
        )
    if performed_at is not None:
        late_entry.check(plan, performed_at)
    plan_session = None if ad_hoc else next_plan_session(plan)
    if not ad_hoc and plan_session is None:
        raise ValidationError(
            {
                "plan_session": [
                    gettext_lazy("every session of the series is recorded: start an ad hoc session")
                ]
            }
        )
    regions = [
        {
            "view": r["view"],
            "region": r["region"],
            "spacing_cm": None if r["spacing_cm"] is None else float(r["spacing_cm"]),
            "depth_mm": None if r["depth_mm"] is None else float(r["depth_mm"]),
            "volume_ml": None if r["volume_ml"] is None else float(r["volume_ml"]),
            "points": r["points"],
        }
        for r in saved_regions(plan)
    ]
    protocol = plan.protocol
    now = timezone.now()
    session = TreatmentSession.objects.create(
        started_at=performed_at or now,
        created_at=now,
        late_entry_reason=late_reason,
        clinic=actor.clinic,
        patient=plan.patient,
        plan=plan,
        plan_session=plan_session,
        cocktail_version=plan.cocktail_version,
        practitioner=practitioner,
        technique=(protocol.technique if protocol else "") or "",
        needle_gauge=protocol.needle_gauge if protocol else None,
        needle_length_mm=protocol.needle_length_mm if protocol else None,
        areas=list(dict.fromkeys(r["region"] for r in regions)),
        regions=regions,
        created_by=actor.user,
    )
    detail = {"plan": plan.pk, "plan_session": plan_session.index if plan_session else None}
    if performed_at is not None:
        detail |= {
            "late_entry": True,
            "performed_at": performed_at.isoformat(),
            "reason": late_reason,
        }
    _audit(actor, Action.CREATE, session, detail)
    return session


def save_draft(actor: Actor, session, data: dict, *, version=None) -> TreatmentSession:
    """Change a draft: any of the scalar fields, ``regions`` (the points administered),
    ``acknowledgements`` ({item key: reason}) and ``products`` (the full list of rows, each
    ``{lot | barcode, volume_drawn_ml, volume_wasted_ml}``)."""
    require(actor, "session.record")
    _writable(session)
    values = {name: getattr(session, name) for name in SCALARS}
    values.update({k: v for k, v in data.items() if k in SCALARS})
    form = SessionForm({k: "" if v is None else v for k, v in values.items()}, instance=session)
    errors = [errors_of(form)]
    regions = session.regions
    if "regions" in data:
        regions, problems = clean_regions(data["regions"])
        errors.append({"regions": problems} if problems else {})
    rows = None
    if "products" in data:
        rows, row_errors = _product_rows(actor, data["products"])
        errors.append(row_errors)
    acknowledgements = session.acknowledgements
    if "acknowledgements" in data:
        acknowledgements = _acknowledgements(data["acknowledgements"])
    refuse_unless_valid(*errors)
    with transaction.atomic():
        fresh = _locked_fresh(session, version)
        for name in SCALARS:
            setattr(session, name, form.cleaned_data[name])
        session.regions = regions
        session.areas = list(dict.fromkeys(r["region"] for r in regions if r.get("points")))
        session.acknowledgements = acknowledgements
        session.version = fresh.version + 1
        session.updated_at = timezone.now()
        session.save(
            update_fields=[
                *SCALARS,
                "regions",
                "areas",
                "acknowledgements",
                "version",
                "updated_at",
            ]
        )
        if rows is not None:
            session.products.all().delete()
            SessionProduct.objects.bulk_create(
                SessionProduct(session=session, position=i, **row) for i, row in enumerate(rows)
            )
        detail = {"version": session.version, "fields": sorted(k for k in data if k != "version")}
        _audit(actor, Action.UPDATE, session, detail)
    return session


def _product_rows(actor: Actor, rows) -> tuple[list[dict], dict]:
    if not isinstance(rows, list):
        return [], {"products": ["must be a list of products used"]}
    cleaned, errors = [], {}
    for index, row in enumerate(rows):
        form = ProductRowForm(row if isinstance(row, dict) else {}, clinic=actor.clinic)
        problems = errors_of(form, f"products[{index}]")
        if problems:
            errors.update(problems)
            continue
        lot = form.cleaned_data["lot"]
        cleaned.append(
            {
                "lot": lot,
                "product": lot.product,
                "volume_drawn_ml": form.cleaned_data["volume_drawn_ml"],
                "volume_wasted_ml": form.cleaned_data["volume_wasted_ml"],
            }
        )
    return cleaned, errors


def _acknowledgements(value) -> dict:
    if not isinstance(value, dict):
        raise ValidationError(
            {"acknowledgements": [gettext_lazy("must map each item to a reason")]}
        )
    return {str(k): str(v).strip() for k, v in value.items() if str(v).strip()}


def checklist(session, on=None, products=None, planned=None, acknowledgements=None):
    """The pre-flight checklist of ``session`` as it is saved; ``products`` (its rows, with
    their lots and products) and ``planned`` (the plan's measured regions) when the caller
    has read them already; ``acknowledgements`` ({item key: reason}) as typed on a refused
    form, instead of the saved ones."""
    if products is None:
        products = list(session.products.select_related("lot__product", "product"))
    on = on or session.judged_on()
    return preflight(session, products, on, acknowledgements, planned=planned)


def sign_session(
    actor: Actor,
    session,
    *,
    version=None,
    acknowledgements=None,
    reauthentication: Reauthentication | None,
    deviation: str | None = None,
) -> TreatmentSession:
    """Sign and lock: only the performing practitioner, with a licence valid on the day the
    session was performed (a late entry's own day, `late_entry`), who proved again who they
    are within the window (``accounts.reauth``: password or TOTP).

    In one transaction: the lots locked and summed (`formulary.actions.stock.lock_lots`), the
    checklist again on that stock (nothing blocking, every relative item acknowledged), the
    stock movements (administered and wasted, `stage_movements`, so the on-hand and expiry
    rules apply), the SHA-256 of the canonical content, the lock, and the lots' uses the
    recall reads (`LotUse`); the movements and the signature are chained into the audit log
    in one append. Any failure leaves the draft as it was and no movement behind.

    ``deviation``: the written justification of a record that differs from the plan; the
    dose engine's and the placement's findings are then signed past and kept on the record
    (`treatments.deviations`; the absolute ones never are, `core.deviation`).
    """
    require(actor, "session.sign")
    _writable(session)
    if session.practitioner_id != actor.user.pk:
        raise ValidationError(
            {
                "practitioner": [
                    gettext_lazy("only the performing practitioner may sign this session")
                ]
            }
        )
    reauthentication = require_fresh(reauthentication, actor.user)
    with transaction.atomic():
        fresh = _locked_fresh(session, version)
        _reuse_read_rows(fresh, session, actor.clinic)
        if fresh.is_late_entry:
            # Still inside the policy's bound now that it is signed, days after it was entered.
            late_entry.check(fresh.plan, fresh.started_at)
        # A late entry's lots, licence, screening and doses are judged on the day performed.
        judged_on = fresh.judged_on()
        if acknowledgements is not None:
            fresh.acknowledgements = {
                **fresh.acknowledgements,
                **_acknowledgements(acknowledgements),
            }
        products = list(fresh.products.select_related("lot__product", "product"))
        lots = lock_lots(actor.clinic, {row.lot_id for row in products})
        on_hand = {pk: available for pk, (_, available) in lots.items()}
        result = preflight(fresh, products, judged_on, on_hand=on_hand)
        deviations.apply(fresh, result, deviation)
        reference = f"treatment-session:{fresh.pk}"
        by_lot: dict[int, list[dict]] = {}
        for row in products:
            administered = Decimal(row.volume_drawn_ml) - Decimal(row.volume_wasted_ml)
            for kind, volume in (
                (MovementKind.ADMINISTERED, administered),
                (MovementKind.WASTED, Decimal(row.volume_wasted_ml)),
            ):
                if volume > 0:
                    by_lot.setdefault(row.lot_id, []).append(
                        {"kind": kind, "quantity_ml": volume, "reference": reference}
                    )
        events = []
        for lot_id, movements in by_lot.items():
            lot, available = lots[lot_id]
            events += stage_movements(actor, lot, available, movements, administered_on=judged_on)[
                1
            ]
        fresh.status = SessionStatus.SIGNED
        fresh.signed_at = timezone.now()
        fresh.signed_by = actor.user
        fresh.version += 1
        fresh.content_hash = content_hash(fresh, products)
        fresh.updated_at = fresh.signed_at
        fresh.save(
            update_fields=[
                "status",
                "signed_at",
                "signed_by",
                "version",
                "content_hash",
                "acknowledgements",
                "updated_at",
                "deviation_findings",
                "deviation_justification",
            ]
        )
        LotUse.objects.bulk_create(LotUse.for_signed(fresh, products, actor.clinic.time_zone))
        series_table.refresh([fresh.plan_id])
        signature = {
            "status": "signed",
            "sha256": fresh.content_hash,
            "products": len(products),
            "reauthenticated": reauthentication.method,
            **deviations.audit_detail(fresh),
            **(
                {"late_entry": True, "performed_at": fresh.started_at.isoformat()}
                if fresh.is_late_entry
                else {}
            ),
        }
        append([*events, _entry(actor, Action.UPDATE, fresh, signature)])
    return fresh


def amend_session(actor: Actor, session, data: dict) -> Amendment:
    """An addendum (text) or a correction (text, reason and ``changes``: {field: new value})
    to a signed session. The session row keeps what was signed; corrections are shown over it.
    """
    require(actor, "session.record")
    if session.status != SessionStatus.SIGNED:
        raise ValidationError(
            {"status": [gettext_lazy("only a signed session is amended: edit the draft")]}
        )
    form = AmendmentForm(data)
    refuse_unless_valid(errors_of(form))
    kind = form.cleaned_data["kind"]
    changes = {}
    if kind == AmendmentKind.CORRECTION:
        require(actor, "session.sign")
        changes = _changes(session, data.get("changes"))
    with transaction.atomic():
        amendment = Amendment.objects.create(
            session=session,
            kind=kind,
            text=form.cleaned_data["text"],
            reason=form.cleaned_data["reason"],
            changes=changes,
            by=actor.user,
        )
        detail = {"kind": kind, "session": session.pk, "fields": sorted(changes)}
        _audit(actor, Action.CREATE, session, detail, obj=amendment)
    return amendment


def _changes(session, value) -> dict:
    if not isinstance(value, dict) or not value:
        raise ValidationError(
            {"changes": [gettext_lazy("a correction names at least one field and its value")]}
        )
    unknown = sorted(set(value) - set(CORRECTABLE))
    if unknown:
        raise ValidationError(
            {"changes": [gettext_lazy("cannot correct %(v0)s") % {"v0": ", ".join(unknown)}]}
        )
    current = {name: getattr(session, name) for name in SCALARS}
    proposed = {**current, **{k: v for k, v in value.items() if k in SCALARS}}
    form = SessionForm({k: "" if v is None else v for k, v in proposed.items()})
    refuse_unless_valid(errors_of(form, "changes"))
    changes = {}
    for name, raw in value.items():
        new = form.cleaned_data[name] if name in SCALARS else _areas(raw)
        old = getattr(session, name)
        if new != old:
            changes[name] = {"from": _jsonable(old), "to": _jsonable(new)}
    if not changes:
        raise ValidationError(
            {"changes": [gettext_lazy("changes nothing: the record already says this")]}
        )
    return changes


def _areas(value) -> list[str]:
    """Corrected areas: a list of names (or one comma-separated line), at least one."""
    names = value.split(",") if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ValidationError(
            {"changes.areas": [gettext_lazy("give the treated areas as a list of names")]}
        )
    cleaned = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    if not cleaned:
        raise ValidationError({"changes.areas": [gettext_lazy("name at least one treated area")]})
    return cleaned


def _jsonable(value):
    return str(value) if isinstance(value, Decimal) else value


def void_session(actor: Actor, session, *, reason: str) -> TreatmentSession:
    """Abandon a draft (the patient left, the wrong plan). A signed session is never voided."""
    require(actor, "session.record")
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": [gettext_lazy("is required: say why the draft is abandoned")]}
        )
    with transaction.atomic():
        fresh = _locked_fresh(session, None)
        fresh.status = SessionStatus.VOIDED
        fresh.void_reason = reason.strip()
        fresh.version += 1
        fresh.updated_at = timezone.now()
        fresh.save(update_fields=["status", "void_reason", "version", "updated_at"])
        fresh.patient = session.patient
        _audit(actor, Action.VOID, fresh, {"reason": fresh.void_reason})
    return fresh


def record_session_view(actor: Actor, session) -> None:
    _audit(actor, Action.READ, session)


def effective(session, amendments) -> dict:
    """The record as it reads after its corrections, field by field (the row is unchanged)."""
    values = {name: getattr(session, name) for name in CORRECTABLE}
    for amendment in amendments:
        for name, change in (amendment.changes or {}).items():
            values[name] = change["to"]
    return values
