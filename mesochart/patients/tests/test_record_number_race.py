"""Two desks registering the same record number at the same moment."""

import pytest
from django.core.exceptions import ValidationError

from mesochart.audit.models import AuditEvent
from mesochart.patients import actions
from mesochart.patients.forms import PatientForm
from mesochart.patients.models import Patient

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_the_second_desk_gets_the_form_message_not_a_crash(practice, monkeypatch):
    # The other desk's row lands between this desk's form check and its insert.
    monkeypatch.setattr(
        PatientForm,
        "clean_record_number",
        lambda form: form.cleaned_data["record_number"].strip().upper(),
    )
    before = (Patient.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as refused:
        actions.create_patient(
            practice.actor(practice.reception),
            {
                "record_number": practice.patient.record_number,
                "given_name": "Bea",
                "family_name": "Ortiz",
                "date_of_birth": "1990-02-03",
                "sex_at_birth": "female",
            },
        )
    assert refused.value.message_dict == {"record_number": ["is already used in this organisation"]}
    assert (Patient.objects.count(), AuditEvent.objects.count()) == before
