"""A patient's record as an HL7 FHIR R4 Bundle."""

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema

from mesochart.interop.export import export_patient_fhir

router = Router(tags=["export"])


class FhirEntry(Schema):
    fullUrl: str
    resource: dict[str, Any]


class FhirBundle(Schema):
    """A FHIR R4 Bundle of type ``collection``: every resource of one patient's record."""

    resourceType: Literal["Bundle"]
    id: str
    type: Literal["collection"]
    timestamp: str
    entry: list[FhirEntry]


@router.get("/{patient_id}/fhir", response=FhirBundle, summary="A patient's record as FHIR R4")
def patient_fhir(request: HttpRequest, patient_id: int):
    return export_patient_fhir(request.membership, patient_id, request)
