"""Writes to patient records: validate, write and audit in one transaction.

Each function takes the actor (user, membership, address) and raw field data, and
raises ``ValidationError`` with a ``{field: [rule]}`` dict, which the pages, the API and
the CLI all show the same way. A refused write leaves neither data nor audit row behind.
"""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms import ModelForm
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesochart.accounts.actor import Actor
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.core.medicines import ANTICOAGULANT, ANTIPLATELET, recognise
from mesochart.patients.access import require
from mesochart.patients.forms import (
    AllergyForm,
    ConditionForm,
    MedicationForm,
    PatientForm,
    VoidForm,
)
from mesochart.patients.models import Language, Patient

HISTORY_FORMS: dict[str, type[ModelForm]] = {
    "allergy": AllergyForm,
    "medication": MedicationForm,
    "condition": ConditionForm,
}
CLINICAL_FIELDS = {
    "weight_kg",
    "weight_measured_on",
    "height_cm",
    "fitzpatrick_type",
    "pregnancy_status",
    "pregnancy_asked_on",
    "breastfeeding_status",
    "breastfeeding_asked_on",
    "no_known_allergies",
    "allergies_reviewed_on",
}


def _valid(form):
    if not form.is_valid():
        errors = form.errors.get_json_data()
        raise ValidationError(
            {field: [e["message"] for e in errs] for field, errs in errors.items()}
        )
    return form


def _touches_clinical(data: dict) -> bool:
    return any(data.get(field) not in (None, "", "unknown") for field in CLINICAL_FIELDS)


def _free_record_number(organisation) -> str:
    """The next number from the organisation's counter that nobody has typed in by hand."""
    while True:
        number = organisation.allocate_record_number()
        if not Patient.objects.filter(organisation=organisation, record_number=number).exists():
            return number


def create_patient(actor: Actor, data: dict) -> Patient:
    require(actor, "patient.create")
    if _touches_clinical(data):
        require(actor, "patient.clinical.edit")
    form = _valid(PatientForm(data, organisation=actor.clinic.organisation, clinic=actor.clinic))
    with _record_number_clash(), transaction.atomic():
        patient = form.save(commit=False)
        patient.organisation = actor.clinic.organisation
        patient.clinic = actor.clinic
        if not data.get("language") and actor.clinic.language in Language.values:
            patient.language = actor.clinic.language  # none chosen: the clinic's
        if not patient.record_number:
            patient.record_number = _free_record_number(patient.organisation)
        patient.refresh_search_keys()
        patient.save()
        record(
            actor,
            Action.CREATE,
            Category.DEMOGRAPHICS,
            patient=patient,
            obj=patient,
        )
    return patient


@contextmanager
def _record_number_clash():
    """Two desks saving the same record number at once: the database's unique constraint
    decides, and the loser gets the same message the form would have given."""
    try:
        yield
    except IntegrityError as error:
        if "record_number" not in str(error) and "patient_record_number_unique" not in str(error):
            raise
        raise ValidationError(
            {"record_number": [_("is already used in this organisation")]}
        ) from None


def update_patient(
    actor: Actor, patient: Patient, data: dict, *, version: int | None = None
) -> Patient:
    """Apply changed fields; ``version`` (if given) must match, so edits never cross silently."""
    require(actor, "patient.edit")
    current = PatientForm(instance=patient).initial
    merged = {**current, **data}
    changed_clinical = [
        f for f in CLINICAL_FIELDS if f in data and str(data[f] or "") != str(current.get(f) or "")
    ]
    if changed_clinical:
        require(actor, "patient.clinical.edit")
    form = _valid(PatientForm(merged, instance=patient, organisation=patient.organisation))
    with _record_number_clash(), transaction.atomic():
        fresh = Patient.objects.select_for_update().get(pk=patient.pk)
        if version is not None and fresh.version != version:
            raise ValidationError(
                {
                    "version": [
                        _(
                            "someone else changed this record since you opened it; reload and "
                            "apply "
                            "your changes again"
                        )
                    ]
                }
            )
        changed = sorted(form.changed_data)
        patient = form.save(commit=False)
        patient.refresh_search_keys()
        patient.version = fresh.version + 1
        patient.updated_at = timezone.now()
        patient.save()
        category = Category.CLINICAL if changed_clinical else Category.DEMOGRAPHICS
        record(
            actor,
            Action.UPDATE,
            category,
            patient=patient,
            obj=patient,
            detail={"fields": changed},
        )
    return patient


def void_patient(actor: Actor, patient: Patient, *, reason: str) -> Patient:
    require(actor, "patient.void")
    form = _valid(VoidForm({"reason": reason}))
    with transaction.atomic():
        patient.voided_at = timezone.now()
        patient.voided_by = actor.user
        patient.void_reason = form.cleaned_data["reason"]
        patient.save(update_fields=["voided_at", "voided_by", "void_reason"])
        record(
            actor,
            Action.VOID,
            Category.DEMOGRAPHICS,
            patient=patient,
            obj=patient,
            detail={"reason": patient.void_reason},
        )
    return patient


def add_history(actor: Actor, patient: Patient, *, kind: str, data: dict):
    """Add an allergy, a medication or a condition to the patient's history."""
    require(actor, "patient.clinical.edit")
    form = _valid(HISTORY_FORMS[kind](data))
    with transaction.atomic():
        item = form.save(commit=False)
        item.patient = patient
        if kind == "medication":
            _flag_recognised(item)
        item.save()
        if kind == "allergy" and patient.no_known_allergies:
            # A recorded allergy ends the "no known allergies" answer at once.
            Patient.objects.filter(pk=patient.pk).update(no_known_allergies=False)
            patient.no_known_allergies = False
        record(
            actor,
            Action.CREATE,
            Category.CLINICAL,
            patient=patient,
            obj=item,
        )
    return item


def _flag_recognised(medication) -> None:
    """A typed name that `core.medicines` recognises as B01 sets the bleeding-risk flag the
    screening reads; a flag ticked by hand is never cleared."""
    medicine = recognise(medication.name)
    if medicine is not None:
        medication.anticoagulant |= medicine.kind == ANTICOAGULANT
        medication.antiplatelet |= medicine.kind == ANTIPLATELET


def void_history(actor: Actor, patient: Patient, *, kind: str, pk, reason: str):
    require(actor, "patient.clinical.edit")
    form = _valid(VoidForm({"reason": reason}))
    model = HISTORY_FORMS[kind]._meta.model
    with transaction.atomic():
        current = model.objects.select_for_update().filter(patient=patient, voided_at=None)
        item = current.filter(pk=pk).first()
        if item is None:
            raise Http404(f"No such current {kind} on this chart.")
        item.voided_at = timezone.now()
        item.voided_by = actor.user
        item.void_reason = form.cleaned_data["reason"]
        item.save(update_fields=["voided_at", "voided_by", "void_reason"])
        record(
            actor,
            Action.VOID,
            Category.CLINICAL,
            patient=patient,
            obj=item,
            detail={"reason": item.void_reason},
        )
    return item


def record_search(actor: Actor, results: int) -> None:
    """A search shows names and dates of birth: one read row with the number of results,
    never the query or the names (a query is often a patient's name)."""
    record(
        actor,
        Action.READ,
        Category.DEMOGRAPHICS,
        detail={"search": "patients", "results": results},
    )


def record_view(actor: Actor, patient: Patient, clinical: bool = False) -> None:
    """Opening a chart is an access to health data: it is audited like a write."""
    record(
        actor,
        Action.READ,
        Category.CLINICAL if clinical else Category.DEMOGRAPHICS,
        patient=patient,
        obj=patient,
    )
