"""A patient's record as an HL7 FHIR R4 Bundle."""

import io
import json
import re
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Schema

from mesochart.interop.export import export_patient_archive, export_patient_fhir
from mesochart.interop.fhir import codesystems
from mesochart.lib.requests import ClinicRequest

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


@router.get(
    "/{patient_id}/fhir",
    response=FhirBundle,
    summary="A patient's record as FHIR R4",
    openapi_extra={
        "responses": {200: {"content": {"application/fhir+json": {"schema": {"type": "object"}}}}}
    },
)
def patient_fhir(request: ClinicRequest, patient_id: int):
    """The Bundle as ``application/fhir+json``. Every resource in it was checked against the
    FHIR models when it was built, so it is written out directly rather than walked a
    second time by the response schema (a 3,000-point history is some 30,000 elements)."""
    bundle = export_patient_fhir(request.actor, patient_id)
    return HttpResponse(
        json.dumps(bundle, ensure_ascii=False, separators=(",", ":")),
        content_type="application/fhir+json; charset=utf-8",
    )


@router.get(
    "/{patient_id}/record.zip",
    response={200: bytes},
    summary="A patient's whole record: FHIR JSON and NDJSON, the consents' and reports' PDFs",
    openapi_extra={
        "responses": {200: {"description": "a zip", "content": {"application/zip": {}}}}
    },
)
def patient_archive(request: ClinicRequest, patient_id: int):
    buffer = io.BytesIO()
    patient = export_patient_archive(request.actor, patient_id, buffer)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", patient.record_number)
    response["Content-Disposition"] = f'attachment; filename="record-{safe}.zip"'
    return response


codes = Router(tags=["export"])


class Concept(Schema):
    code: str
    display: str


class CodeSystem(Schema):
    """One of mesochart's own FHIR CodeSystems: the codes its exports use where no standard
    code exists. Public: it holds no record."""

    resourceType: Literal["CodeSystem"]
    id: str
    url: str
    name: str
    title: str
    status: Literal["active"]
    content: Literal["complete"]
    caseSensitive: bool
    count: int
    concept: list[Concept]


@codes.get(
    "/CodeSystem/{name}",
    response=CodeSystem,
    auth=None,
    summary="A CodeSystem of mesochart's own codes",
)
def code_system(request: HttpRequest, name: str):
    try:
        return codesystems.code_system(name)
    except KeyError:
        raise Http404(name) from None
