"""Questionnaire responses: take the answers, and write what is new back to the record.

Anyone at the clinic may collect answers (``screening.collect``). What the answers add to the
record (allergies, blood-thinning medicines, pregnancy and breastfeeding with the date asked)
goes in through `patients.actions`, which require ``patient.clinical.edit``: when a nurse or a
practitioner collects the answers it is written at once, in the same transaction; when
reception does, the response waits for a clinician to add it (`write_back`), and screening
reads the stated allergies from the answers meanwhile, so nothing is missed in between.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mesochart.accounts.actor import Actor
from mesochart.accounts.roles import allows
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.consent.access import require
from mesochart.consent.actions.common import errors_of
from mesochart.consent.forms import AreaForm
from mesochart.consent.models import CollectionMode, QuestionnaireResponse
from mesochart.consent.questionnaire import (
    MEDICATION_NAMES,
    current_for,
    from_json,
    parse_answers,
    questionnaire_of,
    to_json,
)
from mesochart.core.medicines import same_medicine
from mesochart.core.screening_allergy import allergies_in_text, mentions
from mesochart.core.screening_rules import ALLERGY_DETAILS, ALLERGY_QUESTION, YES, YES_OR_UNSURE
from mesochart.patients import actions as patient_actions
from mesochart.patients.models import Patient, YesNoUnknown

STATUS_QUESTIONS = {"pregnant": "pregnancy", "breastfeeding": "breastfeeding"}


def submit_response(
    actor: Actor,
    patient: Patient,
    *,
    area: str,
    answers: dict,
    mode=CollectionMode.STAFF,
) -> QuestionnaireResponse:
    """Store the answers to the current questionnaire about ``area``; errors name
    ``area`` or ``answers.<question>``."""
    require(actor, "screening.collect")
    today = actor.clinic.today()
    form = AreaForm({"area": area})
    questionnaire = current_for(patient.language)  # the version in the patient's language
    parsed, answer_errors = parse_answers(questionnaire, answers, today)
    if errors := {**errors_of(form), **answer_errors}:
        raise ValidationError(errors)
    with transaction.atomic():
        response = QuestionnaireResponse.objects.create(
            patient=patient,
            clinic=actor.clinic,
            questionnaire_version=questionnaire.version,
            area=" ".join(form.cleaned_data["area"].split()).casefold(),
            answers=to_json(parsed),
            mode=mode,
            collected_by=actor.user,
            asked_on=today,
        )
        record(
            actor,
            Action.CREATE,
            Category.CLINICAL,
            patient=patient,
            obj=response,
            detail={
                "questionnaire_version": response.questionnaire_version,
                "mode": mode,
                "area": response.area,
            },
        )
        if allows(actor.role, "patient.clinical.edit"):
            write_back(actor, response)
    return response


@dataclass
class NewFacts:
    """What a response says that the record does not yet hold."""

    allergies: list[str] = field(default_factory=list)
    medications: list[str] = field(default_factory=list)
    statuses: dict[str, str] = field(default_factory=dict)  # "pregnancy" → "yes" / "no"
    no_known_allergies: bool = False

    def __bool__(self) -> bool:
        return bool(self.allergies or self.medications or self.statuses or self.no_known_allergies)

    def lines(self) -> list[str]:
        lines = [f"Allergy: {name}" for name in self.allergies]
        lines += [f"Medication: {name}" for name in self.medications]
        lines += [f"{what.capitalize()}: {value}" for what, value in self.statuses.items()]
        if self.no_known_allergies:
            lines.append("No known allergies")
        return lines


def new_facts(response: QuestionnaireResponse) -> NewFacts:
    """Compare the answers with the record as it is now (never removes anything from it)."""
    patient = Patient.objects.get(pk=response.patient_id)
    answers = from_json(questionnaire_of(response.questionnaire_version), response.answers)
    facts = NewFacts()
    details = answers.get(ALLERGY_DETAILS)
    if answers.get(ALLERGY_QUESTION) == YES and isinstance(details, str):
        recorded = [a.substance for a in patient.allergies.filter(voided_at=None)]
        facts.allergies = _unrecorded([a.substance for a in allergies_in_text(details)], recorded)
    elif answers.get(ALLERGY_QUESTION) == YesNoUnknown.NO:
        # "No allergies" is an answer with a date; the record keeps it as such, unless it
        # lists allergies (then the answer is for the practitioner to reconcile).
        reviewed = patient.allergies_reviewed_on
        facts.no_known_allergies = not patient.allergies.filter(voided_at=None).exists() and (
            reviewed is None or reviewed < response.asked_on or not patient.no_known_allergies
        )
    names = answers.get(MEDICATION_NAMES)
    if answers.get("anticoagulants") in YES_OR_UNSURE and isinstance(names, str):
        recorded = [m.name for m in patient.medications.filter(voided_at=None)]
        facts.medications = _unrecorded([a.substance for a in allergies_in_text(names)], recorded)
    for question, status in STATUS_QUESTIONS.items():
        value = answers.get(question)
        if not isinstance(value, str) or value not in (YesNoUnknown.YES, YesNoUnknown.NO):
            continue  # "not sure" is kept on the response; the record cannot say it
        asked_on = getattr(patient, f"{status}_asked_on")
        newer_on_record = asked_on is not None and asked_on > response.asked_on
        same = asked_on == response.asked_on and getattr(patient, f"{status}_status") == value
        if not newer_on_record and not same:
            facts.statuses[status] = value
    return facts


def _unrecorded(stated: list[str], recorded: list[str]) -> list[str]:
    """Stated names that say something else than every recorded one (whole words, any case;
    a brand and its generic, "Eliquis" and "apixaban", are one medicine: `core.medicines`)."""
    new: list[str] = []
    for name in stated:
        same = [
            r
            for r in [*recorded, *new]
            if (mentions(r, name) and mentions(name, r)) or same_medicine(r, name)
        ]
        if not same:
            new.append(name[:200])
    return new


def write_back(actor: Actor, response: QuestionnaireResponse) -> NewFacts:
    """Add the response's new facts to the patient record through `patients.actions`, each
    audited there, and stamp the response; one transaction."""
    require(actor, "patient.clinical.edit")
    with transaction.atomic():
        locked = QuestionnaireResponse.objects.select_for_update().get(pk=response.pk)
        facts = new_facts(locked)
        patient = locked.patient
        for name in facts.allergies:
            patient_actions.add_history(actor, patient, kind="allergy", data={"substance": name})
        for name in facts.medications:
            # The kind (anticoagulant, antiplatelet) is recognised from the name when it is
            # one of `core.medicines` (add_history sets the flags); otherwise a clinician does.
            patient_actions.add_history(actor, patient, kind="medication", data={"name": name})
        if facts.statuses or facts.no_known_allergies:
            # The patients form reads "today" in the server's time zone, the response in the
            # clinic's: east of the server the clinic's day can be the server's tomorrow.
            asked_on = min(locked.asked_on, timezone.localdate())
            data: dict[str, object] = {}
            for status, value in facts.statuses.items():
                data[f"{status}_status"] = value
                data[f"{status}_asked_on"] = asked_on
            if facts.no_known_allergies:
                data["no_known_allergies"] = True
                data["allergies_reviewed_on"] = asked_on
            patient_actions.update_patient(actor, patient, data)
        locked.written_back_at = timezone.now()
        locked.written_back_by = actor.user
        locked.save(update_fields=["written_back_at", "written_back_by"])
        record(
            actor,
            Action.UPDATE,
            Category.CLINICAL,
            patient=patient,
            obj=locked,
            detail={"written_back": facts.lines()},
        )
    response.written_back_at = locked.written_back_at
    response.written_back_by = locked.written_back_by
    return facts
