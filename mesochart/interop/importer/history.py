"""AllergyIntolerance, MedicationStatement and Condition: the patient's history, an entry
made in error imported voided."""

from mesochart.interop.fhir.codes import ALLERGY_SEVERITY
from mesochart.interop.importer.context import Context, extension, moment
from mesochart.patients.models import Allergy, Condition, Medication

VOID_REASON = "entered in error (as imported from FHIR)"
SEVERITY = {"mild": "mild", "moderate": "moderate", "severe": "severe"}
CRITICALITY = {"low": "mild", "high": "severe"}


def import_history(context: Context) -> None:
    for entry in context.each("AllergyIntolerance"):
        context.keep(
            entry, _saved(context, _allergy(entry), _in_error(entry, "verificationStatus"))
        )
    for entry in context.each("MedicationStatement"):
        row = _medication(entry)
        context.keep(entry, _saved(context, row, entry.resource["status"] == "entered-in-error"))
    for entry in context.each("Condition"):
        context.keep(
            entry, _saved(context, _condition(entry), _in_error(entry, "verificationStatus"))
        )


def _in_error(entry, element: str) -> bool:
    codings = (entry.resource.get(element) or {}).get("coding", [])
    return any(coding.get("code") == "entered-in-error" for coding in codings)


def _saved(context: Context, row, voided: bool):
    row.patient = context.patient
    if voided:
        row.voided_at, row.void_reason = context.now, VOID_REASON
    row.save()
    return row


def _allergy(entry) -> Allergy:
    resource = entry.resource
    [reaction] = resource.get("reaction") or [{}]
    manifestation = (reaction.get("manifestation") or [{}])[0].get("text", "")
    stated = str((extension(resource, ALLERGY_SEVERITY) or {}).get("valueCode"))
    severity = (
        SEVERITY.get(reaction.get("severity"))
        or SEVERITY.get(stated)
        or CRITICALITY.get(resource.get("criticality"), "unknown")
    )
    return Allergy(
        substance=resource["code"]["text"],
        reaction=manifestation,
        severity=severity,
        recorded_at=moment(resource.get("recordedDate"), entry.at("recordedDate")),
    )


def _medication(entry) -> Medication:
    resource = entry.resource
    flags = (resource.get("category") or {}).get("text", "")
    return Medication(
        name=resource["medicationCodeableConcept"]["text"],
        dose=((resource.get("dosage") or [{}])[0]).get("text", ""),
        anticoagulant="anticoagulant" in flags,
        antiplatelet="antiplatelet" in flags,
        recorded_at=moment(resource.get("dateAsserted"), entry.at("dateAsserted")),
    )


def _condition(entry) -> Condition:
    resource = entry.resource
    return Condition(
        name=resource["code"]["text"],
        notes=((resource.get("note") or [{}])[0]).get("text", ""),
        recorded_at=moment(resource.get("recordedDate"), entry.at("recordedDate")),
    )
