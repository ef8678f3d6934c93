"""Exporting a patient's record (the FHIR Bundle, or the whole record as a zip): the access
check, the export, and its audit row, through the pages, the API and the console alike."""

from django.db import transaction

from mesochart.accounts.actor import Actor
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.interop.ehi import ArchiveSummary, write_patient_archive
from mesochart.interop.fhir.bundle import patient_bundle
from mesochart.interop.fhir.media import withheld
from mesochart.patients.access import get_patient
from mesochart.patients.models import Patient

PERMISSION = "record.export"
FHIR = "FHIR R4 Bundle"
ARCHIVE = "whole record (zip)"


def _audit(actor, patient, clinic, detail: dict) -> None:
    with transaction.atomic():
        record(
            actor,
            Action.EXPORT,
            Category.CLINICAL,
            clinic=clinic,
            patient=patient,
            obj=patient,
            detail=detail,
        )


def export_patient_fhir(actor: Actor, patient_id) -> dict:
    """The patient's FHIR Bundle, for the roles that may export a whole record; audited."""
    patient = get_patient(actor, patient_id, PERMISSION)
    bundle = patient_bundle(patient)
    detail = {"format": FHIR, "resources": len(bundle["entry"]), "withheld": withheld(patient)}
    _audit(actor, patient, actor.clinic, detail)
    return bundle


def export_patient_archive(actor: Actor, patient_id, target) -> Patient:
    """The whole record as a zip written into ``target``; audited. The patient exported."""
    patient = get_patient(actor, patient_id, PERMISSION)
    summary = write_patient_archive(patient, target)
    detail = _archive_detail(summary) | {"withheld": withheld(patient)}
    _audit(actor, patient, actor.clinic, detail)
    return patient


def console_patient(organisation, record_number: str) -> Patient:
    """The operator's way in at the console (the installation's own user, no membership)."""
    patient = (
        Patient.objects.current()
        .filter(organisation=organisation, record_number=record_number)
        .select_related("organisation", "clinic")
        .first()
    )
    if patient is None:
        raise LookupError(f"record_number: no patient {record_number} in {organisation.name}")
    return patient


def console_export_fhir(patient) -> dict:
    bundle = patient_bundle(patient)
    detail = {
        "format": FHIR,
        "resources": len(bundle["entry"]),
        "withheld": withheld(patient),
        "via": "console",
    }
    _audit(None, patient, patient.clinic, detail)
    return bundle


def console_export_archive(patient, target) -> ArchiveSummary:
    summary = write_patient_archive(patient, target)
    detail = _archive_detail(summary) | {"withheld": withheld(patient), "via": "console"}
    _audit(None, patient, patient.clinic, detail)
    return summary


def _archive_detail(summary: ArchiveSummary) -> dict:
    return {
        "format": ARCHIVE,
        "resources": summary.resources,
        "documents": summary.documents,
        "photos": summary.photos,
        "photos_unreadable": summary.unreadable,
    }
