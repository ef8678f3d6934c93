"""Answers keep their questionnaire version, are prefilled from the record, and write what is
new back to it (allergies, medicines, pregnancy and breastfeeding with the date asked) through
the patients actions, in one audited transaction."""

from datetime import UTC, date, datetime
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ValidationError

from mesochart.audit.models import AuditEvent
from mesochart.consent import actions
from mesochart.consent.models import QuestionnaireResponse
from mesochart.consent.questionnaire import CURRENT
from mesochart.consent.views.common import prefill
from mesochart.core.screening import DEFAULT_QUESTIONNAIRE
from mesochart.patients.models import Allergy, Medication, Patient
from mesochart.testing.consent import actor_of, clear_answers, respond

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db
DAY = datetime(2026, 11, 2, 10, tzinfo=UTC)


def test_a_response_keeps_the_questionnaire_version_it_answered(practice):
    response = respond(practice)
    assert response.questionnaire_version == CURRENT.version
    assert response.questionnaire_version.startswith(DEFAULT_QUESTIONNAIRE.version)
    assert response.answers["pregnant"] == "no"
    assert response.answers["date_of_birth"] == "1985-04-12"


def test_the_record_prefills_what_it_knows(practice):
    patient = practice.patient
    Allergy.objects.create(patient=patient, substance="Latex")
    Medication.objects.create(patient=patient, name="Apixaban", anticoagulant=True)
    patient.pregnancy_status, patient.pregnancy_asked_on = "no", date(2026, 10, 20)
    patient.save()
    with time_machine.travel(DAY, tick=False):
        answers = prefill(actor_of(practice.nurse), patient)
    assert answers == {
        "date_of_birth": "1985-04-12",
        "pregnant": "no",
        "allergies": "yes",
        "allergy_details": "Latex",
        "anticoagulants": "yes",
    }


def test_reception_is_not_shown_the_clinical_record_in_the_prefill(practice):
    Allergy.objects.create(patient=practice.patient, substance="Latex")
    assert prefill(actor_of(practice.reception), practice.patient) == {
        "date_of_birth": "1985-04-12"
    }


def test_new_facts_are_written_back_with_the_date_asked(practice):
    patient = practice.patient
    Allergy.objects.create(patient=patient, substance="Latex")
    with time_machine.travel(DAY, tick=False):
        response = respond(
            practice,
            allergies="yes",
            allergy_details="latex; soya (hives)",
            anticoagulants="yes",
            medication_names="Clopidogrel",
            pregnant="no",
            breastfeeding="yes",
        )
    patient = Patient.objects.get(pk=patient.pk)
    assert sorted(a.substance for a in patient.allergies.all()) == ["Latex", "soya (hives)"]
    assert [m.name for m in patient.medications.all()] == ["Clopidogrel"]
    assert (patient.pregnancy_status, patient.pregnancy_asked_on) == ("no", date(2026, 11, 2))
    assert patient.breastfeeding_status == "yes"
    assert response.written_back_at is not None
    written = AuditEvent.objects.get(object_type="questionnaireresponse", action="update")
    assert written.detail["written_back"] == [
        "Allergy: soya (hives)",
        "Medication: Clopidogrel",
        "Pregnancy: no",
        "Breastfeeding: yes",
    ]
    # Each record change is audited by the patients actions themselves.
    assert AuditEvent.objects.filter(object_type="allergy", action="create").count() == 1
    assert AuditEvent.objects.filter(object_type="patient", action="update").count() == 1


def test_unsure_is_kept_on_the_response_but_not_written_to_the_record(practice):
    respond(practice, pregnant="unsure")
    patient = Patient.objects.get(pk=practice.patient.pk)
    assert patient.pregnancy_status == "unknown"


def test_a_failed_write_back_leaves_neither_response_nor_audit(practice):
    with (
        mock.patch("mesochart.patients.actions.add_history", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        respond(practice, allergies="yes", allergy_details="soy")
    assert not QuestionnaireResponse.objects.exists()
    assert not AuditEvent.objects.filter(object_type="questionnaireresponse").exists()


def test_answers_collected_by_reception_wait_for_a_clinician(practice):
    response = respond(practice, user=practice.reception, allergies="yes", allergy_details="soy")
    assert response.written_back_at is None
    assert not practice.patient.allergies.exists()
    assert actions.new_facts(response).lines() == [
        "Allergy: soy",
        "Pregnancy: no",
        "Breastfeeding: no",
    ]

    actions.write_back(actor_of(practice.nurse), response)
    assert [a.substance for a in practice.patient.allergies.all()] == ["soy"]
    assert not actions.new_facts(response)


def test_reception_cannot_write_to_the_record(practice):
    response = respond(practice, user=practice.reception, allergies="yes", allergy_details="soy")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.write_back(actor_of(practice.reception), response)


def test_missing_and_wrong_answers_name_the_question(practice):
    answers = clear_answers(pregnant=None, breastfeeding="maybe", date_of_birth="2099-01-01")
    answers["favourite_colour"] = "blue"
    with pytest.raises(ValidationError) as refused:
        actions.submit_response(
            actor_of(practice.nurse), practice.patient, area="", answers=answers
        )
    assert refused.value.message_dict == {
        "area": ["is required"],
        "answers.favourite_colour": ["is not a question of this questionnaire"],
        "answers.date_of_birth": ["must not be in the future"],
        "answers.pregnant": ["is required"],
        "answers.breastfeeding": ["must be one of: yes, no"],
    }
    assert not QuestionnaireResponse.objects.exists()


def test_a_follow_up_is_required_only_when_asked(practice):
    with pytest.raises(ValidationError) as refused:
        respond(practice, allergies="yes")
    assert refused.value.message_dict == {"answers.allergy_details": ["is required"]}

    response = respond(practice, allergies="no", allergy_details="ignored, not asked")
    assert "allergy_details" not in response.answers


def test_the_api_takes_answers_and_reports_errors_as_field_and_rule(practice):
    from mesochart.testing.consent import ApiCaller

    api = ApiCaller(practice.nurse)
    path = f"/patients/{practice.patient.pk}/questionnaire-responses"
    refused = api.post(path, {"area": "submental", "answers": clear_answers(pregnant=None)})
    assert refused.status_code == 422
    assert refused.json()["detail"] == "answers.pregnant: is required"

    created = api.post(path, {"area": "submental", "answers": clear_answers()})
    assert created.status_code == 201
    assert created.json()["questionnaire_version"] == CURRENT.version
    assert api.get(path).json()[0]["id"] == created.json()["id"]

    shown = api.get(f"/patients/{practice.patient.pk}/questionnaire", {"area": "submental"})
    texts = {q["key"]: q["text"] for q in shown.json()["questions"]}
    assert texts["site_infection"] == "Do you have an infection in the submental area right now?"


def test_answering_no_allergies_records_no_known_allergies_with_the_date_asked(practice):
    from mesochart.consent.actions import responses
    from mesochart.testing.consent import actor_of, respond

    response = respond(practice, user=practice.nurse, allergies="no")
    responses.write_back(actor_of(practice.nurse), response)
    practice.patient.refresh_from_db()
    assert practice.patient.no_known_allergies is True
    assert practice.patient.allergies_reviewed_on == response.asked_on
