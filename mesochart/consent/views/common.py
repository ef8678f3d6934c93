"""What the screening and consent pages share: the questionnaire as rows, errors as lines."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from mesochart.accounts.roles import allows
from mesochart.consent.facts import demographic_facts, patient_facts
from mesochart.consent.models import ScreeningPolicy
from mesochart.consent.plans import area_words
from mesochart.consent.questionnaire import CURRENT, Shown, shown_questions
from mesochart.core.screening import prefill_answers
from mesochart.core.screening_defaults import PLAIN_RULES, QUESTION_LABELS
from mesochart.lib.errors import label_of, page_lines


def flash_errors(request, error: ValidationError, form=None) -> None:
    """The refusal as messages, each field by its label (``form``'s when given)."""
    for line in page_lines(error, form=form):
        messages.error(request, line)


def bind_errors(form, error: ValidationError) -> None:
    """Show an action's refusal on its form: on the field when the form has it. A path into
    what was typed in a field (``rules[0].when.op`` of the rules' JSON) goes on that field,
    the path kept: it names the admin's own text, which the label alone would not."""
    for name, problems in error.message_dict.items():
        head = name.split("[", 1)[0].split(".", 1)[0]
        target = head if head in form.fields else None
        for problem in problems:
            if target:
                message = problem if name == target else f"{name}: {problem}"
            else:
                named = name == NON_FIELD_ERRORS
                message = problem if named else f"{label_of(name)}: {problem}"
            if message not in form.errors.get(target or NON_FIELD_ERRORS, []):
                form.add_error(target, message)


@dataclass
class Row:
    """One question on the page, with its value, its error and its follow-ups."""

    shown: Shown
    value: str = ""
    error: str = ""
    children: list["Row"] = field(default_factory=list)

    @property
    def when_classes(self) -> str:
        return " ".join(f"cs-when-{value}" for value in self.shown.parent_values)


def prefill(membership, patient) -> dict[str, str]:
    """What the record answers already. Roles that may not read the clinical record get the
    date of birth (and pregnancy "no" for a male patient) only."""
    clinical = allows(membership.role, "patient.clinical.view")
    facts = patient_facts(patient) if clinical else demographic_facts(patient)
    today = membership.clinic.today()
    policy = ScreeningPolicy.of(membership.clinic)
    answers = prefill_answers(CURRENT, facts, today, policy.valid_days)
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in answers.items()}


def answer_words(key: str, rule: str) -> str:
    """`core.screening_defaults.answer_problem` in the reader's language: "Grossesse :
    merci de répondre"."""
    label = QUESTION_LABELS.get(key)
    question = gettext(label) if label else key.replace("_", " ").capitalize()
    words = PLAIN_RULES.get(rule)
    return _("%(question)s: %(rule)s") % {
        "question": question,
        "rule": gettext(words) if words else rule,
    }


def question_rows(area: str, values: dict, errors: dict, questionnaire=CURRENT) -> list[Row]:
    rows: dict[str, Row] = {}
    top: list[Row] = []
    for shown in shown_questions(questionnaire, area_words(area) if area else "treatment"):
        problems = errors.get(f"answers.{shown.key}", [])
        wording = "; ".join(answer_words(shown.key, rule) for rule in problems)
        row = Row(shown, str(values.get(shown.key, "") or ""), wording)
        rows[shown.key] = row
        (rows[shown.parent].children if shown.parent else top).append(row)
    return top


def posted_answers(post) -> dict[str, str]:
    return {q.key: post[q.key] for q in CURRENT.questions if q.key in post}
