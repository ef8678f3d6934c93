"""Contraindication screening: plain data in, findings out, no Django.

`screen` evaluates the default rules (`screening_defaults`) and any clinic rules against the
patient's recorded facts, the questionnaire answers, the planned cocktail and the treatment
area. Conditions are three-valued: met, not met, or unknown because an answer or a fact they
need is missing. Unknown is reported as a finding of the rule's own kind, so missing data
blocks where the rule would block and needs an acknowledgement where it would warn: it never
passes silently. Relative findings need a written reason (`needs_acknowledgement`); absolute
ones cannot be acknowledged at all.

The vocabulary and its validation live in `screening_rules`, the shipped questionnaire and
rules in `screening_defaults`, allergy matching in `screening_allergy`, and what makes a
screening hold (expiry, plan changes, acknowledgements) in `screening_validity`; the functions
a caller needs are re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from mesochart.core.screening_allergy import Allergy, Substance, allergies_in_text, mentions
from mesochart.core.screening_allergy import match_allergies as match_allergies
from mesochart.core.screening_defaults import (
    DEFAULT_QUESTIONNAIRE,
    DEFAULT_RULE_KEYS,
    DEFAULT_RULES,
)
from mesochart.core.screening_rules import (
    ALLERGY_DETAILS,
    ALLERGY_QUESTION,
    FACT_FLAGS,
    NO,
    YES,
    AgeBelow,
    AllOf,
    AnswerEquals,
    AnswerIn,
    AnswerValue,
    AnyOf,
    BmiAbove,
    ComponentAllergy,
    Condition,
    FactTrue,
    Kind,
    ProductFor,
    Questionnaire,
    Rule,
    ScreeningError,
    check_rules,
    parse_rules,
)
from mesochart.core.screening_validity import DEFAULT_VALID_DAYS, Finding
from mesochart.core.screening_validity import Acknowledgement as Acknowledgement
from mesochart.core.screening_validity import may_treat as may_treat
from mesochart.core.screening_validity import needs_acknowledgement as needs_acknowledgement
from mesochart.core.screening_validity import screening_fingerprint as screening_fingerprint
from mesochart.core.screening_validity import screening_status as screening_status


@dataclass(frozen=True)
class Medication:
    name: str
    anticoagulant: bool = False
    antiplatelet: bool = False


@dataclass(frozen=True)
class RecordedStatus:
    """A yes/no/unsure status that goes stale (pregnancy, breastfeeding), with when it was asked."""

    value: str
    asked_on: date


@dataclass(frozen=True)
class PatientFacts:
    """What the patient record holds. ``sex_at_birth``: "female", "male", "intersex", "unknown"."""

    date_of_birth: date | None = None
    sex_at_birth: str = "unknown"
    weight_kg: float | None = None
    height_cm: float | None = None
    allergies: tuple[Allergy, ...] = ()
    medications: tuple[Medication, ...] = ()
    conditions: tuple[str, ...] = ()
    pregnancy: RecordedStatus | None = None
    breastfeeding: RecordedStatus | None = None

    def __post_init__(self) -> None:
        for name in ("weight_kg", "height_cm"):
            value = getattr(self, name)
            if value is not None and not value > 0:
                raise ScreeningError(f"facts.{name}", "must be a positive number")


@dataclass(frozen=True)
class Product:
    slug: str
    indications: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cocktail:
    ingredients: tuple[Substance, ...]
    excipients: tuple[Substance, ...] = ()
    products: tuple[Product, ...] = ()

    def components(self) -> tuple[tuple[str, Substance], ...]:
        """(role, component) pairs, one per slug, sorted by slug so order never matters."""
        by_slug: dict[str, tuple[str, Substance]] = {}
        for role, items in (("ingredient", self.ingredients), ("excipient", self.excipients)):
            for component in items:
                by_slug.setdefault(component.slug, (role, component))
        return tuple(by_slug[slug] for slug in sorted(by_slug))

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(component.slug for _, component in self.components())


@dataclass(frozen=True)
class Answers:
    """Answers keyed by question key, valid only for the questionnaire version they answered."""

    questionnaire_version: str
    values: Mapping[str, AnswerValue]


def parse_clinic_rules(
    document: object, questionnaire: Questionnaire = DEFAULT_QUESTIONNAIRE
) -> tuple[Rule, ...]:
    """A clinic's rules from JSON; their keys may not reuse a default rule's key."""
    return parse_rules(document, questionnaire, reserved=DEFAULT_RULE_KEYS)


def screen(
    facts: PatientFacts,
    answers: Answers,
    cocktail: Cocktail,
    area: str,
    on: date,
    *,
    clinic_rules: Sequence[Rule] = (),
    questionnaire: Questionnaire = DEFAULT_QUESTIONNAIRE,
    valid_days: int = DEFAULT_VALID_DAYS,
) -> tuple[Finding, ...]:
    """Findings in rule order (defaults, then clinic rules), at most one per rule.

    Answers given now override what the record prefills (`prefill_answers`); recorded
    anticoagulants and allergies count even when an answer says otherwise.
    """
    check_rules(DEFAULT_RULES, questionnaire, prefix="default_rules")
    check_rules(clinic_rules, questionnaire, prefix="clinic_rules", reserved=DEFAULT_RULE_KEYS)
    given = _checked_answers(answers, questionnaire)
    recorded = prefill_answers(questionnaire, facts, on, valid_days)
    context = _Context(facts, cocktail, area, on, questionnaire, given, recorded)
    findings = (_finding(rule, context) for rule in (*DEFAULT_RULES, *clinic_rules))
    return tuple(finding for finding in findings if finding is not None)


def prefill_answers(
    questionnaire: Questionnaire,
    facts: PatientFacts,
    on: date,
    valid_days: int = DEFAULT_VALID_DAYS,
) -> dict[str, AnswerValue]:
    """Answers the record already gives, for the form to show and the patient to confirm.

    Never infers "no" from a missing record entry. Pregnancy and breastfeeding are prefilled
    only when asked within ``valid_days`` before ``on`` (the same window a screening stays
    valid), or as "no" when the sex at birth is male.
    """
    answers: dict[str, AnswerValue] = {}
    for question in questionnaire.questions:
        fact = question.fact or ""
        name, _, term = fact.partition(":")
        reader = _PREFILL.get(name)
        value = reader(facts, on, valid_days, term) if reader else None
        if value is not None and question.accepts(value):
            answers[question.key] = value
    return answers


def _status(name: str) -> Callable[[PatientFacts, date, int, str], AnswerValue | None]:
    def read(facts: PatientFacts, on: date, valid_days: int, _: str) -> AnswerValue | None:
        if facts.sex_at_birth == "male":
            return NO
        status: RecordedStatus | None = getattr(facts, name)
        if status is None or not 0 <= (on - status.asked_on).days <= valid_days:
            return None
        return status.value

    return read


def _has_condition(facts: PatientFacts, on: date, valid_days: int, term: str) -> str | None:
    return YES if any(mentions(condition, term) for condition in facts.conditions) else None


_PREFILL: Mapping[str, Callable[[PatientFacts, date, int, str], AnswerValue | None]] = {
    "date_of_birth": lambda facts, *_: facts.date_of_birth,
    "pregnancy": _status("pregnancy"),
    "breastfeeding": _status("breastfeeding"),
    "allergies": lambda facts, *_: YES if facts.allergies else None,
    "allergies.substances": lambda facts, *_: (
        "; ".join(a.substance for a in facts.allergies) or None
    ),
    "medications.bleeding_risk": lambda facts, *_: (
        YES if any(getattr(m, a) for m in facts.medications for a in FACT_FLAGS.values()) else None
    ),
    "condition": _has_condition,
}


def _checked_answers(answers: Answers, questionnaire: Questionnaire) -> dict[str, AnswerValue]:
    """The answers given, blank text dropped (a blank answer is no answer)."""
    if answers.questionnaire_version != questionnaire.version:
        raise ScreeningError(
            "answers.questionnaire_version",
            f"answers are for {answers.questionnaire_version}, screening uses "
            f"{questionnaire.version}",
        )
    checked: dict[str, AnswerValue] = {}
    for key, value in answers.values.items():
        question = questionnaire.get(key)
        if question is None:
            raise ScreeningError(f"answers.{key}", "unknown question")
        if not question.accepts(value):
            expected = ", ".join(question.options) or question.answer_type.value
            raise ScreeningError(f"answers.{key}", f"expected {expected}, got {value!r}")
        if not (isinstance(value, str) and not value.strip()):
            checked[key] = value.strip() if isinstance(value, str) else value
    return checked


@dataclass(frozen=True)
class _Context:
    facts: PatientFacts
    cocktail: Cocktail
    area: str
    on: date
    questionnaire: Questionnaire
    given: Mapping[str, AnswerValue]
    recorded: Mapping[str, AnswerValue]

    def answer(self, key: str) -> AnswerValue | None:
        return self.given.get(key, self.recorded.get(key))

    def describe(self, key: str, value: AnswerValue) -> str:
        question = self.questionnaire.get(key)
        label = f"{key} ({self.area})" if question and question.about_site else key
        origin = "answered" if key in self.given else "from patient record"
        return f"{label} = {value} ({origin})"


@dataclass(frozen=True)
class _Outcome:
    state: str  # "met", "not_met" or "unknown"
    evidence: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


_NOT_MET = _Outcome("not_met")


def _finding(rule: Rule, context: _Context) -> Finding | None:
    outcome = _evaluate(rule.when, context)
    if outcome.state == "met":
        message = f"{rule.message}: {'; '.join(outcome.evidence)}"
        return Finding(rule.key, Kind(rule.kind), message, outcome.evidence, rule.source)
    if outcome.state == "unknown":
        missing = ", ".join(outcome.missing)
        message = f"Cannot rule out: {rule.message} (not answered or recorded: {missing})"
        evidence = tuple(f"{key}: missing" for key in outcome.missing)
        return Finding(rule.key, Kind(rule.kind), message, evidence, rule.source, outcome.missing)
    return None


def _evaluate(condition: Condition, context: _Context) -> _Outcome:
    return _EVALUATORS[type(condition)](condition, context)


def _answer_in(key: str, values: Iterable[str], context: _Context) -> _Outcome:
    value = context.answer(key)
    if value is not None:
        met = isinstance(value, str) and value in values
        return _Outcome("met", (context.describe(key, value),)) if met else _NOT_MET
    question = context.questionnaire.get(key)
    if question and question.asked_if:
        # A follow-up is missing only once it is asked: until then the question to answer is
        # its parent, and a parent answer that skips it means the condition cannot hold.
        asked = _answer_in(question.asked_if.question, question.asked_if.values, context)
        if asked.state != "met":
            return asked if asked.state == "unknown" else _NOT_MET
    return _Outcome("unknown", missing=(key,))


def _fact_true(condition: FactTrue, context: _Context) -> _Outcome:
    attribute = FACT_FLAGS[condition.fact]
    names = sorted(m.name for m in context.facts.medications if getattr(m, attribute))
    evidence = tuple(f"medication {name} ({condition.fact}, patient record)" for name in names)
    return _Outcome("met", evidence) if evidence else _NOT_MET


def _age_below(condition: AgeBelow, context: _Context) -> _Outcome:
    born = context.answer(condition.question)
    if not isinstance(born, date):
        return _Outcome("unknown", missing=(condition.question,))
    on = context.on
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    if age >= condition.years:
        return _NOT_MET
    return _Outcome("met", (f"age {age} on {on.isoformat()} (born {born.isoformat()})",))


def _bmi_above(condition: BmiAbove, context: _Context) -> _Outcome:
    weight_kg, height_cm = context.facts.weight_kg, context.facts.height_cm
    if weight_kg is None or height_cm is None:
        missing = ("weight_kg",) * (weight_kg is None) + ("height_cm",) * (height_cm is None)
        return _Outcome("unknown", missing=missing)
    # Rounded as charted, so the finding agrees with the BMI the clinician reads.
    bmi = round(weight_kg / (height_cm / 100) ** 2, 1)
    if bmi <= condition.bmi:
        return _NOT_MET
    return _Outcome("met", (f"BMI {bmi:.1f} (weight {weight_kg:g} kg, height {height_cm:g} cm)",))


def _product_for(condition: ProductFor, context: _Context) -> _Outcome:
    wanted = condition.indication.strip().casefold()
    products = sorted(
        product.slug
        for product in context.cocktail.products
        if wanted in {indication.casefold() for indication in product.indications}
    )
    evidence = tuple(f"product {slug} is for {condition.indication}" for slug in products)
    return _Outcome("met", evidence) if evidence else _NOT_MET


def _component_allergy(_: ComponentAllergy, context: _Context) -> _Outcome:
    details = context.answer(ALLERGY_DETAILS)
    stated = allergies_in_text(details) if isinstance(details, str) else ()
    matches = match_allergies(context.facts.allergies + stated, context.cocktail.components())
    if matches:
        return _Outcome("met", tuple(match.describe() for match in matches))
    has_allergies = context.answer(ALLERGY_QUESTION)
    if has_allergies is None:
        return _Outcome("unknown", missing=(ALLERGY_QUESTION,))
    if has_allergies != NO and details is None:
        return _Outcome("unknown", missing=(ALLERGY_DETAILS,))
    return _NOT_MET


def _any_of(condition: AnyOf, context: _Context) -> _Outcome:
    outcomes = [_evaluate(child, context) for child in condition.conditions]
    if met := [o for o in outcomes if o.state == "met"]:
        return _Outcome("met", _joined(o.evidence for o in met))
    if unknown := [o for o in outcomes if o.state == "unknown"]:
        return _Outcome("unknown", missing=_joined(o.missing for o in unknown))
    return _NOT_MET


def _all_of(condition: AllOf, context: _Context) -> _Outcome:
    outcomes = [_evaluate(child, context) for child in condition.conditions]
    if any(o.state == "not_met" for o in outcomes):
        return _NOT_MET
    if unknown := [o for o in outcomes if o.state == "unknown"]:
        return _Outcome("unknown", missing=_joined(o.missing for o in unknown))
    return _Outcome("met", _joined(o.evidence for o in outcomes))


def _joined(parts: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for part in parts for item in part))


_EVALUATORS: Mapping[type, Callable[..., _Outcome]] = {
    AnswerEquals: lambda c, ctx: _answer_in(c.question, (c.value,), ctx),
    AnswerIn: lambda c, ctx: _answer_in(c.question, c.values, ctx),
    FactTrue: _fact_true,
    AgeBelow: _age_below,
    BmiAbove: _bmi_above,
    ProductFor: _product_for,
    ComponentAllergy: _component_allergy,
    AnyOf: _any_of,
    AllOf: _all_of,
}
