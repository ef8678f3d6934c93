"""Questionnaire (each version of the health questionnaire mesochart asks) and
QuestionnaireResponse (each set of answers a patient gave, as asked: the treatment area named
in the site questions, follow-ups only where they were asked)."""

from typing import Any

from mesochart.consent.questionnaire import CHOICE_LABELS, questionnaire_of
from mesochart.core.screening_rules import AnswerType, Question, Questionnaire
from mesochart.interop.fhir.codes import AREA_ASKED, LOCAL
from mesochart.interop.fhir.ids import Refs

CANONICAL = "https://mesochart.org/fhir/Questionnaire/health"
ANSWERS = f"{LOCAL}/answer"
ITEM_TYPE = {
    AnswerType.YES_NO: "choice",
    AnswerType.YES_NO_UNSURE: "choice",
    AnswerType.CHOICE: "choice",
    AnswerType.TEXT: "string",
    AnswerType.DATE: "date",
}


def canonical(version: str) -> str:
    return f"{CANONICAL}|{version}"


def answer_coding(value: str) -> dict:
    return {"system": ANSWERS, "code": value, "display": CHOICE_LABELS.get(value, value)}


def questionnaire(refs: Refs, version: str) -> dict:
    """The questions of ``version``; "{area}" reads "the treatment area" (each response says
    which area it was asked about)."""
    asked = questionnaire_of(version)
    return {
        "resourceType": "Questionnaire",
        "id": refs.id("Questionnaire", version),
        "url": CANONICAL,
        "version": version,
        "name": "MesochartHealthQuestionnaire",
        "title": "Health questionnaire before mesotherapy",
        "status": "active",
        "subjectType": ["Patient"],
        "item": [_item(question) for question in asked.questions],
    }


def _item(question: Question) -> dict:
    item: dict[str, Any] = {
        "linkId": question.key,
        "text": question.text_for("the treatment area"),
        "type": ITEM_TYPE[question.answer_type],
    }
    if question.options:
        item["answerOption"] = [{"valueCoding": answer_coding(o)} for o in question.options]
    if question.asked_if:
        values = sorted(question.asked_if.values)
        item["enableWhen"] = [
            {
                "question": question.asked_if.question,
                "operator": "=",
                "answerCoding": answer_coding(value),
            }
            for value in values
        ]
        if len(values) > 1:
            item["enableBehavior"] = "any"
    return item


def response(refs: Refs, row, patient_ref: dict) -> dict:
    """One set of answers; the patient is its source when they answered on the tablet."""
    asked: Questionnaire = questionnaire_of(row.questionnaire_version)
    items = []
    for question in asked.questions:
        value = row.answers.get(question.key)
        if value in (None, ""):
            continue
        items.append(
            {
                "linkId": question.key,
                "text": question.text_for(row.area),
                "answer": [_answer(question, value)],
            }
        )
    resource = {
        "resourceType": "QuestionnaireResponse",
        "id": refs.id("QuestionnaireResponse", row.pk),
        "questionnaire": canonical(row.questionnaire_version),
        "status": "completed",
        "subject": patient_ref,
        "authored": row.submitted_at.isoformat(),
        "author": refs.ref("Practitioner", row.collected_by_id),
        "source": patient_ref
        if row.mode == "patient"
        else refs.ref("Practitioner", row.collected_by_id),
        "extension": [{"url": AREA_ASKED, "valueString": row.area}],
    }
    if items:
        resource["item"] = items
    return resource


def _answer(question: Question, value) -> dict:
    if question.options:
        return {"valueCoding": answer_coding(str(value))}
    if question.answer_type == AnswerType.DATE:
        return {"valueDate": str(value)}
    return {"valueString": str(value)}
