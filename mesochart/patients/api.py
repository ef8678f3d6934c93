"""Patients over the JSON API: the same access functions and actions as the pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from mesochart.accounts.roles import allows
from mesochart.lib.requests import ClinicRequest
from mesochart.patients import actions
from mesochart.patients.access import get_patient, patients_for
from mesochart.patients.search import search_filter

router = Router(tags=["patients"])

HISTORY_KINDS = {"allergies": "allergy", "medications": "medication", "conditions": "condition"}


class PatientIn(Schema):
    """Fields of a new patient, or of a change (omitted fields are left as they are).

    Unknown fields are refused, never silently dropped.
    """

    model_config = ConfigDict(extra="forbid")

    record_number: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    date_of_birth: date | None = None
    sex_at_birth: Literal["female", "male", "intersex", "unknown"] | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    weight_kg: Decimal | None = None
    weight_measured_on: date | None = None
    height_cm: Decimal | None = None
    fitzpatrick_type: Literal["I", "II", "III", "IV", "V", "VI", ""] | None = None
    pregnancy_status: Literal["unknown", "no", "yes", "not_applicable"] | None = None
    pregnancy_asked_on: date | None = None
    breastfeeding_status: Literal["unknown", "no", "yes", "not_applicable"] | None = None
    breastfeeding_asked_on: date | None = None
    no_known_allergies: bool | None = None
    allergies_reviewed_on: date | None = None


class PatientChange(PatientIn):
    version: int = Field(
        description="The version you read (from GET); a change made since refuses the update."
    )


class AllergyOut(Schema):
    id: int
    substance: str
    reaction: str
    severity: str


class MedicationOut(Schema):
    id: int
    name: str
    dose: str
    anticoagulant: bool
    antiplatelet: bool


class ConditionOut(Schema):
    id: int
    name: str
    notes: str


class PatientSummary(Schema):
    id: int
    record_number: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex_at_birth: str


class PatientOut(PatientSummary):
    email: str
    phone: str
    address: str
    version: int
    updated_at: datetime
    clinical: "ClinicalOut | None" = None


class ClinicalOut(Schema):
    weight_kg: Decimal | None
    weight_measured_on: date | None
    height_cm: Decimal | None
    fitzpatrick_type: str
    pregnancy_status: str
    pregnancy_asked_on: date | None
    breastfeeding_status: str
    breastfeeding_asked_on: date | None
    no_known_allergies: bool
    allergies_reviewed_on: date | None
    allergies: list[AllergyOut]
    medications: list[MedicationOut]
    conditions: list[ConditionOut]


PatientOut.model_rebuild()


class VoidIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str


class HistoryIn(Schema):
    model_config = ConfigDict(extra="forbid")

    substance: str | None = None
    reaction: str | None = None
    severity: Literal["mild", "moderate", "severe", "unknown"] | None = None
    name: str | None = None
    dose: str | None = None
    anticoagulant: bool | None = None
    antiplatelet: bool | None = None
    notes: str | None = None


def _form_data(payload: Schema) -> dict:
    data = payload.model_dump(exclude_unset=True, exclude={"version"})
    return {k: ("" if v is None else v) for k, v in data.items()}


def _out(membership, patient) -> dict:
    out = PatientOut.from_orm(patient).model_dump()
    if allows(membership.role, "patient.clinical.view"):
        out["clinical"] = {
            **ClinicalOut.from_orm(patient).model_dump(
                exclude={"allergies", "medications", "conditions"}
            ),
            "allergies": list(
                patient.allergies.filter(voided_at=None).values(
                    "id", "substance", "reaction", "severity"
                )
            ),
            "medications": list(
                patient.medications.filter(voided_at=None).values(
                    "id", "name", "dose", "anticoagulant", "antiplatelet"
                )
            ),
            "conditions": list(
                patient.conditions.filter(voided_at=None).values("id", "name", "notes")
            ),
        }
    return out


@router.get("", response=list[PatientSummary])
def search_patients(
    request: ClinicRequest,
    q: str = Query("", max_length=100),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=100_000),
):
    """Search by name prefix, record number or date of birth (YYYY-MM-DD or DD/MM/YYYY)."""
    patients = patients_for(request.membership)
    condition = search_filter(q)
    if condition is not None:
        patients = patients.filter(condition)
    found = list(patients.order_by("family_key", "given_key", "pk")[offset : offset + limit])
    actions.record_search(request.actor, len(found))
    return found


@router.post("", response={201: PatientOut})
def create_patient(request: ClinicRequest, payload: PatientIn):
    patient = actions.create_patient(request.actor, _form_data(payload))
    return Status(201, _out(request.membership, patient))


@router.get("/{patient_id}", response=PatientOut)
def read_patient(request: ClinicRequest, patient_id: int):
    patient = get_patient(request.membership, patient_id)
    clinical = allows(request.membership.role, "patient.clinical.view")
    actions.record_view(request.actor, patient, clinical=clinical)
    return _out(request.membership, patient)


@router.patch("/{patient_id}", response=PatientOut)
def update_patient(request: ClinicRequest, patient_id: int, payload: PatientChange):
    patient = get_patient(request.membership, patient_id, "patient.edit")
    patient = actions.update_patient(
        request.actor,
        patient,
        _form_data(payload),
        version=payload.version,
    )
    return _out(request.membership, patient)


@router.post("/{patient_id}/void", response=PatientSummary)
def void_patient(request: ClinicRequest, patient_id: int, payload: VoidIn):
    patient = get_patient(request.membership, patient_id, "patient.void")
    return actions.void_patient(request.actor, patient, reason=payload.reason)


class HistoryCreatedOut(Schema):
    id: int = Field(description="The new allergy, medication or condition")


@router.post("/{patient_id}/{kind}", response={201: HistoryCreatedOut})
def add_history(
    request: ClinicRequest,
    patient_id: int,
    kind: Literal["allergies", "medications", "conditions"],
    payload: HistoryIn,
):
    """Add an allergy, a current medication or a condition."""
    patient = get_patient(request.membership, patient_id, "patient.clinical.edit")
    item = actions.add_history(
        request.actor,
        patient,
        kind=HISTORY_KINDS[kind],
        data=_form_data(payload),
    )
    return Status(201, {"id": item.pk})
