"""A signed session as FHIR: one Procedure, one MedicationAdministration and one
BodyStructure (its grid of points) per area, and a Provenance per amendment."""

import base64
import json
from decimal import Decimal
from typing import Any

from mesochart.interop.fhir.codes import (
    CHART_VIEW,
    CONTENT_HASH,
    CORRECTION_CHANGE,
    GRID_POINT,
    LATE_ENTRY,
    LOCAL,
    PROCEDURE,
    SIGNED_AT,
    SIGNED_CONTENT,
    body_site,
    local,
    ml,
    route_of,
)
from mesochart.interop.fhir.ids import Refs
from mesochart.interop.signed import signed_text
from mesochart.planning.areas import get_view
from mesochart.treatments.models import SessionStatus

STATUS = {"signed": "completed", "voided": "entered-in-error"}


def region_label(view: str, region: str) -> str:
    """The region's name on its chart; the stored name itself if the chart no longer has it."""
    try:
        return get_view(view).region(region).name
    except (KeyError, LookupError, ValueError):
        return region


def region_volume_ml(region: dict) -> Decimal:
    return Decimal(str(region.get("volume_ml") or 0)) * len(region.get("points") or [])


def procedure(refs: Refs, session, patient_ref: dict, lots: list) -> dict:
    sites = [body_site(r["region"], region_label(r["view"], r["region"])) for r in session.regions]
    resource = {
        "resourceType": "Procedure",
        "id": refs.id("Procedure", session.pk),
        "extension": [
            {"url": CONTENT_HASH, "valueString": session.content_hash},
            {"url": SIGNED_CONTENT, "valueBase64Binary": signed_content(session)},
        ],
        "basedOn": [refs.ref("CarePlan", session.plan_id)],
        "status": STATUS[session.status],
        "code": {"coding": [PROCEDURE], "text": PROCEDURE["display"]},
        "subject": patient_ref,
        "performedDateTime": session.started_at.isoformat(),
        "performer": [{"actor": refs.ref("Practitioner", session.practitioner_id)}],
        "location": refs.ref("Location", session.clinic_id),
        "usedReference": [refs.ref("Medication", f"lot-{lot_id}") for lot_id in lots],
    }
    if session.signed_by_id:
        resource["recorder"] = refs.ref("Practitioner", session.signed_by_id)
    if session.signed_at is not None:
        resource["extension"].append(
            {"url": SIGNED_AT, "valueDateTime": session.signed_at.isoformat()}
        )
    if session.is_late_entry:
        resource["extension"].append(late_entry(session))
    if sites:
        resource["bodySite"] = sites
    notes = [text for text in (session.notes, session.aftercare) if text]
    if notes:
        resource["note"] = [{"text": text} for text in notes]
    return resource


def late_entry(session) -> dict:
    """The late-entry extension: the reason, and when the record was entered and signed."""
    parts = [
        {"url": "reason", "valueString": session.late_entry_reason},
        {"url": "entered", "valueDateTime": session.created_at.isoformat()},
    ]
    if session.signed_at is not None:
        parts.append({"url": "signed", "valueDateTime": session.signed_at.isoformat()})
    return {"url": LATE_ENTRY, "extension": parts}


def signed_content(session) -> str:
    """The canonical content the signature covers, base64 of its JSON (`interop.signed`)."""
    text = signed_text(session, list(session.products.all()))
    return base64.b64encode(text.encode()).decode()


def administrations(refs: Refs, session, patient_ref: dict, indication: str) -> list[dict]:
    resources = []
    for position, region in enumerate(session.regions):
        label = region_label(region["view"], region["region"])
        depth_mm = region.get("depth_mm", session.depth_mm)
        dosage = {
            "site": body_site(region["region"], label),
            "route": {"coding": [route_of(depth_mm, indication)]},
            "dose": ml(region_volume_ml(region)),
        }
        if session.technique:
            dosage["method"] = local(
                "technique", session.technique, session.get_technique_display()
            )
        resources.append(
            {
                "resourceType": "MedicationAdministration",
                "id": refs.id("MedicationAdministration", f"{session.pk}-{position}"),
                "status": "completed"
                if session.status == SessionStatus.SIGNED
                else "entered-in-error",
                "medicationReference": refs.ref(
                    "Medication", f"cocktail-{session.cocktail_version_id}"
                ),
                "subject": patient_ref,
                "effectiveDateTime": session.started_at.isoformat(),
                "performer": [{"actor": refs.ref("Practitioner", session.practitioner_id)}],
                "partOf": [refs.ref("Procedure", session.pk)],
                "supportingInformation": [refs.ref("BodyStructure", f"{session.pk}-{position}")],
                "dosage": dosage,
            }
        )
    return resources


def grids(refs: Refs, session, patient_ref: dict) -> list[dict]:
    """Each area's points as x/y in cm in the frame of the chart view named first."""
    resources = []
    for position, region in enumerate(session.regions):
        label = region_label(region["view"], region["region"])
        points = region.get("points") or []
        resource: dict[str, Any] = {
            "resourceType": "BodyStructure",
            "id": refs.id("BodyStructure", f"{session.pk}-{position}"),
            "location": body_site(region["region"], label),
            "description": f"Injection grid of {label}, {len(points)} points",
            "patient": patient_ref,
        }
        view = {"system": f"{LOCAL}/chart-view", "code": region["view"]}
        resource["extension"] = [{"url": CHART_VIEW, "valueCoding": view}]
        if points:
            resource["extension"] += [
                {
                    "url": GRID_POINT,
                    "extension": [
                        {"url": "x-cm", "valueDecimal": float(x)},
                        {"url": "y-cm", "valueDecimal": float(y)},
                    ],
                }
                for x, y, *_ in points
            ]
        resources.append(resource)
    return resources


def provenances(refs: Refs, session, amendments: list) -> list[dict]:
    resources = []
    for amendment in amendments:
        resource = {
            "resourceType": "Provenance",
            "id": refs.id("Provenance", amendment.pk),
            "target": [refs.ref("Procedure", session.pk)],
            "recorded": amendment.at.isoformat(),
            "activity": local("amendment", amendment.kind, amendment.get_kind_display()),
            "agent": [{"who": refs.ref("Practitioner", amendment.by_id)}],
            "entity": [{"role": "revision", "what": {"display": amendment.text}}],
        }
        if amendment.reason:
            resource["reason"] = [{"text": amendment.reason}]
        if amendment.changes:
            resource["extension"] = [
                {
                    "url": CORRECTION_CHANGE,
                    "extension": [
                        {"url": "field", "valueString": name},
                        {"url": "from", "valueString": json.dumps(change["from"])},
                        {"url": "to", "valueString": json.dumps(change["to"])},
                    ],
                }
                for name, change in sorted(amendment.changes.items())
            ]
        resources.append(resource)
    return resources
