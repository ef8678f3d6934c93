"""CarePlan (a treatment plan and its series), Consent (the signed text itself, so its
SHA-256 can be checked again) and AdverseEvent."""

import base64
import hashlib
from typing import Any

from mesochart.interop.fhir.codes import (
    APPROVAL,
    CHART_VIEW,
    CONSENT_SIGNATURE,
    CONTENT_HASH,
    GRID_POINT,
    LOCAL,
    PARTICIPANT,
    PLANNED_GRID,
    SERIOUS_OUTCOME,
    body_site,
    local,
)
from mesochart.interop.fhir.ids import Refs
from mesochart.interop.fhir.sessions import region_label

PLAN_STATUS = {"draft": "draft", "approved": "active"}
SEVERITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
SERIOUSNESS_SYSTEM = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness"
OUTCOME_SYSTEM = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"
OUTCOME = {
    "recovered": "resolved",
    "recovering": "recovering",
    "not_recovered": "ongoing",
    "sequelae": "resolvedWithSequelae",
    "fatal": "fatal",
    "unknown": "unknown",
}


def care_plan(refs: Refs, plan, patient_ref: dict, recorded: dict[int, int]) -> dict:
    """``recorded``: plan session id → id of the signed session that recorded it."""
    resource = {
        "resourceType": "CarePlan",
        "id": refs.id("CarePlan", plan.pk),
        "status": PLAN_STATUS.get(plan.status, "unknown"),
        "intent": "plan",
        "category": [local("indication", plan.indication, plan.get_indication_display())],
        "title": plan.title,
        "subject": patient_ref,
        "created": plan.created_at.isoformat(),
        "author": refs.ref("Practitioner", plan.created_by_id),
    }
    if plan.approved_by_id is not None:
        approver = {
            "url": "approver",
            "valueReference": refs.ref("Practitioner", plan.approved_by_id),
        }
        approved = {"url": "approved", "valueDateTime": plan.approved_at.isoformat()}
        resource["extension"] = [{"url": APPROVAL, "extension": [approver, approved]}]
    if plan.notes:
        resource["description"] = plan.notes
    areas = [refs.ref("BodyStructure", f"plan-{region.pk}") for region in plan.regions.all()]
    if areas:
        resource["supportingInfo"] = areas
    activities = []
    for planned in plan.sessions.all():
        done = recorded.get(planned.pk)
        activity: dict[str, Any] = {
            "detail": {
                "status": "completed" if done else "scheduled",
                "description": f"Session {planned.index + 1}",
                "scheduledPeriod": {"start": planned.date.isoformat()},
            }
        }
        if done:
            activity["outcomeReference"] = [refs.ref("Procedure", done)]
        activities.append(activity)
    if activities:
        resource["activity"] = activities
    return resource


def plan_areas(refs: Refs, plan, patient_ref: dict) -> list[dict]:
    """Each area of a plan as measured and gridded, with its points (x/y in cm in the
    patient's frame; a point's own depth and volume where it differs from its area's)."""
    return [_plan_area(refs, region, patient_ref) for region in plan.regions.all()]


def _plan_area(refs: Refs, region, patient_ref: dict) -> dict:
    label = region_label(region.view, region.region)
    grid: list[dict[str, Any]] = [
        {"url": "position", "valueInteger": region.position},
        {"url": "spacing-cm", "valueDecimal": float(region.spacing_cm)},
        {"url": "pattern", "valueCode": region.pattern},
    ]
    for name, value in (
        ("width-cm", region.width_cm),
        ("height-cm", region.height_cm),
        ("circumference-cm", region.circumference_cm),
        ("depth-mm", region.depth_mm),
        ("volume-ml", region.volume_ml),
    ):
        if value is not None:
            grid.append({"url": name, "valueDecimal": float(value)})
    view = {"system": f"{LOCAL}/chart-view", "code": region.view}
    extensions = [
        {"url": CHART_VIEW, "valueCoding": view},
        {"url": PLANNED_GRID, "extension": grid},
        *({"url": GRID_POINT, "extension": _point(point)} for point in region.points),
    ]
    return {
        "resourceType": "BodyStructure",
        "id": refs.id("BodyStructure", f"plan-{region.pk}"),
        "extension": extensions,
        "location": body_site(region.region, label),
        "description": f"Planned injection grid of {label}, {len(region.points)} points",
        "patient": patient_ref,
    }


def _point(point: list) -> list[dict]:
    parts = [{"url": "x-cm", "valueDecimal": point[0]}, {"url": "y-cm", "valueDecimal": point[1]}]
    for name, value in zip(("depth-mm", "volume-ml"), point[2:], strict=False):
        if value is not None:
            parts.append({"url": name, "valueDecimal": value})
    return parts


def consent(refs: Refs, row, patient_ref: dict) -> dict:
    text = row.document.encode()
    resource = {
        "resourceType": "Consent",
        "id": refs.id("Consent", row.pk),
        "status": "inactive" if row.withdrawn_at else "active",
        "scope": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                    "code": "treatment",
                }
            ]
        },
        "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
        "patient": patient_ref,
        "dateTime": row.signed_at.isoformat(),
        "performer": [patient_ref],
        "organization": [refs.ref("Organization", row.clinic.organisation_id)],
        "sourceAttachment": {
            "extension": [{"url": CONTENT_HASH, "valueString": row.document_sha256}],
            "contentType": "text/plain; charset=utf-8",
            "data": base64.b64encode(text).decode(),
            "hash": base64.b64encode(hashlib.sha1(text, usedforsecurity=False).digest()).decode(),
            "title": str(row),
            "creation": row.signed_at.isoformat(),
        },
        "policyRule": {"text": f"Informed consent to {row.indication_label} ({row.area})"},
    }
    if row.withdrawn_at:
        resource["provision"] = {"type": "deny", "period": {"start": row.withdrawn_at.isoformat()}}
    return resource


def consent_signature(refs: Refs, row, patient_ref: dict) -> dict:
    """Who signed a consent and how: the drawn signature, the typed name, the witness."""
    signer = {**patient_ref, "display": row.signer_name}
    return {
        "resourceType": "Provenance",
        "id": refs.id("Provenance", f"consent-{row.pk}"),
        "target": [refs.ref("Consent", row.pk)],
        "recorded": row.signed_at.isoformat(),
        "agent": [
            {"type": _participant("author"), "who": signer},
            {"type": _participant("attester"), "who": refs.ref("Practitioner", row.witness_id)},
        ],
        "signature": [
            {
                "type": [CONSENT_SIGNATURE],
                "when": row.signed_at.isoformat(),
                "who": signer,
                "sigFormat": "image/png",
                "data": base64.b64encode(bytes(row.signature_png)).decode(),
            }
        ],
    }


def _participant(code: str) -> dict:
    return {"coding": [{"system": PARTICIPANT, "code": code}]}


def adverse_event(refs: Refs, row, patient_ref: dict) -> dict:
    serious = bool(row.seriousness)
    resource = {
        "resourceType": "AdverseEvent",
        "id": refs.id("AdverseEvent", row.pk),
        "actuality": "actual",
        "event": {
            "coding": [local("event", row.event_type, row.get_event_type_display())["coding"][0]],
            "text": row.description or row.get_event_type_display(),
        },
        "subject": patient_ref,
        "date": row.onset_on.isoformat(),
        "recordedDate": row.recorded_at.isoformat(),
        "location": refs.ref("Location", row.clinic_id),
        "recorder": refs.ref("Practitioner", row.recorded_by_id),
        "seriousness": {
            "coding": [
                {
                    "system": SERIOUSNESS_SYSTEM,
                    "code": "serious" if serious else "non-serious",
                }
            ]
        },
        "severity": {"coding": [{"system": SEVERITY_SYSTEM, "code": row.severity}]},
        "outcome": {"coding": [{"system": OUTCOME_SYSTEM, "code": OUTCOME[row.outcome]}]},
    }
    if row.seriousness:
        resource["extension"] = [
            {
                "url": SERIOUS_OUTCOME,
                "valueCoding": {"system": f"{LOCAL}/seriousness", "code": code},
            }
            for code in row.seriousness
        ]
    causality = [{"assessment": local("causality", row.causality, row.get_causality_display())}]
    suspects = [refs.ref("Medication", f"lot-{lot.pk}") for lot in row.lots.all()]
    if row.session_id:
        suspects.insert(0, refs.ref("Procedure", row.session_id))
    if suspects:
        resource["suspectEntity"] = [
            {"instance": suspect, "causality": causality} for suspect in suspects
        ]
    return resource
