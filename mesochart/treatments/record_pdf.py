"""The session record as a PDF for the paper file: who, when, the points on each area's
chart, the products with their lots and expiry, the volumes and their reconciliation (drawn =
injected + wasted per product, as the session page shows it), the dose totals per
ingredient, the amendments, the signature and the record's SHA-256.

The totals are the dose engine's own (`preflight.session_dose`, the function the pre-flight
checklist judges the session on), never summed again here. A draft prints across every page
with DRAFT — NOT SIGNED. Printing is a read of health data: `print_record` audits it.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from mesochart.accounts.actor import Actor
from mesochart.audit.log import record_read
from mesochart.audit.models import Category
from mesochart.consent.plans import area_words
from mesochart.core.plan_file import result_to_dict
from mesochart.core.volumes import format_ml
from mesochart.interop.signed import verify
from mesochart.lib import l10n, pdf
from mesochart.planning.chart_pdf import chart_flowables
from mesochart.planning.review import measured_as_planned, saved_regions
from mesochart.treatments import deviations, late_entry, reconcile
from mesochart.treatments.access import require
from mesochart.treatments.forms import corrected_label
from mesochart.treatments.models import Amendment
from mesochart.treatments.preflight import session_dose

DRAFT_MARK = "DRAFT — NOT SIGNED"


def print_record(actor: Actor, session) -> bytes:
    """The PDF of ``session`` (fetched through ``access.get_session``); audited as a read."""
    require(actor, "session.view")
    document = session_record_pdf(session)
    with transaction.atomic():
        record_read(
            actor,
            patient=session.patient,
            obj=session,
            category=Category.TREATMENT,
            detail={"document": "session-record.pdf", "status": session.status},
        )
    return document


@dataclass
class Batch:
    """What the records of one patient's sessions share, read once for all of them (the
    whole-record zip): each plan's saved regions, and the patient's signed history. The
    sessions come with their products (``lot__product``, ``product``), amendments (``by``)
    and ``signed_origin`` read (`interop.ehi`)."""

    regions: dict[int, list[dict]] = field(default_factory=dict)
    history: list[tuple] | None = None


def session_record_pdf(session, batch: Batch | None = None) -> bytes:
    """The PDF, unaudited: for callers that audit the export they are part of. In the
    patient's language (its words, dates and numbers); what people wrote prints as written."""
    with translation.override(session.patient.language):
        return _session_record_pdf(session, batch)


def _session_record_pdf(session, batch: Batch | None = None) -> bytes:
    styles = pdf.styles()
    zone = ZoneInfo(session.clinic.time_zone)
    if batch is None:
        products = list(session.products.select_related("lot__product", "product"))
        amendments = list(Amendment.objects.filter(session=session).select_related("by"))
        saved = saved_regions(session.plan)
    else:
        products, amendments = list(session.products.all()), list(session.amendments.all())
        if session.plan_id not in batch.regions:
            batch.regions[session.plan_id] = saved_regions(session.plan)
        saved = batch.regions[session.plan_id]
    regions = measured_as_planned(session.regions, saved)
    story = [
        *_header(session, styles, zone),
        pdf.text(_("Points administered"), styles["section"]),
        *(
            chart_flowables([r for r in regions if r.get("points")], styles)
            or [pdf.text(_("No point recorded."), styles["body"])]
        ),
        pdf.text(_("Products, lots and volumes"), styles["section"]),
        _products(products, styles),
        *_reconciliation(session, products, styles),
        pdf.text(_("Dose totals per ingredient"), styles["section"]),
        *_totals(session, styles, zone, batch.history if batch else None),
        *_notes(session, styles),
        *deviations.pdf_story(session, styles),
        *_amendments(amendments, styles, zone),
        *_signature(session, products, styles, zone),
    ]
    if session.signed:
        footer = _("Session #%(pk)s · record %(record)s · SHA-256 %(hash)s…") % {
            "pk": session.pk,
            "record": session.patient.record_number,
            "hash": session.content_hash[:16],
        }
    else:
        footer = _("Session #%(pk)s · record %(record)s · %(mark)s") % {
            "pk": session.pk,
            "record": session.patient.record_number,
            "mark": _(DRAFT_MARK),
        }
    return pdf.build(
        story,
        title=_("Session record %(pk)s — %(record)s")
        % {"pk": session.pk, "record": session.patient.record_number},
        author=session.clinic.name,
        footer_line=footer,
        on_page=None if session.signed else _draft_mark,
    )


def _draft_mark(canvas, document) -> None:
    _regular, bold = pdf.fonts()
    canvas.saveState()
    canvas.setFillColor(pdf.DANGER)
    canvas.setFillAlpha(0.16)
    canvas.setFont(bold, 46)
    canvas.translate(pdf.PAGE[0] / 2, pdf.PAGE[1] / 2)
    canvas.rotate(40)
    canvas.drawCentredString(0, 0, _(DRAFT_MARK))
    canvas.restoreState()


def _header(session, styles, zone) -> list:
    patient = session.patient
    started = timezone.localtime(session.started_at, zone)
    practitioner = session.practitioner.get_full_name() or session.practitioner.username
    if session.plan_session is not None:
        series = _("session %(n)s of the series") % {"n": session.plan_session.index + 1}
    else:
        series = _("ad hoc session")
    rows = [
        (_("Patient"), f"{patient.family_name.upper()}, {patient.given_name}"),
        (_("Record"), patient.record_number),
        (_("Date of birth"), l10n.day(patient.date_of_birth)),
        (
            _("Performed") if session.is_late_entry else _("Session"),
            l10n.moment(started, zone, with_zone=True),
        ),
        (_("Plan"), f"{session.plan.title} · {series}"),
        (_("Cocktail"), str(session.cocktail_version)),
        (_("Practitioner"), practitioner),
        (_("Technique"), session.get_technique_display() or "—"),
        (_("Needle"), _needle(session)),
        (_("Depth"), _mm(session.depth_mm)),
        (_("Areas"), "; ".join(area_words(a) for a in session.areas) or "—"),
        (_("Anaesthesia"), session.anaesthesia or "—"),
    ]
    if session.is_late_entry:
        entered = l10n.moment(session.created_at, zone, with_zone=True)
        rows[4:4] = [(_("Entered"), entered), (_("Late entry, because"), session.late_entry_reason)]
    story = [
        pdf.text(_("Session record"), styles["title"]),
        pdf.text(session.clinic.name, styles["clinic"]),
    ]
    if session.is_late_entry:
        story.append(
            pdf.text(
                _("LATE ENTRY: %(words)s.") % {"words": late_entry.words(session)},
                styles["alert"],
            )
        )
    if not session.signed:
        story.append(
            pdf.text(
                _("%(mark)s: this record may still change; it is not the signed record.")
                % {"mark": _(DRAFT_MARK)},
                styles["alert"],
            )
        )
    story += [Spacer(1, 4), _pairs(rows, styles, columns=2)]
    return story


def _needle(session) -> str:
    parts = []
    if session.needle_gauge:
        parts.append(f"{session.needle_gauge} G")
    if session.needle_length_mm:
        parts.append(f"{session.needle_length_mm} mm")
    return " × ".join(parts) or "—"


def _pairs(rows, styles, columns: int = 1):
    """Label and value side by side, ``columns`` pairs to a line."""
    cells = [[pdf.text(k, styles["label"]), pdf.text(v, styles["body"])] for k, v in rows]
    lines = [
        [cell for pair in cells[start : start + columns] for cell in pair]
        for start in range(0, len(cells), columns)
    ]
    if len(lines[-1]) < 2 * columns:
        lines[-1] += [""] * (2 * columns - len(lines[-1]))
    label = 28 * mm
    value = pdf.FRAME_WIDTH / columns - label
    return pdf.table(lines, [label, value] * columns, header=False)


def _products(products, styles):
    if not products:
        return pdf.text(_("No product recorded."), styles["body"])
    head = [
        _("Product"),
        _("Lot"),
        _("Expires"),
        _("Drawn (mL)"),
        _("Wasted (mL)"),
        _("Administered (mL)"),
    ]
    rows = [[pdf.text(h, styles["label"]) for h in head]]
    for row in products:
        values = [
            row.product.name,
            row.lot.lot_number,
            l10n.day(row.lot.expires_on),
            _ml(row.volume_drawn_ml),
            _ml(row.volume_wasted_ml),
            _ml(row.volume_administered_ml),
        ]
        rows.append([pdf.text(v, styles["small"]) for v in values])
    width = pdf.FRAME_WIDTH
    return pdf.table(rows, [0.3 * width, 0.16 * width, 0.14 * width] + [0.4 * width / 3] * 3)


def _reconciliation(session, products, styles) -> list:
    """Drawn = injected + wasted per product, the lines the session page shows
    (`treatments.reconcile.lines`), so the paper file says whether the volumes add up."""
    reconciled = reconcile.lines(session, products)
    if not reconciled:
        return []
    head = [_("Product"), _("Drawn"), _("Injected (points)"), _("Wasted"), _("Difference"), ""]
    rows = [[pdf.text(h, styles["label"]) for h in head]]
    for r in reconciled:
        line = r.line
        verdict = _("Does not reconcile") if r.problem else _("Reconciles")
        values = [
            r.name,
            format_ml(line.drawn_ml),
            format_ml(line.injected_ml),
            format_ml(line.wasted_ml),
            format_ml(line.difference_ml),
            verdict,
        ]
        rows.append([pdf.text(v, styles["small"]) for v in values])
    width = pdf.FRAME_WIDTH
    return [
        pdf.text(_("Drawn, injected and wasted"), styles["section"]),
        pdf.table(rows, [0.3 * width] + [0.12 * width] * 4 + [0.22 * width]),
        pdf.text(
            _(
                "Injected is the points' total volume in the cocktail's proportions; what was "
                "drawn must equal injected plus wasted."
            ),
            styles["label"],
        ),
    ]


def _ml(value) -> str:
    return l10n.number(Decimal(value).quantize(Decimal("0.001")), "f")


def _mm(value) -> str:
    return "—" if value is None else f"{l10n.number(value)} mm"


def _totals(session, styles, zone, history) -> list:
    dose = session_dose(session, session.performed_on(), history)
    if dose.problem or dose.result is None:
        return [pdf.text(_("Not computed: %(why)s") % {"why": dose.problem}, styles["alert"])]
    head = [_("Ingredient"), _("Total"), _("Per kg of body weight")]
    rows = [[pdf.text(h, styles["label"]) for h in head]]
    for total in result_to_dict(dose.result)["totals"]:
        rows.append(
            [
                pdf.text(total["name"], styles["small"]),
                pdf.text(pdf.quantity(total["amount"]), styles["small"]),
                pdf.text(pdf.quantity(total["per_kg"]), styles["small"]),
            ]
        )
    width = pdf.FRAME_WIDTH
    summary = _(
        "%(points)s points, %(volume)s mL in all; %(history)s earlier signed session(s) "
        "of the patient considered by the dose engine."
    ) % {
        "points": dose.summary.points,
        "volume": l10n.number(dose.summary.volume_ml),
        "history": len(dose.history),
    }
    weight = session.patient.weight_kg
    if weight is not None:
        # The engine reads the weight on record now: a reprint after the patient was weighed
        # again shows per-kg figures at the new weight, so the page says which it used.
        summary += " " + _("Per kg at the weight on record when printed: %(kg)s kg.") % {
            "kg": l10n.number(float(weight))
        }
    story = [pdf.table(rows, [0.5 * width, 0.25 * width, 0.25 * width])]
    story.append(pdf.text(summary, styles["label"]))
    for finding in dose.findings:
        story.append(pdf.text(f"{finding.severity}: {finding.message}", styles["small"]))
    return story


def _notes(session, styles) -> list:
    story = []
    for title, value in ((_("Notes"), session.notes), (_("Aftercare"), session.aftercare)):
        if value.strip():
            story.append(pdf.text(title, styles["section"]))
            story += [pdf.text(line, styles["body"]) for line in value.splitlines() if line]
    return story


def _amendments(amendments, styles, zone) -> list:
    if not amendments:
        return []
    story = [pdf.text(_("Amendments"), styles["section"])]
    for amendment in amendments:
        by = amendment.by.get_full_name() or amendment.by.username
        at = l10n.moment(amendment.at, zone)
        story.append(pdf.text(f"{amendment.get_kind_display()} · {at} · {by}", styles["value"]))
        story.append(pdf.text(amendment.text, styles["body"]))
        if amendment.reason:
            story.append(pdf.text(_("Reason: %(r)s") % {"r": amendment.reason}, styles["small"]))
        for name, change in (amendment.changes or {}).items():
            line = f"{corrected_label(name)}: {change.get('from')!s} → {change.get('to')!s}"
            story.append(pdf.text(line, styles["small"]))
    return story


def _signature(session, products, styles, zone) -> list:
    story = [pdf.text(_("Signature"), styles["section"])]
    if not session.signed:
        story.append(pdf.text(_("%(mark)s.") % {"mark": _(DRAFT_MARK)}, styles["alert"]))
        return story
    by = session.signed_by.get_full_name() or session.signed_by.username
    at = l10n.moment(session.signed_at, zone, with_zone=True)
    story += [
        _pairs([(_("Signed by"), by), (_("Signed at"), at)], styles),
        Spacer(1, 4),
        pdf.text(_("SHA-256 of the signed record"), styles["label"]),
        pdf.text(session.content_hash, styles["hash"]),
    ]
    # The one check of a signature (`interop.signed`): a record imported from another
    # installation verifies against the content it was signed with there.
    if verify(session, products):
        story.append(
            pdf.text(
                _("Verified when this PDF was made: the stored record matches its hash."),
                styles["label"],
            )
        )
    else:
        story.append(
            pdf.text(_("The stored record does not match its hash: report this."), styles["alert"])
        )
    return story
