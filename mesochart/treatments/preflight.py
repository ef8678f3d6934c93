"""The pre-flight checklist of a session: everything that must hold before it is signed.

One list of items, each ``block`` (must be ok) or ``relative`` (ok once acknowledged with a
written reason, stored on the session): the consent gate's `session_readiness` (screening,
absolute findings, consent, the practitioner's licence on the day), the plan still approved,
each lot of this clinic, unexpired and with enough on hand, every product of the cocktail
traced to a lot, where the session's points lie (a label's exclusion blocks, outside the
measured region needs a reason), and the dose engine run on the session's own points with
the patient's real history — the products and dates of their earlier signed sessions — so
minimum intervals and course caps are judged on what was done, not on what was planned.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mesochart.consent.plans import target_of
from mesochart.consent.readiness import session_readiness
from mesochart.core.dose import PastSession, Result
from mesochart.core.limits import Severity
from mesochart.core.rules import Finding
from mesochart.core.session_check import Summary, session_findings, summarise, unready
from mesochart.formulary.actions.common import ml_text
from mesochart.formulary.engine import version_products
from mesochart.formulary.models import LotHold, StockMovement
from mesochart.planning.dosecheck import unready_problem
from mesochart.planning.review import (
    measured_as_planned,
    placement_findings,
    region_points,
    saved_regions,
)

BLOCK, RELATIVE = "block", "relative"


@dataclass(frozen=True)
class Item:
    key: str
    ok: bool
    message: str
    kind: str = BLOCK
    acknowledged: str = ""

    @property
    def needs_acknowledgement(self) -> bool:
        return self.kind == RELATIVE and not self.ok


@dataclass(frozen=True)
class Checklist:
    items: tuple[Item, ...]

    @property
    def blocking(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.kind == BLOCK and not i.ok)

    @property
    def unacknowledged(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.needs_acknowledgement)

    @property
    def ready(self) -> bool:
        return all(item.ok for item in self.items)

    def problems(self) -> list[str]:
        """Why the session cannot be signed, one line per item."""
        return [f"blocked: {i.message}" for i in self.blocking] + [
            f"acknowledge with a reason: {i.message}" for i in self.unacknowledged
        ]

    def __iter__(self):
        return iter(self.items)


def preflight(
    session,
    products,
    on: date,
    acknowledgements: dict | None = None,
    on_hand: dict[int, Decimal] | None = None,
    planned: list[dict] | None = None,
) -> Checklist:
    """The checklist of ``session`` (a draft) with its ``products`` rows on day ``on``.

    ``on_hand`` (lot id → mL) is the stock the signature has already locked and summed;
    without it the lots' movements are summed here. ``planned`` is the plan's measured
    regions (`saved_regions`) when the caller has read them already (the session page, for
    its chart editor)."""
    acknowledged = acknowledgements if acknowledgements is not None else session.acknowledgements
    if session.plan.cocktail_version_id == session.cocktail_version_id:
        # The session copied the plan's version: one instance, so its parts are read once.
        session.plan.cocktail_version = session.cocktail_version
    if planned is None:
        planned = saved_regions(session.plan)
    items = [_plan(session)]
    try:
        target = target_of(session.plan, planned)
        readiness = session_readiness(session.patient, target, session.practitioner, on)
        items += [Item(f"readiness.{i.key}", i.ok, i.message) for i in readiness.items]
    except ValidationError as error:
        items += [Item("readiness", False, m) for m in error.messages]
    items += _lots(session, products, on, on_hand)
    items += _placement(session, planned)
    items += _dose(session, products, on)
    items += _signed_after(session)
    from mesochart.treatments.reconcile import items as reconcile_items  # it imports Item

    items += reconcile_items(session, products)
    return Checklist(tuple(_acknowledge(item, acknowledged) for item in items))


def _acknowledge(item: Item, acknowledged: dict) -> Item:
    reason = (acknowledged.get(item.key) or "").strip()
    if item.kind == RELATIVE and not item.ok and reason:
        return Item(item.key, True, item.message, RELATIVE, reason)
    return item


def _plan(session) -> Item:
    if session.plan.approved:
        return Item("plan", True, f"Plan “{session.plan.title}” is approved")
    return Item("plan", False, f"Plan “{session.plan.title}” is not approved")


def _lots(session, products, on: date, on_hand: dict[int, Decimal] | None) -> list[Item]:
    items = []
    if not products:
        items.append(
            Item("lots", False, "No product recorded: enter each product's lot and volume")
        )
    if on_hand is None:
        on_hand = dict(
            StockMovement.objects.filter(lot_id__in={row.lot_id for row in products})
            .values_list("lot_id")
            .annotate(total=Sum("quantity_ml"))
            .order_by()
        )
    wanted: dict[int, Decimal] = {}
    for row in products:
        wanted[row.lot_id] = wanted.get(row.lot_id, Decimal(0)) + Decimal(row.volume_drawn_ml)
    holds = {
        hold.lot_id: hold
        for hold in LotHold.objects.open()
        .filter(lot_id__in=wanted)
        .select_related("lot", "placed_by")
    }
    seen = set()
    for row in products:
        lot = row.lot
        if lot.pk in seen:
            continue
        seen.add(lot.pk)
        key = f"lot.{lot.pk}"
        available = Decimal(on_hand.get(lot.pk) or 0).quantize(Decimal("0.001"))
        if lot.clinic_id != session.clinic_id:
            items.append(Item(key, False, f"lot {lot.lot_number} is not stock of this clinic"))
        elif lot.pk in holds:
            items.append(Item(key, False, holds[lot.pk].blocking()))
        elif lot.is_expired(on):
            items.append(
                Item(key, False, f"lot {lot.lot_number} expired on {lot.expires_on.isoformat()}")
            )
        elif available < wanted[lot.pk]:
            items.append(
                Item(
                    key,
                    False,
                    f"lot {lot.lot_number} has {ml_text(available)} on hand; "
                    f"{ml_text(wanted[lot.pk])} is drawn",
                )
            )
        else:
            items.append(
                Item(
                    key,
                    True,
                    f"lot {lot.lot_number} of {lot.product.name}: in stock "
                    f"({ml_text(available)}), expires {lot.expires_on.isoformat()}",
                )
            )
    cocktail = {c.product_id: c.product for c in session.cocktail_version.parts}
    traced = {row.product_id for row in products}
    for product_id, product in cocktail.items():
        if product_id not in traced:
            items.append(Item(f"trace.{product.slug}", False, f"{product.name}: no lot recorded"))
    for row in products:
        if row.product_id not in cocktail:
            items.append(
                Item(
                    f"extra.{row.product.slug}",
                    False,
                    f"{row.product.name} is not in the cocktail version of the plan",
                    RELATIVE,
                )
            )
    return items


def _placement(session, planned: list[dict]) -> list[Item]:
    """Points moved on the session's chart, judged where they now lie: inside an exclusion
    of the label blocks (the submental band of deoxycholic acid, for one); outside the
    measured region is a warning to acknowledge. One item per region and rule, so a reason
    given for one region does not cover another."""
    items = []
    for region in measured_as_planned(session.regions, planned):
        for finding in placement_findings([region]):
            kind = BLOCK if finding["severity"] == "block" else RELATIVE
            key = f"placement.{finding['rule']}.{region['view']}.{region['region']}"
            items.append(Item(key, False, finding["message"], kind))
    return items


def history_rows(patient_id: int) -> list[tuple]:
    """The patient's signed product rows (session id, its start, product slug), one query:
    what `history_of` reads, for callers that print several of their sessions."""
    from mesochart.treatments.models import SessionProduct

    return list(
        SessionProduct.objects.filter(
            session__patient_id=patient_id, session__status="signed"
        ).values_list("session_id", "session__started_at", "product__slug")
    )


def history_of(session, on: date, rows: list[tuple] | None = None) -> tuple[PastSession, ...]:
    """The patient's signed sessions up to ``on`` (this one left out), with their products;
    ``rows``: the patient's `history_rows`, when the caller has read them already."""
    rows = history_rows(session.patient_id) if rows is None else rows
    rows = [row for row in rows if row[0] != session.pk]
    zone = ZoneInfo(session.clinic.time_zone)
    sessions: dict[int, tuple[date, set[str]]] = {}
    for session_id, started_at, slug in rows:
        day = timezone.localtime(started_at, zone).date()
        if day <= on:
            sessions.setdefault(session_id, (day, set()))[1].add(slug)
    return tuple(PastSession(day, frozenset(slugs)) for day, slugs in sorted(sessions.values()))


def _signed_after(session) -> list[Item]:
    """A late entry performed before sessions already signed: the dose engine judged those
    on a history without it (their intervals and course totals), and this one is judged on
    the history before it only. Said, to be acknowledged with a reason; a session recorded
    as it is performed has none after it."""
    if not session.is_late_entry:
        return []
    from mesochart.treatments.models import TreatmentSession

    later = list(
        TreatmentSession.objects.signed()
        .filter(patient_id=session.patient_id, started_at__gt=session.started_at)
        .exclude(pk=session.pk)
        .order_by("started_at")
        .values_list("started_at", flat=True)
    )
    if not later:
        return []
    zone = ZoneInfo(session.clinic.time_zone)
    days = ", ".join(timezone.localtime(at, zone).date().isoformat() for at in later)
    message = _(
        "Late entry before %(n)s signed session(s) (%(days)s): their intervals and course "
        "totals were judged without it; check them"
    ) % {"n": len(later), "days": days}
    return [Item("late_entry.signed_after", False, message, RELATIVE)]


@dataclass(frozen=True)
class SessionDose:
    """The dose engine run on a session's own points with the patient's signed history:
    ``problem`` (a ``field: rule`` line) when it cannot run, else its ``result`` (the totals
    per ingredient) and its typed ``findings``."""

    summary: Summary
    history: tuple[PastSession, ...]
    problem: str = ""
    result: Result | None = None
    findings: tuple[Finding, ...] = ()


def session_dose(session, on: date, rows: list[tuple] | None = None) -> SessionDose:
    """What the pre-flight checklist judges the doses on; the printed record shows its
    totals. ``on``: the session's day (history after it is left out); ``rows``: the
    patient's `history_rows` if already read."""
    regions = [region_points(r) for r in session.regions if r.get("points")]
    summary = summarise(regions)
    cocktail = [(c.product.slug, float(c.volume_ml)) for c in session.cocktail_version.parts]
    if reasons := unready(summary, cocktail):
        return SessionDose(
            summary, (), unready_problem(reasons[0], summary.without_volume, session=True)
        )
    found = version_products(session.cocktail_version)
    weight = session.patient.weight_kg
    history = history_of(session, on, rows)
    checked = session_findings(
        summary,
        regions,
        cocktail,
        found,
        None if weight is None else float(weight),
        on,
        history,
        session.technique or "session",
    )
    return SessionDose(summary, history, result=checked.result, findings=checked.findings)


def _dose(session, products, on: date) -> list[Item]:
    dose = session_dose(session, on)
    if dose.problem:
        return [Item("dose", False, dose.problem)]
    summary = dose.summary
    items, seen = [], set()
    for finding in dose.findings:
        key = f"dose.{finding.rule}.{finding.product or ''}.{finding.ingredient or ''}"
        if key in seen:
            continue
        seen.add(key)
        kind = BLOCK if finding.severity is Severity.BLOCK else RELATIVE
        items.append(Item(key, False, finding.message, kind))
    if not any(item.kind == BLOCK for item in items):
        items.insert(
            0,
            Item(
                "dose",
                True,
                f"Dose engine: {summary.points} points, {summary.volume_ml:g} mL, "
                f"{len(dose.history)} earlier signed session(s) considered",
            ),
        )
    return items
