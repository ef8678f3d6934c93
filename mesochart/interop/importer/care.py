"""CarePlan (a plan and its series), Consent (the signed text, refused unless its SHA-256 is
the one signed) and AdverseEvent."""

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

from mesochart.accounts.models import Clinic, User
from mesochart.consent.models import Consent
from mesochart.formulary.models import CocktailVersion, Lot
from mesochart.interop.fhir.care import OUTCOME, PLAN_STATUS
from mesochart.interop.fhir.codes import (
    APPROVAL,
    CHART_VIEW,
    CONTENT_HASH,
    GRID_POINT,
    LOCAL,
    PARTICIPANT,
    PLANNED_GRID,
    SERIOUS_OUTCOME,
)
from mesochart.interop.importer.context import Context, code_in, day, extension, moment
from mesochart.interop.importer.errors import refuse
from mesochart.planning.forms import RegionForm, clean_points
from mesochart.planning.models import Plan, PlanRegion, PlanSession
from mesochart.treatments.models import AdverseEvent, EventType, Seriousness, TreatmentSession

PLAN = {fhir: status for status, fhir in PLAN_STATUS.items()}
EVENT_OUTCOME = {fhir: outcome for outcome, fhir in OUTCOME.items()}
_CONSENT_TITLE = re.compile(r"^Consent to (?P<indication>\S+) \((?P<area>.*)\) signed ")
_SESSION = re.compile(r"^Session (?P<number>[0-9]+)$")


def import_plans(context: Context) -> None:
    for entry in context.each("CarePlan"):
        context.keep(entry, _plan(context, entry))


def _plan(context: Context, entry) -> Plan:
    resource = entry.resource
    [category] = resource.get("category") or [None]
    status = PLAN.get(resource.get("status"), "draft")
    plan = Plan.objects.create(
        clinic=context.patient.clinic,
        patient=context.patient,
        title=resource.get("title", ""),
        indication=code_in(category, f"{LOCAL}/indication") or "other",
        cocktail_version=_plan_cocktail(context, entry),
        notes=resource.get("description", ""),
        status=status,
        created_by=context.row(resource.get("author"), entry.at("author"), User),
        created_at=moment(resource.get("created"), entry.at("created")),
        **(_approval(context, entry) if status == "approved" else {}),
    )
    for index, activity in enumerate(resource.get("activity", [])):
        detail = activity.get("detail") or {}
        number = _SESSION.match(detail.get("description", ""))
        planned = day(
            (detail.get("scheduledPeriod") or {}).get("start"),
            entry.at("activity", index, "detail", "scheduledPeriod", "start"),
        )
        session = PlanSession.objects.create(
            plan=plan,
            index=int(number["number"]) - 1 if number else index,
            date=planned,
            planned_date=planned,
        )
        context.counted("planning.PlanSession")
        for outcome in activity.get("outcomeReference", []):
            context.plan_sessions[outcome["reference"]] = session
    for index, reference in enumerate(resource.get("supportingInfo", [])):
        area = context.source.target(reference)
        if area is None or area.kind != "BodyStructure":
            refuse(entry.at("supportingInfo", index), "must name the plan's areas (BodyStructure)")
        context.keep(area, _plan_area(plan, area))
    return plan


def _plan_area(plan: Plan, entry) -> PlanRegion:
    """A plan's area from its BodyStructure, checked as the chart editor checks one."""
    resource = entry.resource
    view = (extension(resource, CHART_VIEW) or {}).get("valueCoding", {}).get("code", "")
    grid = extension(resource, PLANNED_GRID)
    if grid is None:
        refuse(entry.at("extension"), f"a plan's area must hold its grid ({PLANNED_GRID})")
    settings = {
        part.get("url", "").replace("-", "_"): next(
            (value for key, value in part.items() if key.startswith("value")), None
        )
        for part in grid.get("extension", [])
    }
    form = RegionForm(
        {
            "view": view,
            "region": code_in(resource.get("location"), f"{LOCAL}/region") or "",
            **{key: value for key, value in settings.items() if key != "position"},
        }
    )
    if not form.is_valid():
        field, [message, *_] = next(iter(form.errors.items()))
        refuse(entry.at("extension"), f"{field.replace('_', '-')}: {message}")
    points, problems = clean_points(
        [_point(part.get("extension", [])) for part in _points(resource)]
    )
    if problems:
        refuse(entry.at("extension"), problems[0])
    return PlanRegion.objects.create(
        plan=plan,
        position=settings.get("position") or 0,
        points=points,
        **{name: value for name, value in form.cleaned_data.items() if name != "points"},
    )


def _points(resource: dict) -> list[dict]:
    return [e for e in resource.get("extension", []) if e.get("url") == GRID_POINT]


def _point(parts: list[dict]) -> list:
    """A point as the editor stores it: ``[x, y]``, or ``[x, y, depth, volume]``."""
    values = {part.get("url"): part.get("valueDecimal") for part in parts}
    point = [values.get("x-cm"), values.get("y-cm")]
    if "depth-mm" in values or "volume-ml" in values:
        point += [values.get("depth-mm"), values.get("volume-ml")]
    return point


def _plan_cocktail(context: Context, entry) -> CocktailVersion | None:
    """The cocktail its sessions gave; the Bundle's only cocktail for a plan with none."""
    based = {
        p.url
        for p in context.source.of("Procedure")
        if {"reference": entry.url} in p.resource.get("basedOn", [])
    }
    for given in context.source.of("MedicationAdministration"):
        if any(part["reference"] in based for part in given.resource.get("partOf", [])):
            return context.rows[given.resource["medicationReference"]["reference"]]
    versions = [r for r in context.rows.values() if isinstance(r, CocktailVersion)]
    return versions[0] if len(versions) == 1 else None


def _approval(context: Context, entry) -> dict:
    """Who approved an active CarePlan and when: required, as on every approved plan."""
    found = extension(entry.resource, APPROVAL)
    if found is None:
        refuse(entry.at("extension"), f"an active CarePlan must name its approval ({APPROVAL})")
    at = entry.at("extension", entry.resource["extension"].index(found), "extension")
    parts = {part.get("url"): part for part in found.get("extension", [])}
    approver = (parts.get("approver") or {}).get("valueReference")
    approved = (parts.get("approved") or {}).get("valueDateTime")
    return {
        "approved_by": context.row(approver, f"{at}.approver", User),
        "approved_at": moment(approved, f"{at}.approved"),
    }


def import_consents(context: Context) -> None:
    for entry in context.each("Consent"):
        context.keep(entry, _consent(context, entry))


def _consent(context: Context, entry) -> Consent:
    resource = entry.resource
    attachment = resource.get("sourceAttachment") or {}
    try:
        document = base64.b64decode(attachment.get("data", ""), validate=True)
    except binascii.Error:
        refuse(entry.at("sourceAttachment", "data"), "must be base64")
    signed = extension(attachment, CONTENT_HASH)
    digest = hashlib.sha256(document).hexdigest()
    if signed is None or signed.get("valueString") != digest:
        refuse(
            entry.at("sourceAttachment", "data"),
            "its SHA-256 is not the one signed (the content-sha256 extension)",
        )
    title = _CONSENT_TITLE.match(attachment.get("title", ""))
    if not title:
        refuse(entry.at("sourceAttachment", "title"), "must read 'Consent to INDICATION (AREA)'")
    version = _consent_cocktail(context, title["indication"], entry)
    signed_by = _signature(context, entry)
    witness = signed_by.witness or context.first_practitioner()
    withdrawn = (resource.get("provision") or {}).get("period", {}).get("start")
    return Consent.objects.create(
        patient=context.patient,
        clinic=context.patient.clinic,
        indication=title["indication"],
        area=title["area"],
        cocktail_version=version,
        product_slugs=[c.product.slug for c in version.components.select_related("product")],
        document=document.decode(),
        document_sha256=digest,
        signature_png=signed_by.png,
        signature_sha256=hashlib.sha256(signed_by.png).hexdigest(),
        signer_name=signed_by.name or f"{context.patient.given_name} {context.patient.family_name}",
        signed_at=moment(resource.get("dateTime"), entry.at("dateTime")),
        witness=witness,
        user_agent=IMPORTED if signed_by.png else IMPORTED_UNSIGNED,
        withdrawn_at=moment(withdrawn, entry.at("provision", "period", "start"))
        if withdrawn
        else None,
        withdrawn_by=witness if withdrawn else None,
    )


IMPORTED = "imported from FHIR (the device it was signed on is not part of the Bundle)"
IMPORTED_UNSIGNED = "imported from FHIR (the Bundle held no drawn signature)"


@dataclass(frozen=True)
class Signed:
    png: bytes = b""
    name: str = ""
    witness: User | None = None


def _signature(context: Context, entry) -> Signed:
    """The drawn signature, typed name and witness from the consent's Provenance, if any
    (a Bundle from elsewhere may have none: the consent keeps its text and hash)."""
    for given in context.source.of("Provenance"):
        target = (given.resource.get("target") or [{}])[0]
        if target.get("reference") != entry.url or not given.resource.get("signature"):
            continue
        [signature, *_] = given.resource["signature"]
        try:
            png = base64.b64decode(signature.get("data", ""), validate=True)
        except binascii.Error:
            refuse(given.at("signature", 0, "data"), "must be base64")
        witness = None
        for index, agent in enumerate(given.resource.get("agent", [])):
            if code_in(agent.get("type"), PARTICIPANT) == "attester":
                witness = context.row(agent.get("who"), given.at("agent", index, "who"), User)
        return Signed(png, (signature.get("who") or {}).get("display", ""), witness)
    return Signed()


def _consent_cocktail(context: Context, indication: str, entry) -> CocktailVersion:
    plans = [r for r in context.rows.values() if isinstance(r, Plan) and r.cocktail_version_id]
    for plan in plans:
        if plan.indication == indication and plan.cocktail_version is not None:
            return plan.cocktail_version
    versions = [r for r in context.rows.values() if isinstance(r, CocktailVersion)]
    if not versions:
        refuse(entry.path, "needs the Medication of the cocktail it consents to")
    return versions[0]


def import_events(context: Context) -> None:
    for entry in context.each("AdverseEvent"):
        context.keep(entry, _event(context, entry))


def _event(context: Context, entry) -> AdverseEvent:
    resource = entry.resource
    event_type = code_in(resource.get("event"), f"{LOCAL}/event")
    if event_type not in EventType.values:
        refuse(entry.at("event", "coding"), f"must be one of {', '.join(EventType.values)}")
    text = (resource.get("event") or {}).get("text", "")
    suspects = resource.get("suspectEntity", [])
    causality = code_in(
        ((suspects or [{}])[0].get("causality") or [{}])[0].get("assessment"), f"{LOCAL}/causality"
    )
    rows = [
        context.row(s.get("instance"), entry.at("suspectEntity", i, "instance"))
        for i, s in enumerate(suspects)
    ]
    serious = code_in(resource.get("seriousness"), _system(resource, "seriousness"))
    outcomes = _serious_outcomes(entry)
    event = AdverseEvent.objects.create(
        clinic=context.row(resource.get("location"), entry.at("location"), Clinic),
        patient=context.patient,
        session=next((r for r in rows if isinstance(r, TreatmentSession)), None),
        event_type=event_type,
        description="" if text == EventType(event_type).label else text,
        severity=code_in(resource.get("severity"), _system(resource, "severity")) or "mild",
        seriousness=outcomes or (["other_serious"] if serious == "serious" else []),
        onset_on=day(resource.get("date", "")[:10], entry.at("date")),
        causality=causality or "unassessable",
        outcome=EVENT_OUTCOME.get(
            code_in(resource.get("outcome"), _system(resource, "outcome")) or ""
        )
        or "unknown",
        recorded_by=context.row(resource.get("recorder"), entry.at("recorder"), User),
        recorded_at=moment(resource.get("recordedDate"), entry.at("recordedDate")),
    )
    event.lots.set([r for r in rows if isinstance(r, Lot)])
    return event


def _serious_outcomes(entry) -> list[str]:
    """The MedWatch outcomes that made the event serious; a Bundle from elsewhere that only
    says "serious" gets "other serious" (above)."""
    found = []
    for index, part in enumerate(entry.resource.get("extension", [])):
        if part.get("url") != SERIOUS_OUTCOME:
            continue
        code = (part.get("valueCoding") or {}).get("code")
        if code not in Seriousness.values:
            refuse(
                entry.at("extension", index, "valueCoding"),
                f"must be one of {', '.join(Seriousness.values)}",
            )
        found.append(code)
    return found


def _system(resource: dict, element: str) -> str | None:
    codings = (resource.get(element) or {}).get("coding", [])
    return codings[0].get("system") if codings else None
