"""The screening vocabulary: questionnaires, the rule language and their validation.

Rules are data so that a clinic can add its own without code: a rule is a key, a kind, the
source that justifies it, a message for the clinician and a condition built from the small
vocabulary below. `mesochart.core.screening` is the one interpreter; this module only describes
and validates, and `screening_defaults` holds the shipped questionnaire and rules. A rule
without a source is refused: every number mesochart ships must say where it comes from.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class ScreeningError(ValueError):
    """Invalid screening data, naming the field and the rule it breaks.

    The text is the one the API and the forms show: ``rules[2].when.op: unknown operator 'like'``.
    """

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule


class Kind(StrEnum):
    ABSOLUTE = "absolute"  # blocks treatment; no acknowledgement lifts it
    RELATIVE = "relative"  # treatment needs the practitioner's written reason


class AnswerType(StrEnum):
    YES_NO = "yes_no"
    YES_NO_UNSURE = "yes_no_unsure"
    TEXT = "text"
    DATE = "date"
    CHOICE = "choice"


YES, NO, UNSURE = "yes", "no", "unsure"
YES_OR_UNSURE = frozenset({YES, UNSURE})
AnswerValue = str | date

# Questions the allergy condition reads besides the patient's recorded allergies.
ALLERGY_QUESTION = "allergies"
ALLERGY_DETAILS = "allergy_details"

# Fact flags a rule may test, each mapped to the `Medication` attribute that raises it.
FACT_FLAGS: Mapping[str, str] = {"anticoagulant": "anticoagulant", "antiplatelet": "antiplatelet"}


@dataclass(frozen=True)
class AnswerEquals:
    question: str
    value: str


@dataclass(frozen=True)
class AnswerIn:
    question: str
    values: frozenset[str]


@dataclass(frozen=True)
class FactTrue:
    fact: str


@dataclass(frozen=True)
class AgeBelow:
    """Full years on the screening date, from the date-of-birth answer."""

    years: int
    question: str = "date_of_birth"


@dataclass(frozen=True)
class BmiAbove:
    """BMI from the recorded weight and height, as charted (one decimal), strictly above."""

    bmi: float


@dataclass(frozen=True)
class ProductFor:
    """A product in the cocktail is indicated for ``indication`` (e.g. "lipolysis")."""

    indication: str


@dataclass(frozen=True)
class ComponentAllergy:
    """A recorded or stated allergy matches an ingredient or excipient of the cocktail."""


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class AllOf:
    conditions: tuple[Condition, ...]


Condition = (
    AnswerEquals
    | AnswerIn
    | FactTrue
    | AgeBelow
    | BmiAbove
    | ProductFor
    | ComponentAllergy
    | AnyOf
    | AllOf
)

OPERATORS: Mapping[str, type] = {
    "answer_equals": AnswerEquals,
    "answer_in": AnswerIn,
    "fact_true": FactTrue,
    "age_below": AgeBelow,
    "bmi_above": BmiAbove,
    "product_for": ProductFor,
    "allergy_to_component": ComponentAllergy,
    "any_of": AnyOf,
    "all_of": AllOf,
}


@dataclass(frozen=True)
class Rule:
    key: str
    kind: Kind
    source: str
    when: Condition
    message: str


@dataclass(frozen=True)
class Question:
    """One screening question.

    ``text`` is what the patient reads; ``{area}`` in it stands for the treatment area. ``fact``
    names the patient fact the answer is prefilled from and written back to (see
    `screening.prefill_answers`). ``asked_if`` makes it a follow-up, shown only when another
    answer matches; an unanswered follow-up is reported missing only once it is asked.
    """

    key: str
    text: str
    answer_type: AnswerType
    fact: str | None = None
    choices: tuple[str, ...] = ()
    asked_if: AnswerIn | None = None

    @property
    def options(self) -> tuple[str, ...]:
        """The closed set of answers, or () for free text and dates."""
        if self.answer_type == AnswerType.YES_NO:
            return (YES, NO)
        if self.answer_type == AnswerType.YES_NO_UNSURE:
            return (YES, NO, UNSURE)
        return self.choices if self.answer_type == AnswerType.CHOICE else ()

    @property
    def about_site(self) -> bool:
        return "{area}" in self.text

    def accepts(self, value: object) -> bool:
        if self.answer_type == AnswerType.TEXT:
            return isinstance(value, str)
        if self.answer_type == AnswerType.DATE:
            return isinstance(value, date) and not isinstance(value, datetime)
        return value in self.options

    def text_for(self, area: str) -> str:
        return self.text.replace("{area}", re.sub(r"[-_]+", " ", area))


@dataclass(frozen=True)
class Questionnaire:
    """A versioned question set; answers are only read against the version they answered."""

    version: str
    questions: tuple[Question, ...]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for i, question in enumerate(self.questions):
            path = f"questionnaire.questions[{i}]"
            if question.key in seen:
                raise ScreeningError(f"{path}.key", f"duplicate question '{question.key}'")
            if question.answer_type == AnswerType.CHOICE and not question.choices:
                raise ScreeningError(f"{path}.choices", "a choice question needs choices")
            if question.asked_if:
                parent_key = question.asked_if.question
                parent = self.get(parent_key) if parent_key in seen else None
                if parent is None:
                    raise ScreeningError(f"{path}.asked_if", "must follow an earlier question")
                if not question.asked_if.values <= set(parent.options):
                    raise ScreeningError(f"{path}.asked_if", "must list answers the question has")
            seen.add(question.key)

    def get(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)

    def answered_no(self) -> dict[str, str]:
        """Every yes/no question asked of everyone, answered "no": how a patient with nothing
        to report answers, for synthetic patients (the demo's, the tests'). Follow-ups are
        left out (nothing asks them), and so are dates and free text, which have no such
        answer. Never a form's default: a patient answers each question."""
        return {
            q.key: NO
            for q in self.questions
            if q.asked_if is None and q.answer_type in (AnswerType.YES_NO, AnswerType.YES_NO_UNSURE)
        }

    def extended(self, version: str, *questions: Question) -> Questionnaire:
        """A clinic's questionnaire: these defaults plus its own questions, under a new version."""
        return Questionnaire(version, self.questions + questions)


_KEY = re.compile(r"[a-z][a-z0-9_]*\Z")


def check_rules(
    rules: Sequence[Rule],
    questionnaire: Questionnaire,
    *,
    prefix: str = "rules",
    reserved: frozenset[str] = frozenset(),
) -> None:
    """Raise `ScreeningError` on the first rule that could not be evaluated faithfully.

    ``reserved`` holds keys already taken (the defaults, when checking clinic rules): a clinic
    adds rules, it does not silently replace a sourced default.
    """
    seen = set(reserved)
    for i, rule in enumerate(rules):
        path = f"{prefix}[{i}]"
        if not _KEY.match(rule.key):
            raise ScreeningError(f"{path}.key", "use lowercase letters, digits and underscores")
        if rule.key in seen:
            raise ScreeningError(f"{path}.key", f"rule '{rule.key}' already exists")
        seen.add(rule.key)
        if rule.kind not in tuple(Kind):
            raise ScreeningError(
                f"{path}.kind", f"expected 'absolute' or 'relative', got {rule.kind!r}"
            )
        if not rule.source.strip():
            raise ScreeningError(f"{path}.source", "cite the source of the rule")
        if not rule.message.strip():
            raise ScreeningError(f"{path}.message", "write the message the clinician reads")
        _check_condition(rule.when, f"{path}.when", questionnaire)


def _check_condition(cond: object, path: str, questionnaire: Questionnaire) -> None:
    match cond:
        case AnswerEquals(question=key, value=value):
            _check_options(questionnaire, key, (value,), path, "value")
        case AnswerIn(question=key, values=values):
            if not values:
                raise ScreeningError(f"{path}.values", "list at least one answer")
            _check_options(questionnaire, key, sorted(values), path, "values")
        case FactTrue(fact=fact) if fact not in FACT_FLAGS:
            raise ScreeningError(f"{path}.fact", f"unknown fact '{fact}' ({', '.join(FACT_FLAGS)})")
        case AgeBelow(years=years, question=key):
            if isinstance(years, bool) or not isinstance(years, int) or years <= 0:
                raise ScreeningError(f"{path}.years", "expected a positive whole number of years")
            if _question(questionnaire, key, path).answer_type != AnswerType.DATE:
                raise ScreeningError(f"{path}.question", f"'{key}' is not a date question")
        case BmiAbove(bmi=bmi) if isinstance(bmi, bool) or not bmi > 0:
            raise ScreeningError(f"{path}.bmi", "expected a positive number")
        case ProductFor(indication=indication) if not indication.strip():
            raise ScreeningError(f"{path}.indication", "name the indication, e.g. 'lipolysis'")
        case ComponentAllergy():
            for key in (ALLERGY_QUESTION, ALLERGY_DETAILS):
                _question(questionnaire, key, path)
        case AnyOf(conditions=conditions) | AllOf(conditions=conditions):
            if not conditions:
                raise ScreeningError(f"{path}.conditions", "list at least one condition")
            for i, child in enumerate(conditions):
                _check_condition(child, f"{path}.conditions[{i}]", questionnaire)
        case FactTrue() | BmiAbove() | ProductFor():
            pass
        case _:
            raise ScreeningError(path, f"not a screening condition: {type(cond).__name__}")


def _question(questionnaire: Questionnaire, key: str, path: str) -> Question:
    question = questionnaire.get(key)
    if question is None:
        raise ScreeningError(
            f"{path}.question", f"unknown question '{key}' in questionnaire {questionnaire.version}"
        )
    return question


def _check_options(
    questionnaire: Questionnaire, key: str, values: Sequence[str], path: str, field: str
) -> None:
    options = _question(questionnaire, key, path).options
    if not options:
        raise ScreeningError(f"{path}.question", f"'{key}' has no fixed answers to compare")
    for value in values:
        if value not in options:
            allowed = ", ".join(options)
            raise ScreeningError(
                f"{path}.{field}", f"{value!r} is not an answer to '{key}' ({allowed})"
            )


def parse_rules(
    document: object, questionnaire: Questionnaire, *, reserved: frozenset[str] = frozenset()
) -> tuple[Rule, ...]:
    """Rules from their JSON form ``{"rules": [{"key", "kind", "source", "message", "when":
    {"op": ..., ...}}]}``; a condition's fields are its class's field names.

    Raises `ScreeningError` naming the first offending field, e.g. ``rules[2].when.op``.
    """
    items = _object(document, "document", {"rules": True})["rules"]
    if not isinstance(items, list):
        raise ScreeningError("rules", "expected a list of rules")
    rules = tuple(_parse_rule(item, f"rules[{i}]") for i, item in enumerate(items))
    check_rules(rules, questionnaire, reserved=reserved)
    return rules


def _parse_rule(item: object, path: str) -> Rule:
    obj = _object(item, path, dict.fromkeys(("key", "kind", "source", "message", "when"), True))
    kind = obj["kind"]
    if kind not in tuple(Kind):
        raise ScreeningError(f"{path}.kind", f"expected 'absolute' or 'relative', got {kind!r}")
    return Rule(
        key=_text(obj["key"], f"{path}.key"),
        kind=Kind(str(kind)),
        source=_text(obj["source"], f"{path}.source"),
        when=_parse_condition(obj["when"], f"{path}.when"),
        message=_text(obj["message"], f"{path}.message"),
    )


def _parse_condition(value: object, path: str) -> Condition:
    if not isinstance(value, Mapping):
        raise ScreeningError(path, "expected an object with an 'op'")
    op = value.get("op")
    cls = OPERATORS.get(op) if isinstance(op, str) else None
    if cls is None:
        raise ScreeningError(f"{path}.op", "required" if op is None else f"unknown operator {op!r}")
    fields = {f.name: f.default is dataclasses.MISSING for f in dataclasses.fields(cls)}
    _object(value, path, {"op": True, **fields})
    return cls(**{k: _FIELDS[k](value[k], f"{path}.{k}") for k in fields if k in value})


def _object(value: object, path: str, fields: Mapping[str, bool]) -> Mapping[str, object]:
    """``fields`` maps each allowed field to whether it is required."""
    if not isinstance(value, Mapping):
        raise ScreeningError(path, "expected an object")
    for name in value:
        if name not in fields:
            raise ScreeningError(f"{path}.{name}", "unknown field")
    for name, required in fields.items():
        if required and name not in value:
            raise ScreeningError(f"{path}.{name}", "required")
    return value


def _text(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise ScreeningError(path, "expected text")
    return value


def _texts(value: object, path: str) -> frozenset[str]:
    if not isinstance(value, list):
        raise ScreeningError(path, "expected a list of answers")
    return frozenset(_text(item, f"{path}[{i}]") for i, item in enumerate(value))


def _number(value: object, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScreeningError(path, "expected a number")
    return value


def _conditions(value: object, path: str) -> tuple[Condition, ...]:
    if not isinstance(value, list):
        raise ScreeningError(path, "expected a list of conditions")
    return tuple(_parse_condition(item, f"{path}[{i}]") for i, item in enumerate(value))


_FIELDS: Mapping[str, Callable[[object, str], object]] = {
    "question": _text,
    "value": _text,
    "values": _texts,
    "fact": _text,
    "indication": _text,
    "years": _number,
    "bmi": _number,
    "conditions": _conditions,
}
