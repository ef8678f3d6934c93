"""The questionnaire versions mesochart asks, and answers read from a form or a JSON body.

The questions and rules live in the pure core (`core.screening_defaults`). mesochart asks the
core's questionnaire plus one follow-up of its own: the names of blood-thinning medicines, so
that a "yes" can be written back to the record as a medication rather than only as an answer.
That makes it a questionnaire of its own version; answers keep the version they were given on
and are only ever read against it (`QUESTIONNAIRES`).
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mesochart.core.screening import DEFAULT_QUESTIONNAIRE
from mesochart.core.screening_rules import (
    YES_OR_UNSURE,
    AnswerIn,
    AnswerType,
    AnswerValue,
    Question,
    Questionnaire,
)

MEDICATION_NAMES = "medication_names"

CURRENT = DEFAULT_QUESTIONNAIRE.extended(
    f"{DEFAULT_QUESTIONNAIRE.version}+mc1",
    Question(
        MEDICATION_NAMES,
        "Which of these medicines do you take? (names, separated by commas)",
        AnswerType.TEXT,
        asked_if=AnswerIn("anticoagulants", YES_OR_UNSURE),
    ),
)


def translated(questionnaire: Questionnaire, language: str, texts: Mapping[str, str]):
    """The same questions, keys and rules in another language: a version of its own, so a
    response keeps the exact wording it answered. Every question must have its text."""
    missing = [q.key for q in questionnaire.questions if q.key not in texts]
    if missing:
        raise ValueError(f"no {language} text for {missing}")
    questions = tuple(replace(q, text=texts[q.key]) for q in questionnaire.questions)
    return Questionnaire(f"{questionnaire.version}-{language}", questions)


# Reviewed French wording; "{area}" is the treatment area, in the patient's language.
FRENCH_TEXTS = {
    "date_of_birth": "Quelle est votre date de naissance ?",
    "pregnant": "Êtes-vous enceinte, ou pourriez-vous l'être ?",
    "breastfeeding": "Allaitez-vous ?",
    "site_infection": "Avez-vous en ce moment une infection dans la zone à traiter ({area}) ?",
    "site_herpes": (
        "Avez-vous un bouton de fièvre ou une autre poussée d'herpès dans la zone à traiter "
        "({area}) ?"
    ),
    "allergies": "Avez-vous des allergies (médicaments, aliments, autres) ?",
    "allergy_details": "À quoi êtes-vous allergique, et que s'est-il passé ?",
    "anticoagulants": (
        "Prenez-vous des médicaments qui fluidifient le sang ou empêchent sa coagulation, "
        "comme la warfarine, l'apixaban, le clopidogrel ou l'aspirine tous les jours ?"
    ),
    "bleeding_disorder": (
        "Vous a-t-on dit que vous aviez un trouble de la coagulation ou une tendance aux "
        "saignements ?"
    ),
    "immunosuppression": (
        "Prenez-vous des médicaments qui affaiblissent le système immunitaire, ou suivez-vous "
        "une chimiothérapie ?"
    ),
    "active_cancer": "Avez-vous un cancer en cours de traitement ou pas encore traité ?",
    "autoimmune_disease": (
        "Avez-vous une maladie auto-immune, comme un lupus ou une polyarthrite rhumatoïde ?"
    ),
    "diabetes": "Avez-vous un diabète ?",
    "diabetes_controlled": "Votre diabète est-il bien équilibré en ce moment ?",
    "keloid_tendency": (
        "Avez-vous déjà eu des cicatrices épaisses et en relief qui dépassaient la plaie "
        "(chéloïdes) ?"
    ),
    "prior_surgery_at_site": "Avez-vous été opéré(e) dans la zone à traiter ({area}) ?",
    "recent_treatment_at_site": (
        "Avez-vous déjà reçu des injections ou d'autres traitements dans la zone à traiter "
        "({area}) ?"
    ),
    "recent_treatment_what": "De quoi s'agissait-il ?",
    "recent_treatment_when": "À quand remonte le plus récent ?",
    MEDICATION_NAMES: "Lesquels de ces médicaments prenez-vous ? (noms, séparés par des virgules)",
}
CURRENT_FR = translated(CURRENT, "fr", FRENCH_TEXTS)
BY_LANGUAGE: Mapping[str, Questionnaire] = {"en-gb": CURRENT, "fr": CURRENT_FR}
QUESTIONNAIRES: Mapping[str, Questionnaire] = {q.version: q for q in BY_LANGUAGE.values()}


def current_for(language: str) -> Questionnaire:
    """The questionnaire a patient speaking ``language`` answers (English when none)."""
    return BY_LANGUAGE.get(language, CURRENT)


# Follow-ups a patient may not be able to answer; every other question that is asked needs an
# answer ("unsure" is one where the question offers it), so nothing is left unknown by accident.
OPTIONAL = frozenset({"recent_treatment_what", "recent_treatment_when", MEDICATION_NAMES})
MAX_TEXT = 1000

# English labels (FHIR displays them as codes' names); the forms show them translated.
CHOICE_LABELS = {
    "yes": gettext_noop("Yes"),
    "no": gettext_noop("No"),
    "unsure": gettext_noop("Not sure"),
}


def questionnaire_of(version: str) -> Questionnaire:
    """The questionnaire a stored response answered; KeyError for an unknown version."""
    return QUESTIONNAIRES[version]


@dataclass(frozen=True)
class Shown:
    """A question as a form shows it: follow-ups right after the question they follow."""

    question: Question
    text: str
    parent: str | None
    parent_values: tuple[str, ...]
    choices: tuple[tuple[str, str], ...]

    @property
    def key(self) -> str:
        return self.question.key

    @property
    def kind(self) -> str:
        return self.question.answer_type.value

    @property
    def input_type(self) -> str:
        if self.choices:
            return "choice"
        return "date" if self.question.answer_type == AnswerType.DATE else "text"

    @property
    def required(self) -> bool:
        return self.key not in OPTIONAL


def shown_questions(questionnaire: Questionnaire, area: str) -> list[Shown]:
    """The questions in reading order for ``area``; each follow-up after its parent."""
    children: dict[str, list[Question]] = {}
    for question in questionnaire.questions:
        if question.asked_if:
            children.setdefault(question.asked_if.question, []).append(question)
    ordered: list[Shown] = []

    def add(question: Question) -> None:
        parent = question.asked_if
        ordered.append(
            Shown(
                question,
                question.text_for(area),
                parent.question if parent else None,
                tuple(sorted(parent.values)) if parent else (),
                tuple((value, _(CHOICE_LABELS.get(value, value))) for value in question.options),
            )
        )
        for child in children.get(question.key, ()):
            add(child)

    for question in questionnaire.questions:
        if not question.asked_if:
            add(question)
    return ordered


def parse_answers(
    questionnaire: Questionnaire, data: Mapping[str, object], today: date
) -> tuple[dict[str, AnswerValue], dict[str, list[str]]]:
    """Answers from raw form or JSON values, and errors as ``{"answers.<key>": [rule]}``.

    Follow-ups that are not asked (their parent's answer skips them) are dropped, whatever was
    sent; blank optional answers are left out.
    """
    answers: dict[str, AnswerValue] = {}
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(data) - {q.key for q in questionnaire.questions})
    for key in unknown:
        errors[f"answers.{key}"] = ["is not a question of this questionnaire"]
    for question in questionnaire.questions:
        parent = question.asked_if
        if parent and answers.get(parent.question) not in parent.values:
            continue
        raw = data.get(question.key)
        text = raw.strip() if isinstance(raw, str) else raw
        field = f"answers.{question.key}"
        if text in (None, ""):
            if question.key not in OPTIONAL:
                errors[field] = ["is required"]
            continue
        value, problem = _read(question, text, today)
        if problem:
            errors[field] = [problem]
        elif value is not None:  # always, when there is no problem
            answers[question.key] = value
    return answers, errors


def _read(question: Question, raw: object, today: date) -> tuple[AnswerValue | None, str]:
    if question.answer_type == AnswerType.DATE:
        try:
            value = raw if isinstance(raw, date) else date.fromisoformat(str(raw))
        except ValueError:
            return None, "must be a date (YYYY-MM-DD)"
        if value > today:
            return None, "must not be in the future"
        return value, ""
    if not isinstance(raw, str):
        return None, "must be text"
    if question.options:
        if raw not in question.options:
            return None, f"must be one of: {', '.join(question.options)}"
        return raw, ""
    if len(raw) > MAX_TEXT:
        return None, f"must be at most {MAX_TEXT} characters"
    return raw, ""


def to_json(answers: Mapping[str, AnswerValue]) -> dict[str, str]:
    """Answers as stored: dates as ISO text."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in answers.items()}


def from_json(questionnaire: Questionnaire, stored: Mapping[str, str]) -> dict[str, AnswerValue]:
    """Stored answers read back against their questionnaire (dates become dates again)."""
    answers: dict[str, AnswerValue] = {}
    for key, value in stored.items():
        question = questionnaire.get(key)
        is_date = question is not None and question.answer_type == AnswerType.DATE
        answers[key] = date.fromisoformat(value) if is_date else value
    return answers
