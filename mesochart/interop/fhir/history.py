"""AllergyIntolerance, MedicationStatement and Condition: the patient's history."""

from typing import Any

from mesochart.interop.fhir.codes import ALLERGY_SEVERITY
from mesochart.interop.fhir.ids import Refs

CRITICALITY = {"mild": "low", "moderate": "low", "severe": "high"}
SEVERITY = {"mild": "mild", "moderate": "moderate", "severe": "severe"}


def _status(row) -> str:
    return "entered-in-error" if row.voided_at is not None else "active"


def allergy(refs: Refs, row, patient_ref: dict) -> dict:
    resource = {
        "resourceType": "AllergyIntolerance",
        "id": refs.id("AllergyIntolerance", row.pk),
        "verificationStatus": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/"
                    "allergyintolerance-verification",
                    "code": "entered-in-error" if row.voided_at is not None else "confirmed",
                }
            ]
        },
        "code": {"text": row.substance},
        "patient": patient_ref,
        "recordedDate": row.recorded_at.isoformat(),
    }
    if row.voided_at is None:  # FHIR: an entry in error has no clinical status (ait-2)
        resource["clinicalStatus"] = {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
                    "code": "active",
                }
            ]
        }
    if row.severity in CRITICALITY:
        resource["criticality"] = CRITICALITY[row.severity]
    if row.reaction:
        reaction: dict[str, Any] = {"manifestation": [{"text": row.reaction}]}
        if row.severity in SEVERITY:
            reaction["severity"] = SEVERITY[row.severity]
        resource["reaction"] = [reaction]
    elif row.severity in SEVERITY:
        resource["extension"] = [{"url": ALLERGY_SEVERITY, "valueCode": row.severity}]
    return resource


def medication_statement(refs: Refs, row, patient_ref: dict) -> dict:
    resource = {
        "resourceType": "MedicationStatement",
        "id": refs.id("MedicationStatement", row.pk),
        "status": _status(row),
        "medicationCodeableConcept": {"text": row.name},
        "subject": patient_ref,
        "dateAsserted": row.recorded_at.isoformat(),
    }
    flags = [
        word
        for word, on in (("anticoagulant", row.anticoagulant), ("antiplatelet", row.antiplatelet))
        if on
    ]
    if flags:
        resource["category"] = {"text": ", ".join(flags)}
    if row.dose:
        resource["dosage"] = [{"text": row.dose}]
    return resource


def condition(refs: Refs, row, patient_ref: dict) -> dict:
    resource = {
        "resourceType": "Condition",
        "id": refs.id("Condition", row.pk),
        "verificationStatus": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                    "code": "entered-in-error" if row.voided_at is not None else "confirmed",
                }
            ]
        },
        "code": {"text": row.name},
        "subject": patient_ref,
        "recordedDate": row.recorded_at.isoformat(),
    }
    if row.notes:
        resource["note"] = [{"text": row.notes}]
    return resource
