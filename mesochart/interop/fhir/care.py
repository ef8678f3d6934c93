"""CarePlan (a treatment plan and its series), Consent (the signed text itself, so its
SHA-256 can be checked again) and AdverseEvent."""

import base64
import hashlib
from typing import Any

from mesochart.interop.fhir.codes import APPROVAL, CONTENT_HASH, local
from mesochart.interop.fhir.ids import Refs

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
    causality = [{"assessment": local("causality", row.causality, row.get_causality_display())}]
    suspects = [refs.ref("Medication", f"lot-{lot.pk}") for lot in row.lots.all()]
    if row.session_id:
        suspects.insert(0, refs.ref("Procedure", row.session_id))
    if suspects:
        resource["suspectEntity"] = [
            {"instance": suspect, "causality": causality} for suspect in suspects
        ]
    return resource
