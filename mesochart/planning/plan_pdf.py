"""The treatment plan as a PDF: its charts (each region as measured, with its grid points and
a scale bar), the protocol, the cocktail version with its ingredients, the series with its
dates, and the dose engine's totals and findings stored at approval (``approval_result``:
what the approver saw, not a check run again today). A draft plan is marked as not approved.
Printing is a read of health data: `print_plan` audits it.
"""

from datetime import date
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from mesochart.accounts.actor import Actor
from mesochart.audit.log import record_read
from mesochart.audit.models import Category
from mesochart.lib import l10n, pdf
from mesochart.planning.access import require
from mesochart.planning.chart_pdf import chart_flowables
from mesochart.planning.models import indication_label
from mesochart.planning.review import saved_regions


def print_plan(actor: Actor, plan) -> bytes:
    """The PDF of ``plan`` (fetched through ``access.get_plan``); audited as a read."""
    require(actor, "plan.view")
    document = plan_pdf(plan, actor.clinic)
    with transaction.atomic():
        record_read(
            actor,
            patient=plan.patient,
            obj=plan,
            category=Category.PLANNING,
            detail={"document": "plan.pdf", "version": plan.version, "status": plan.status},
        )
    return document


def plan_pdf(plan, clinic) -> bytes:
    """The PDF, unaudited, in the patient's language (its words, dates and numbers).
    ``clinic``: the plan's (the caller found it there)."""
    with translation.override(plan.patient.language):
        return _plan_pdf(plan, clinic)


def _plan_pdf(plan, clinic) -> bytes:
    styles = pdf.styles()
    zone = ZoneInfo(clinic.time_zone)
    regions = saved_regions(plan)
    story = [
        *_header(plan, clinic, styles, zone),
        pdf.text(_("Chart"), styles["section"]),
        *(chart_flowables(regions, styles) or [pdf.text(_("No region yet."), styles["body"])]),
        *_protocol(plan.protocol, styles),
        *_cocktail(plan.cocktail_version, styles),
        *_series(list(plan.sessions.all()), styles),
        *_approval(plan, styles),
    ]
    state = _("approved") if plan.approved else _("DRAFT — NOT APPROVED")
    return pdf.build(
        story,
        title=_("Treatment plan %(pk)s — %(record)s")
        % {"pk": plan.pk, "record": plan.patient.record_number},
        author=clinic.name,
        footer_line=_("Plan #%(pk)s · record %(record)s · version %(v)s · %(state)s")
        % {"pk": plan.pk, "record": plan.patient.record_number, "v": plan.version, "state": state},
    )


def _pairs(rows, styles):
    cells = [[pdf.text(k, styles["label"]), pdf.text(v, styles["body"])] for k, v in rows]
    return pdf.table(cells, [40 * mm, pdf.FRAME_WIDTH - 40 * mm], header=False)


def _header(plan, clinic, styles, zone) -> list:
    patient = plan.patient
    rows = [
        (_("Patient"), f"{patient.family_name.upper()}, {patient.given_name}"),
        (_("Record"), patient.record_number),
        (_("Date of birth"), l10n.day(patient.date_of_birth)),
        (_("Weight"), _unit(patient.weight_kg, "kg")),
        (_("Plan"), plan.title),
        (_("Indication"), indication_label(plan.indication)),
    ]
    if plan.approved:
        by = plan.approved_by.get_full_name() or plan.approved_by.username
        at = l10n.moment(plan.approved_at, zone, with_zone=True)
        rows.append((_("Approved"), _("%(at)s by %(by)s") % {"at": at, "by": by}))
    story = [
        pdf.text(_("Treatment plan"), styles["title"]),
        pdf.text(clinic.name, styles["clinic"]),
    ]
    if not plan.approved:
        story.append(
            pdf.text(_("DRAFT — NOT APPROVED: this plan may still change."), styles["alert"])
        )
    if plan.notes.strip():
        rows.append((_("Notes"), plan.notes))
    return [*story, Spacer(1, 4), _pairs(rows, styles)]


def _range(low, high, unit: str) -> str:
    values = [l10n.number(float(v)) for v in (low, high) if v is not None]
    return f"{'–'.join(dict.fromkeys(values))} {unit}" if values else "—"


def _iso_day(value: str | None) -> str:
    """The stored check's day (ISO in the JSON it was stored as), as the language writes it."""
    return l10n.day(date.fromisoformat(value)) if value else "—"


def _unit(value, unit: str) -> str:
    return "—" if value is None else f"{l10n.number(float(value))} {unit}"


def _protocol(protocol, styles) -> list:
    story = [pdf.text(_("Protocol"), styles["section"])]
    if protocol is None:
        return [*story, pdf.text(_("No protocol chosen."), styles["body"])]
    rows = [
        (_("Protocol"), protocol.name),
        (_("Technique"), protocol.get_technique_display() or "—"),
        (_("Depth"), _range(protocol.depth_min_mm, protocol.depth_max_mm, "mm")),
        (_("Volume per point"), _range(protocol.volume_per_point_ml, None, "mL")),
        (_("Spacing"), _range(protocol.spacing_cm, None, "cm")),
        (_("Needle"), f"{protocol.needle_gauge} G" if protocol.needle_gauge else "—"),
        (_("Series"), protocol.phases_text() or "—"),
    ]
    if protocol.maintenance:
        rows.append((_("Maintenance"), protocol.maintenance))
    story.append(_pairs(rows, styles))
    if protocol.references:
        story.append(pdf.text(_("Sources"), styles["label"]))
        story += [pdf.text(r, styles["small"], bulletText="•") for r in protocol.references]
    return story


def _cocktail(version, styles) -> list:
    story = [pdf.text(_("Cocktail"), styles["section"])]
    if version is None:
        return [*story, pdf.text(_("No cocktail chosen."), styles["body"])]
    story.append(pdf.text(str(version), styles["value"]))
    head = [_("Product"), _("Volume in the mix"), _("Ingredients (strength)")]
    rows = [[pdf.text(h, styles["label"]) for h in head]]
    for part in version.parts:
        ingredients = "; ".join(
            f"{c.ingredient.name} ({c.strength or _('strength not stated')})"
            for c in part.product.composition.all()
        )
        rows.append(
            [
                pdf.text(part.product.name, styles["small"]),
                pdf.text(_unit(part.volume_ml, "mL"), styles["small"]),
                pdf.text(ingredients or "—", styles["small"]),
            ]
        )
    width = pdf.FRAME_WIDTH
    story.append(pdf.table(rows, [0.35 * width, 0.17 * width, 0.48 * width]))
    return story


def _series(sessions, styles) -> list:
    story = [pdf.text(_("Series"), styles["section"])]
    if not sessions:
        return [*story, pdf.text(_("No series proposed yet."), styles["body"])]
    head = [_("Session"), _("Date"), _("Protocol's date"), _("Why it moved")]
    rows = [[pdf.text(h, styles["label"]) for h in head]]
    for session in sessions:
        values = [
            str(session.index + 1),
            l10n.day(session.date),
            l10n.day(session.planned_date),
            "; ".join(str(r) for r in session.reasons) or "—",
        ]
        rows.append([pdf.text(v, styles["small"]) for v in values])
    width = pdf.FRAME_WIDTH
    story.append(pdf.table(rows, [0.12 * width, 0.18 * width, 0.2 * width, 0.5 * width]))
    return story


def _approval(plan, styles) -> list:
    story = [pdf.text(_("Dose check at approval"), styles["section"])]
    result = plan.approval_result
    if not result:
        return [*story, pdf.text(_("Not approved yet: no stored check."), styles["body"])]
    dose = result.get("dose") or {}
    summary = _(
        "%(points)s points, %(volume)s mL per session; %(n)s session(s) checked on %(on)s."
    ) % {
        "points": dose.get("points"),
        "volume": l10n.number(dose.get("volume_ml")),
        "n": dose.get("sessions_checked"),
        "on": _iso_day(result.get("checked_on")),
    }
    story.append(pdf.text(summary, styles["small"]))
    head = [_("Ingredient"), _("Total per session"), _("Per kg of body weight")]
    rows = [[pdf.text(h, styles["label"]) for h in head]]
    for total in dose.get("totals", []):
        rows.append(
            [
                pdf.text(total["name"], styles["small"]),
                pdf.text(pdf.quantity(total.get("amount")), styles["small"]),
                pdf.text(pdf.quantity(total.get("per_kg")), styles["small"]),
            ]
        )
    width = pdf.FRAME_WIDTH
    story.append(pdf.table(rows, [0.5 * width, 0.25 * width, 0.25 * width]))
    findings = dose.get("findings", [])
    story.append(pdf.text(_("Findings"), styles["label"]))
    if not findings:
        story.append(pdf.text(_("No findings."), styles["small"]))
    for finding in findings:
        line = f"{finding['severity']}: {finding['message']}"
        if finding.get("source"):
            line += f" ({finding['source']})"
        story.append(pdf.text(line, styles["small"], bulletText="•"))
    return story
