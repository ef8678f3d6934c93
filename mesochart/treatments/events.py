"""Adverse events: recording one, following it up (validate, write, audit), and the
regulator's report.

The report follows the fields of FDA MedWatch Form 3500 (sections A patient, B event,
D suspect products, E reporter), pre-filled from the record: the patient's age at onset and
sex, the products with their lots, expiry dates and the session's dates and volumes. It is
a draft for the practitioner to check and send; the export is audited.
"""

import csv
import io
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from mesochart.accounts.actor import Actor
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.core.volumes import ml_number
from mesochart.formulary.actions.common import errors_of, refuse_unless_valid
from mesochart.formulary.models import Lot
from mesochart.lib.csvcells import cell
from mesochart.treatments.access import require
from mesochart.treatments.forms import (
    EVOLVING,
    AdverseEventFollowUpForm,
    AdverseEventForm,
    SuspectsAmendmentForm,
    lot_label,
    session_record,
)
from mesochart.treatments.models import (
    AdverseEvent,
    AdverseEventUpdate,
    Causality,
    EventOutcome,
    Seriousness,
)

STALE = "someone else followed this event up since you opened it (version {}); reload it"
NO_CHANGE = "changes nothing: the event already says this"


def record_event(actor: Actor, patient, data: dict) -> AdverseEvent:
    """An adverse event of ``patient`` (fetched through ``patients.access``). ``session``:
    one of the patient's sessions here (its lots are linked unless ``lots`` names others);
    ``products``: suspect products whose lot is not known."""
    require(actor, "adverse.record")
    form = AdverseEventForm(data, patient=patient, clinic=actor.clinic)
    refuse_unless_valid(errors_of(form))
    cleaned = form.cleaned_data
    session = cleaned["session"]
    if cleaned["onset_on"] > actor.clinic.today():
        raise ValidationError({"onset_on": [gettext_lazy("must not be in the future")]})
    lots = list(cleaned["lots"]) or _session_lots(session)
    with transaction.atomic():
        event = form.save(commit=False)
        event.clinic = actor.clinic
        event.patient = patient
        event.session = session
        event.recorded_by = actor.user
        event.save()
        event.lots.set(lots)
        event.products.set(cleaned["products"])
        record(
            actor,
            Action.CREATE,
            Category.TREATMENT,
            patient=patient,
            obj=event,
            detail={"event_type": event.event_type, "serious": event.serious},
        )
    return event


def _session_lots(session) -> list[Lot]:
    return list(Lot.objects.filter(session_uses__session=session).distinct()) if session else []


SUSPECTS = ("session", "lots", "products")


def suspects_of(event: AdverseEvent) -> dict:
    """The event's session, lots and products as its amendments record them."""
    return {
        "session": session_record(event.session) if event.session_id else "none",
        "lots": sorted(lot_label(lot) for lot in event.lots.select_related("product")),
        "products": sorted(product.name for product in event.products.all()),
    }


def amend_suspects(actor: Actor, event, data: dict) -> AdverseEvent:
    """Link or correct the session, lots and products of ``event`` (fetched through
    ``access.get_event``) after it was reported, with a written ``reason``: an amendment.

    ``data`` names the full new ``session``, ``lots`` and ``products`` (lots left empty with
    a session: the session's lots) and the ``version`` read. The event row takes them (so the
    regulator report names the corrected suspects), its version goes up, and an
    `AdverseEventUpdate` keeps ``{field: {"from", "to"}}`` in words with the reason, so what
    was first reported stays readable; audited. Changing nothing is refused."""
    require(actor, "adverse.record")
    version = _version(data.get("version"))
    form = SuspectsAmendmentForm(data, patient=event.patient, clinic=actor.clinic)
    refuse_unless_valid(errors_of(form))
    cleaned = form.cleaned_data
    with transaction.atomic():
        fresh = AdverseEvent.objects.select_for_update().get(pk=event.pk)
        if version != fresh.version:
            raise ValidationError({"version": [STALE.format(fresh.version)]})
        before = suspects_of(fresh)
        fresh.session = cleaned["session"]
        lots = list(cleaned["lots"]) or _session_lots(fresh.session)
        fresh.lots.set(lots)
        fresh.products.set(cleaned["products"])
        after = suspects_of(fresh)
        changes = {
            name: {"from": before[name], "to": after[name]}
            for name in SUSPECTS
            if before[name] != after[name]
        }
        if not changes:
            raise ValidationError(NO_CHANGE)
        fresh.version += 1
        fresh.save(update_fields=["session", "version"])
        update = AdverseEventUpdate.objects.create(
            event=fresh, changes=changes, note=cleaned["reason"].strip(), by=actor.user
        )
        record(
            actor,
            Action.UPDATE,
            Category.TREATMENT,
            patient=fresh.patient,
            obj=fresh,
            detail={
                "amendment": "suspects",
                "fields": sorted(changes),
                "version": fresh.version,
                "update": update.pk,
                "session": fresh.session_id,
                "lots": sorted(lot.pk for lot in lots),
                "products": sorted(product.slug for product in cleaned["products"]),
            },
        )
    return fresh


def first_reported(event: AdverseEvent) -> dict | None:
    """The suspects as first reported, when an amendment has changed them since (else None)."""
    first = {}
    for update in event.updates.all():
        for name in SUSPECTS:
            if name in update.changes and name not in first:
                first[name] = update.changes[name]["from"]
    if not first:
        return None
    return {**suspects_of(event), **first}


def follow_up(actor: Actor, event, data: dict) -> AdverseEvent:
    """Record how ``event`` (fetched through ``access.get_event``) evolved: any of its
    ``outcome``, ``actions_taken``, ``follow_up_dates`` (the full list), ``causality`` and
    ``seriousness`` (the full list: an event may become serious), with an optional ``note``.

    What was reported stays what it was: the type, description, onset, severity at onset,
    session and lots are not changed here (the caller cannot name them). ``data["version"]``
    is the version the caller read; a stale one is refused (``version: …``). The event row
    takes the new values and its version goes up; an `AdverseEventUpdate` keeps each change
    ``{field: {"from", "to"}}``, so the first report stays readable. A follow-up that changes
    none of the fields is refused (a note alone is not a follow-up). Returns the event.
    """
    require(actor, "adverse.record")
    version = _version(data.get("version"))
    with transaction.atomic():
        fresh = AdverseEvent.objects.select_for_update().get(pk=event.pk)
        form = AdverseEventFollowUpForm(_merged(fresh, data))
        refuse_unless_valid(errors_of(form))
        if version != fresh.version:
            raise ValidationError({"version": [STALE.format(fresh.version)]})
        changes = _changes(fresh, form.cleaned_data)
        if not changes:
            raise ValidationError(NO_CHANGE)
        for name in EVOLVING:
            setattr(event, name, changes[name]["to"] if name in changes else getattr(fresh, name))
        event.version = fresh.version + 1
        event.save(update_fields=[*changes, "version"])
        update = AdverseEventUpdate.objects.create(
            event=event, changes=changes, note=form.cleaned_data["note"], by=actor.user
        )
        record(
            actor,
            Action.UPDATE,
            Category.TREATMENT,
            patient=event.patient,
            obj=event,
            detail={"fields": sorted(changes), "version": event.version, "update": update.pk},
        )
    return event


def _version(value) -> int:
    if value in (None, ""):
        raise ValidationError(
            {"version": [gettext_lazy("is required: the version of the event you read")]}
        )
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError({"version": [gettext_lazy("is not valid")]}) from None


def _merged(event: AdverseEvent, data: dict) -> dict:
    """The form's input: the event's current values, with what ``data`` names over them."""
    values = {name: getattr(event, name) for name in EVOLVING}
    values.update({k: v for k, v in data.items() if k in EVOLVING})
    dates = values["follow_up_dates"]
    if isinstance(dates, list | tuple):
        values["follow_up_dates"] = ", ".join(str(d) for d in dates)
    values["note"] = data.get("note") or ""
    return values


def _changes(event: AdverseEvent, cleaned: dict) -> dict:
    changes = {}
    for name in EVOLVING:
        old, new = getattr(event, name), cleaned[name]
        if name == "seriousness":
            # A set of outcomes: the order they were ticked in is not a change.
            if set(old) == set(new):
                continue
            new = [value for value in Seriousness.values if value in new]
        if new != old:
            changes[name] = {"from": old, "to": new}
    return changes


_LABELS = {
    "session": ("Session", {}),
    "lots": ("Suspect lots", {}),
    "products": ("Suspect products, lot unknown", {}),
    "outcome": ("Outcome", dict(EventOutcome.choices)),
    "causality": ("Causality (WHO-UMC)", dict(Causality.choices)),
    "seriousness": ("Seriousness", dict(Seriousness.choices)),
    "actions_taken": ("Actions taken", {}),
    "follow_up_dates": ("Follow-up dates", {}),
}


def change_lines(update: AdverseEventUpdate) -> list[str]:
    """``Outcome: Recovering → Recovered``, one line per field a follow-up changed."""

    def shown(value, labels) -> str:
        if isinstance(value, list):
            return ", ".join(str(labels.get(v, v)) for v in value) or "none"
        return labels.get(value, value) or "none"

    lines = []
    for name, change in update.changes.items():
        label, labels = _LABELS.get(name, (name, {}))
        lines.append(f"{label}: {shown(change['from'], labels)} → {shown(change['to'], labels)}")
    return lines


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def report_fields(event: AdverseEvent) -> list[tuple[str, str, str]]:
    """(section, field, value) rows in the order of MedWatch 3500."""
    patient, session = event.patient, event.session
    seriousness = dict(Seriousness.choices)
    rows = [
        ("A. Patient", "Identifier", f"{patient.given_name[:1]}{patient.family_name[:1]}"),
        (
            "A. Patient",
            "Age at time of event (years)",
            str(_age(patient.date_of_birth, event.onset_on)),
        ),
        ("A. Patient", "Date of birth", patient.date_of_birth.isoformat()),
        ("A. Patient", "Sex", patient.get_sex_at_birth_display()),
        ("A. Patient", "Weight (kg)", "" if patient.weight_kg is None else str(patient.weight_kg)),
        (
            "B. Adverse event",
            "Outcomes attributed",
            "; ".join(str(seriousness[s]) for s in event.seriousness) or "Not serious",
        ),
        ("B. Adverse event", "Date of event", event.onset_on.isoformat()),
        ("B. Adverse event", "Date of this report", event.recorded_at.date().isoformat()),
        ("B. Adverse event", "Type", event.get_event_type_display()),
        ("B. Adverse event", "Severity", event.get_severity_display()),
        ("B. Adverse event", "Description", event.description),
        ("B. Adverse event", "Actions taken", event.actions_taken),
        # The current outcome: follow-ups change the row, their history is kept beside it.
        ("B. Adverse event", "Outcome", event.get_outcome_display()),
        ("B. Adverse event", "Follow-up dates", ", ".join(event.follow_up_dates)),
        ("B. Adverse event", "Causality (WHO-UMC)", event.get_causality_display()),
    ]
    uses = {}
    if session is not None:
        uses = {row.lot_id: row for row in session.products.all()}
    for index, lot in enumerate(event.lots.select_related("product"), start=1):
        section = f"D. Suspect product {index}"
        use = uses.get(lot.pk)
        rows += [
            (section, "Name", lot.product.name),
            (section, "Manufacturer", lot.product.manufacturer),
            (section, "Lot number", lot.lot_number),
            (section, "Expiration date", lot.expires_on.isoformat()),
            (section, "GTIN", lot.gtin),
            (section, "Route", "Injection (mesotherapy)"),
            (
                section,
                "Dose (mL administered)",
                "" if use is None else ml_number(use.volume_administered_ml),
            ),
            (
                section,
                "Therapy date",
                "" if session is None else session.started_at.date().isoformat(),
            ),
            (section, "Areas treated", "" if session is None else ", ".join(session.areas)),
        ]
    for index, product in enumerate(event.products.all(), start=_suspects(rows) + 1):
        section = f"D. Suspect product {index}"
        rows += [
            (section, "Name", product.name),
            (section, "Manufacturer", product.manufacturer),
            (section, "Lot number", "unknown"),
            (section, "Route", "Injection (mesotherapy)"),
            (
                section,
                "Therapy date",
                "" if session is None else session.started_at.date().isoformat(),
            ),
            (section, "Areas treated", "" if session is None else ", ".join(session.areas)),
        ]
    practitioner = session.practitioner if session is not None else event.recorded_by
    rows += [
        ("E. Reporter", "Name", practitioner.get_full_name() or practitioner.username),
        ("E. Reporter", "Facility", event.clinic.name),
        ("E. Reporter", "Health professional", "Yes"),
    ]
    return rows


def _suspects(rows) -> int:
    return len({section for section, _, _ in rows if section.startswith("D. ")})


def _audit_export(actor: Actor, event, fmt: str) -> None:
    with transaction.atomic():
        record(
            actor,
            Action.EXPORT,
            Category.TREATMENT,
            patient=event.patient,
            obj=event,
            detail={"report": "medwatch-3500", "format": fmt},
        )


def report_csv(actor: Actor, event) -> str:
    require(actor, "session.view")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["section", "field", "value"])
    writer.writerows([section, name, cell(value)] for section, name, value in report_fields(event))
    _audit_export(actor, event, "csv")
    return buffer.getvalue()


def report_pdf(actor: Actor, event) -> bytes:
    require(actor, "session.view")
    document = report_pdf_document(event)
    _audit_export(actor, event, "pdf")
    return document


def report_pdf_document(event) -> bytes:
    """The report as PDF, unaudited: for callers that audit the export they are part of."""
    from mesochart.lib import pdf

    styles = pdf.styles()
    story = [
        pdf.text("Adverse event report (MedWatch 3500 fields) — draft", styles["title"]),
        pdf.text(event.clinic.name, styles["clinic"]),
    ]
    section_rows: dict[str, list] = {}
    for section, name, value in report_fields(event):
        section_rows.setdefault(section, []).append(
            [pdf.text(name, styles["label"]), pdf.text(value, styles["body"])]
        )
    widths = [0.33 * pdf.FRAME_WIDTH, 0.67 * pdf.FRAME_WIDTH]
    for section, rows in section_rows.items():
        story += [pdf.text(section, styles["heading"]), pdf.table(rows, widths, header=False)]
    return pdf.build(
        story,
        title="Adverse event report",
        author=event.clinic.name,
        footer_line=f"Adverse event #{event.pk} · record {event.patient.record_number}",
    )
