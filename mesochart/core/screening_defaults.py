"""The shipped screening: questionnaire version "2026-11-1" and the default rules.

Every rule cites reference.md: the "Screening" section, and for site infection, bleeding risk
and prior surgery also the deoxycholic acid label quoted under "Limits". Kinds follow that
section: what it lists as absolute blocks, what it lists as relative needs the practitioner's
written reason. Nothing here is invented: where reference.md gives no rule (recent treatments
at the site) the question is asked and recorded for the practitioner, but no rule reads it.
"""

from mesochart.core.screening_rules import (
    ALLERGY_DETAILS,
    ALLERGY_QUESTION,
    NO,
    UNSURE,
    YES,
    YES_OR_UNSURE,
    AgeBelow,
    AllOf,
    AnswerEquals,
    AnswerIn,
    AnswerType,
    AnyOf,
    BmiAbove,
    ComponentAllergy,
    Condition,
    FactTrue,
    Kind,
    ProductFor,
    Question,
    Questionnaire,
    Rule,
)
from mesochart.core.words import gettext_noop


def _yn(key: str, text: str, fact: str | None = None, *, unsure: bool = True) -> Question:
    answer_type = AnswerType.YES_NO_UNSURE if unsure else AnswerType.YES_NO
    return Question(key, text, answer_type, fact)


def _follow_up(
    key: str,
    text: str,
    answer_type: AnswerType,
    parent: str,
    *,
    fact: str | None = None,
    when: frozenset[str] = YES_OR_UNSURE,
) -> Question:
    return Question(key, text, answer_type, fact, asked_if=AnswerIn(parent, when))


DEFAULT_QUESTIONNAIRE = Questionnaire(
    "2026-11-1",
    (
        Question("date_of_birth", "What is your date of birth?", AnswerType.DATE, "date_of_birth"),
        _yn("pregnant", "Are you pregnant, or could you be pregnant?", "pregnancy"),
        _yn("breastfeeding", "Are you breastfeeding?", "breastfeeding", unsure=False),
        _yn("site_infection", "Do you have an infection in the {area} area right now?"),
        _yn("site_herpes", "Do you have a cold sore or other herpes outbreak in the {area} area?"),
        _yn(ALLERGY_QUESTION, "Do you have any allergies (medicines, foods, other)?", "allergies"),
        _follow_up(
            ALLERGY_DETAILS,
            "What are you allergic to, and what happened?",
            AnswerType.TEXT,
            ALLERGY_QUESTION,
            fact="allergies.substances",
        ),
        _yn(
            "anticoagulants",
            "Do you take medicines that thin the blood or stop it clotting, such as warfarin, "
            "apixaban, clopidogrel or daily aspirin?",
            "medications.bleeding_risk",
        ),
        _yn(
            "bleeding_disorder",
            "Have you been told you have a bleeding or clotting disorder?",
            "condition:bleeding disorder",
        ),
        _yn(
            "immunosuppression",
            "Do you take medicines that weaken the immune system, or are you having chemotherapy?",
            "condition:immunosuppression",
        ),
        _yn(
            "active_cancer",
            "Do you have cancer that is being treated or not yet treated?",
            "condition:cancer",
        ),
        _yn(
            "autoimmune_disease",
            "Do you have an autoimmune disease, such as lupus or rheumatoid arthritis?",
            "condition:autoimmune",
        ),
        _yn("diabetes", "Do you have diabetes?", "condition:diabetes", unsure=False),
        _follow_up(
            "diabetes_controlled",
            "Is your diabetes well controlled at the moment?",
            AnswerType.YES_NO_UNSURE,
            "diabetes",
            when=frozenset({YES}),
        ),
        _yn(
            "keloid_tendency",
            "Have you had raised, thick scars that grew beyond the wound (keloids)?",
            "condition:keloid",
        ),
        _yn("prior_surgery_at_site", "Have you had surgery in the {area} area?"),
        _yn(
            "recent_treatment_at_site",
            "Have you had injections or other treatments in the {area} area before?",
        ),
        _follow_up(
            "recent_treatment_what",
            "What was it?",
            AnswerType.TEXT,
            "recent_treatment_at_site",
        ),
        _follow_up(
            "recent_treatment_when",
            "When was the most recent one?",
            AnswerType.DATE,
            "recent_treatment_at_site",
        ),
    ),
)

_SCREENING = "reference.md › Screening"
_DC_LABEL = "[LABEL] Deoxycholic acid injection 10 mg/mL (KYBELLA / Belkyra), NDA 206333"


def _absolute(key: str, message: str, when: Condition, source: str) -> Rule:
    return Rule(key, Kind.ABSOLUTE, source, when, message)


def _relative(key: str, message: str, when: Condition, source: str) -> Rule:
    return Rule(key, Kind.RELATIVE, source, when, message)


def _sec_mkt(what: str) -> str:
    return f"[SEC/MKT] {_SCREENING}: relative — {what}"


# "unsure" counts as yes throughout: a possible contraindication is screened like a known one
# until the practitioner examines the patient and records the answer.
DEFAULT_RULES: tuple[Rule, ...] = (
    _absolute(
        "pregnancy",
        "Pregnant or possibly pregnant",
        AnswerIn("pregnant", YES_OR_UNSURE),
        f"[SEC] {_SCREENING}: absolute — pregnancy",
    ),
    _absolute(
        "breastfeeding",
        "Breastfeeding",
        AnswerEquals("breastfeeding", YES),
        f"[SEC] {_SCREENING}: absolute — breastfeeding",
    ),
    _absolute(
        "site_infection",
        "Infection at the treatment site",
        AnswerIn("site_infection", YES_OR_UNSURE),
        f"{_DC_LABEL}: contraindicated — infection at the injection sites; {_SCREENING}",
    ),
    _absolute(
        "site_herpes",
        "Herpes at the treatment site",
        AnswerIn("site_herpes", YES_OR_UNSURE),
        f"[SEC] {_SCREENING}: absolute — infection or herpes at the site",
    ),
    _absolute(
        "component_allergy",
        "Known allergy to a component of the cocktail",
        ComponentAllergy(),
        f"[SEC] {_SCREENING}: absolute — known allergy to a component "
        "(for PC/DC: soy, benzyl alcohol)",
    ),
    _absolute(
        "under_18",
        "Under 18 years old",
        AgeBelow(18),
        f"[SEC] {_SCREENING}: absolute — age under 18",
    ),
    _relative(
        "bleeding_risk_medication",
        "Takes an anticoagulant or antiplatelet medicine",
        AnyOf(
            (
                FactTrue("anticoagulant"),
                FactTrue("antiplatelet"),
                AnswerIn("anticoagulants", YES_OR_UNSURE),
            )
        ),
        f"{_DC_LABEL}: caution — anticoagulants/antiplatelets; {_SCREENING}: relative",
    ),
    _relative(
        "bleeding_disorder",
        "Bleeding or clotting disorder",
        AnswerIn("bleeding_disorder", YES_OR_UNSURE),
        f"{_DC_LABEL}: caution — coagulation disorders; {_SCREENING}: relative",
    ),
    _relative(
        "immunosuppression",
        "Immunosuppressed or on chemotherapy",
        AnswerIn("immunosuppression", YES_OR_UNSURE),
        _sec_mkt("immunosuppression or chemotherapy"),
    ),
    _relative(
        "active_cancer",
        "Active cancer",
        AnswerIn("active_cancer", YES_OR_UNSURE),
        _sec_mkt("active cancer"),
    ),
    _relative(
        "autoimmune_disease",
        "Autoimmune disease",
        AnswerIn("autoimmune_disease", YES_OR_UNSURE),
        _sec_mkt("autoimmune disease"),
    ),
    _relative(
        "uncontrolled_diabetes",
        "Diabetes that is not controlled (decompensated)",
        AllOf(
            (
                AnswerEquals("diabetes", YES),
                AnswerIn("diabetes_controlled", frozenset({NO, UNSURE})),
            )
        ),
        _sec_mkt("decompensated diabetes"),
    ),
    _relative(
        "keloid_tendency",
        "Tendency to keloid scarring",
        AnswerIn("keloid_tendency", YES_OR_UNSURE),
        _sec_mkt("keloid tendency"),
    ),
    _relative(
        "bmi_over_30_lipolysis",
        "BMI over 30 for a lipolysis product",
        AllOf((ProductFor("lipolysis"), BmiAbove(30))),
        _sec_mkt("BMI over 30 for lipolysis"),
    ),
    _relative(
        "prior_surgery_at_site",
        "Prior surgery at the treatment site",
        AnswerIn("prior_surgery_at_site", YES_OR_UNSURE),
        f"{_sec_mkt('prior surgery at the site')}; {_DC_LABEL}: caution — prior surgery",
    ),
)
DEFAULT_RULE_KEYS = frozenset(rule.key for rule in DEFAULT_RULES)


# What a refusal calls each question on the page: the clinic's words, never the key.
QUESTION_LABELS: dict[str, str] = {
    "date_of_birth": gettext_noop("Date of birth"),
    "pregnant": gettext_noop("Pregnancy"),
    "breastfeeding": gettext_noop("Breastfeeding"),
    "site_infection": gettext_noop("Infection at the treatment site"),
    "site_herpes": gettext_noop("Cold sore or herpes at the treatment site"),
    "allergies": gettext_noop("Allergies"),
    "allergy_details": gettext_noop("What the allergy is to"),
    "anticoagulants": gettext_noop("Blood-thinning medicines"),
    "bleeding_disorder": gettext_noop("Bleeding or clotting disorder"),
    "immunosuppression": gettext_noop("Medicines that weaken the immune system, or chemotherapy"),
    "active_cancer": gettext_noop("Cancer"),
    "autoimmune_disease": gettext_noop("Autoimmune disease"),
    "diabetes": gettext_noop("Diabetes"),
    "diabetes_controlled": gettext_noop("Whether the diabetes is controlled"),
    "keloid_tendency": gettext_noop("Keloid scars"),
    "prior_surgery_at_site": gettext_noop("Surgery at the treatment site"),
    "recent_treatment_at_site": gettext_noop("Earlier treatments at the treatment site"),
    "recent_treatment_what": gettext_noop("What the earlier treatment was"),
    "recent_treatment_when": gettext_noop("When the earlier treatment was"),
}
# Rules as people read them under a question.
PLAIN_RULES = {"is required": gettext_noop("please answer")}


def answer_problem(key: str, rule: str) -> str:
    """``site_infection``, "is required" -> "Infection at the treatment site: please answer"."""
    label = QUESTION_LABELS.get(key, key.replace("_", " ").capitalize())
    return f"{label}: {PLAIN_RULES.get(rule, rule)}"
