"""What the patients tests share: an API caller with a bearer token, charts with history, forms."""

from mesochart.patients.models import Allergy, Condition, Medication, Patient
from mesochart.testing import api
from mesochart.testing.api import API as API
from mesochart.testing.api import HTMX as HTMX


class ApiCaller(api.ApiCaller):
    """The API caller of `testing.api`, whose ``patch`` sends a patient's current version."""

    def patch(self, path: str, body: dict):
        """A change sent as a client that has just read the record (its current version)."""
        if "version" not in body:
            patient_id = int(path.strip("/").split("/")[1])
            current = Patient.objects.filter(pk=patient_id).values_list("version", flat=True)
            body = {**body, "version": current.first() or 1}
        return self.client.patch(API + path, body, content_type="application/json")


def add_history(patient, tag: str) -> dict:
    """One allergy, one medication and one condition whose text names ``tag``."""
    return {
        "allergy": Allergy.objects.create(
            patient=patient, substance=f"Procaine-{tag}", reaction=f"hives-{tag}"
        ),
        "medication": Medication.objects.create(
            patient=patient, name=f"Warfarin-{tag}", dose="5 mg", anticoagulant=True
        ),
        "condition": Condition.objects.create(
            patient=patient, name=f"Keloids-{tag}", notes=f"left arm-{tag}"
        ),
    }


def new_patient_form(**changes) -> dict:
    """What the registration page posts for a new adult patient, with ``changes``."""
    return {
        "record_number": "",
        "given_name": "Brigid",
        "family_name": "Nolan",
        "date_of_birth": "1990-02-03",
        "sex_at_birth": "female",
        "email": "",
        "phone": "",
        "address": "",
        "weight_kg": "",
        "weight_measured_on": "",
        "height_cm": "",
        "fitzpatrick_type": "",
        "pregnancy_status": "unknown",
        "pregnancy_asked_on": "",
        "breastfeeding_status": "unknown",
        "breastfeeding_asked_on": "",
        **changes,
    }


def edit_form(patient, **changes) -> dict:
    """What the edit page posts when nothing but ``changes`` is altered."""
    as_it_is = {
        "record_number": patient.record_number,
        "given_name": patient.given_name,
        "family_name": patient.family_name,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sex_at_birth": patient.sex_at_birth,
        "email": patient.email,
        "phone": patient.phone,
        "address": patient.address,
        "version": str(patient.version),
    }
    return new_patient_form(**{**as_it_is, **changes})
