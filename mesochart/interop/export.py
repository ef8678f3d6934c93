"""Exporting a patient's record: the access check, the Bundle, and its audit row."""

from django.db import transaction

from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.interop.fhir.bundle import patient_bundle
from mesochart.patients.access import get_patient
from mesochart.patients.models import Patient

PERMISSION = "record.export"


def export_patient_fhir(membership, patient_id, request=None) -> dict:
    """The patient's FHIR Bundle, for the roles that may export a whole record; audited."""
    patient = get_patient(membership, patient_id, PERMISSION)
    bundle = patient_bundle(patient)
    with transaction.atomic():
        record(
            membership.user,
            Action.EXPORT,
            Category.CLINICAL,
            clinic=membership.clinic,
            patient=patient,
            obj=patient,
            request=request,
            detail={"format": "FHIR R4 Bundle", "resources": len(bundle["entry"])},
        )
    return bundle


def console_export_fhir(organisation, record_number: str) -> dict:
    """The operator's export at the console (no membership: the installation's own user),
    audited with the console named as the way it left."""
    patient = (
        Patient.objects.current()
        .filter(organisation=organisation, record_number=record_number)
        .select_related("organisation", "clinic")
        .first()
    )
    if patient is None:
        raise LookupError(f"record_number: no patient {record_number} in {organisation.name}")
    bundle = patient_bundle(patient)
    with transaction.atomic():
        record(
            None,
            Action.EXPORT,
            Category.CLINICAL,
            clinic=patient.clinic,
            patient=patient,
            obj=patient,
            detail={
                "format": "FHIR R4 Bundle",
                "resources": len(bundle["entry"]),
                "via": "console",
            },
        )
    return bundle
