"""Procedure, MedicationAdministration and BodyStructure: a signed session with its points,
imported signed, with the canonical content it was signed as (`SignedOrigin`), so that it
verifies by its original signature; Provenance: its amendments."""

import json
from datetime import datetime
from decimal import Decimal

from mesochart.accounts.models import Clinic, User
from mesochart.formulary.models import CocktailVersion, Lot
from mesochart.interop.fhir.codes import CORRECTION_CHANGE, LATE_ENTRY, LOCAL, SIGNED_AT
from mesochart.interop.importer.context import Context, code_in, extension, moment
from mesochart.interop.importer.errors import refuse
from mesochart.interop.importer.signed import check_agrees, signed_content, used_lots
from mesochart.interop.models import SignedOrigin
from mesochart.interop.signed import ROW_IDS, sha256_text, verify
from mesochart.planning.models import Plan
from mesochart.treatments.forms import CORRECTABLE
from mesochart.treatments.models import Amendment, LotUse, SessionProduct, TreatmentSession

# What the signed content holds besides row ids, the moment and the products: model fields.
_SESSION_FIELDS = {field.name for field in TreatmentSession._meta.concrete_fields}


def import_sessions(context: Context) -> None:
    for entry in context.each("Procedure"):
        context.keep(entry, _session(context, entry))
    for entry in context.each("Provenance"):
        target = context.source.target((entry.resource.get("target") or [None])[0])
        if target is None or target.kind == "Procedure":  # an Observation's: `outcomes`
            context.keep(entry, _amendment(context, entry))


def _parts(context: Context, entry, kind: str, link: str) -> list:
    return [
        part
        for part in context.source.of(kind)
        if {"reference": entry.url} in part.resource.get(link, [])
    ]


def _session(context: Context, entry) -> TreatmentSession:
    resource = entry.resource
    if resource.get("status") != "completed":
        refuse(entry.at("status"), "must be completed (only signed sessions are imported)")
    text, content = signed_content(entry)
    given = _parts(context, entry, "MedicationAdministration", "partOf")
    grids = [context.source.target(g.resource["supportingInformation"][0]) for g in given]
    plan = context.row((resource.get("basedOn") or [None])[0], entry.at("basedOn", 0), Plan)
    check_agrees(entry, content, given, grids, plan.indication, context.source)
    practitioner = context.row(
        (resource.get("performer") or [{}])[0].get("actor"), entry.at("performer", 0), User
    )
    session = TreatmentSession(
        clinic=context.row(resource.get("location"), entry.at("location"), Clinic),
        patient=context.patient,
        plan=plan,
        plan_session=context.plan_sessions.get(entry.url),
        cocktail_version=_cocktail(context, given, plan, entry),
        practitioner=practitioner,
        created_by=practitioner,
        status="signed",
        started_at=datetime.fromisoformat(content["started_at"]),
        content_hash=sha256_text(text),
    )
    for key, value in content.items():
        if key in _SESSION_FIELDS and key not in ROW_IDS and key != "started_at":
            setattr(session, key, value)
    # A deviation (`core.deviation`) is part of what was signed: kept as it was signed.
    deviation = content.get("deviation") or {}
    session.deviation_findings = [str(line) for line in deviation.get("findings") or []]
    session.deviation_justification = str(deviation.get("justification") or "")
    # A late entry's reason is signed too (its performed time is ``started_at``).
    session.late_entry_reason = str(content.get("late_entry") or "")
    late = _late_entry_times(resource)  # a late entry says when it was entered, and signed
    session.created_at = late.get("entered", session.started_at)
    signed = extension(resource, SIGNED_AT)
    session.signed_at = (
        moment(signed.get("valueDateTime"), entry.at("extension"))
        if signed is not None
        else late.get("signed", session.started_at)  # a Bundle from before `signed-at`
    )
    session.signed_by = (
        context.row(resource["recorder"], entry.at("recorder"), User)
        if resource.get("recorder")
        else practitioner
    )
    session.save()
    products = _products(context, entry, session, content)
    LotUse.objects.bulk_create(LotUse.for_signed(session, products, session.clinic.time_zone))
    SignedOrigin.objects.create(session=session, canonical=text, content_hash=session.content_hash)
    context.counted("treatments.SessionProduct", len(products))
    context.counted("treatments.LotUse", len(products))
    context.counted("interop.SignedOrigin")
    session.refresh_from_db()
    if not verify(session):
        refuse(entry.path, "imported as a record that does not verify (a defect of the import)")
    return session


def _late_entry_times(resource: dict) -> dict[str, datetime]:
    """When a late entry was entered and signed, from its extension (`fhir.sessions`)."""
    found = extension(resource, LATE_ENTRY)
    if found is not None:
        return {
            part["url"]: datetime.fromisoformat(part["valueDateTime"])
            for part in found.get("extension") or []
            if part.get("url") in ("entered", "signed") and part.get("valueDateTime")
        }
    return {}


def _cocktail(context: Context, given: list, plan, entry) -> CocktailVersion:
    if given:
        first = given[0]
        return context.row(
            first.resource.get("medicationReference"),
            first.at("medicationReference"),
            CocktailVersion,
        )
    if plan.cocktail_version is None:
        refuse(entry.path, "needs a MedicationAdministration naming its cocktail")
    return plan.cocktail_version


def _products(context: Context, entry, session, content: dict) -> list:
    """The signed products; the signed lot ids in ascending order are ``usedReference``'s."""
    lots = {
        lot_id: context.row(reference, entry.at("usedReference", index), Lot)
        for lot_id, (index, reference) in used_lots(entry, content).items()
    }
    rows = [
        SessionProduct(
            session=session,
            product=lots[row["lot"]].product,
            lot=lots[row["lot"]],
            volume_drawn_ml=Decimal(row["volume_drawn_ml"]),
            volume_wasted_ml=Decimal(row["volume_wasted_ml"]),
            position=position,
        )
        for position, row in enumerate(content.get("products", []))
    ]
    return SessionProduct.objects.bulk_create(rows)


def _amendment(context: Context, entry) -> Amendment:
    resource = entry.resource
    [target] = resource.get("target") or [None]
    kind = code_in(resource.get("activity"), f"{LOCAL}/amendment")
    if kind not in ("addendum", "correction"):
        refuse(entry.at("activity"), "must be an addendum or a correction")
    [entity] = resource.get("entity") or [{}]
    changes = _changes(entry) if kind == "correction" else {}
    return Amendment.objects.create(
        session=context.row(target, entry.at("target", 0), TreatmentSession),
        kind=kind,
        text=(entity.get("what") or {}).get("display", ""),
        reason=((resource.get("reason") or [{}])[0]).get("text", ""),
        changes=changes,
        by=context.row((resource.get("agent") or [{}])[0].get("who"), entry.at("agent", 0), User),
        at=moment(resource.get("recorded"), entry.at("recorded")),
    )


def _changes(entry) -> dict:
    """A correction's changed fields, each ``{"from": …, "to": …}`` as corrected."""
    changes = {}
    for index, found in enumerate(entry.resource.get("extension", [])):
        if found.get("url") != CORRECTION_CHANGE:
            continue
        at = entry.at("extension", index)
        parts = {part.get("url"): part.get("valueString") for part in found.get("extension", [])}
        name = parts.get("field")
        if name not in CORRECTABLE:
            refuse(f"{at}.field", f"must be one of {', '.join(CORRECTABLE)}")
        try:
            changes[name] = {"from": json.loads(parts["from"]), "to": json.loads(parts["to"])}
        except (KeyError, TypeError, ValueError):
            refuse(at, "from and to must be JSON text")
    return changes
