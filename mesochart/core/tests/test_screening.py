"""Contraindication screening, in the clinic's words.

The patient is a healthy adult who answered "no" to everything unless a test says otherwise;
each test changes one thing and reads the findings the practitioner would see.
"""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesochart.core.screening import (
    Acknowledgement,
    Allergy,
    Answers,
    Cocktail,
    Medication,
    PatientFacts,
    Product,
    RecordedStatus,
    Substance,
    match_allergies,
    may_treat,
    needs_acknowledgement,
    parse_clinic_rules,
    prefill_answers,
    screen,
    screening_fingerprint,
    screening_status,
)
from mesochart.core.screening_defaults import DEFAULT_QUESTIONNAIRE, DEFAULT_RULES
from mesochart.core.screening_rules import (
    AgeBelow,
    AnswerType,
    Kind,
    Question,
    Rule,
    ScreeningError,
)
from mesochart.core.screening_validity import ScreeningState

TODAY = date(2026, 11, 20)
VERSION = DEFAULT_QUESTIONNAIRE.version

LIDOCAINE = Substance(
    "lidocaine",
    "Lidocaine",
    synonyms=("lignocaine",),
    allergen_classes=("amide local anaesthetic", "local anaesthetic"),
)
SOY_PC = Substance(
    "phosphatidylcholine-soy",
    "Phosphatidylcholine (soy origin)",
    allergen_classes=("soy",),
)
DEOXYCHOLATE = Substance("sodium-deoxycholate", "Sodium deoxycholate", ("deoxycholic acid",))
BENZYL_ALCOHOL = Substance("benzyl-alcohol", "Benzyl alcohol")
CAFFEINE = Substance("caffeine", "Caffeine")
CARNITINE = Substance("l-carnitine", "L-carnitine")
HYALURONIC_ACID = Substance("hyaluronic-acid", "Hyaluronic acid")

LIPOLYSIS = Product("pc-dc", ("lipolysis",))
PC_DC = Cocktail((SOY_PC, DEOXYCHOLATE), (BENZYL_ALCOHOL,), (LIPOLYSIS,))
PC_DC_LIDOCAINE = Cocktail((SOY_PC, DEOXYCHOLATE, LIDOCAINE), (BENZYL_ALCOHOL,), (LIPOLYSIS,))
SKIN_QUALITY = Cocktail(
    (HYALURONIC_ACID, LIDOCAINE), (), (Product("ha-lidocaine", ("skin quality",)),)
)
CELLULITE = Cocktail((CAFFEINE, CARNITINE), (), (Product("caf-carn", ("cellulite",)),))

ADULT = PatientFacts(
    date_of_birth=date(1985, 3, 14), sex_at_birth="female", weight_kg=68, height_cm=168
)
ALL_CLEAR = DEFAULT_QUESTIONNAIRE.answered_no()


def answers(**changes):
    """The all-clear answers with ``changes``; a change to None leaves the question unanswered."""
    values = {**ALL_CLEAR, **changes}
    return Answers(VERSION, {key: value for key, value in values.items() if value is not None})


def screened(facts=ADULT, cocktail=PC_DC, area="submental", on=TODAY, clinic_rules=(), **changes):
    return screen(facts, answers(**changes), cocktail, area, on, clinic_rules=clinic_rules)


def only(findings, key):
    [finding] = [f for f in findings if f.key == key]
    return finding


def keys(findings):
    return [finding.key for finding in findings]


def test_a_healthy_adult_who_answers_no_to_everything_may_be_treated():
    findings = screened()
    assert findings == ()
    assert may_treat(findings, [])


def test_answering_no_to_everything_answers_every_question_asked_of_everyone():
    assert set(ALL_CLEAR) == {
        "pregnant",
        "breastfeeding",
        "site_infection",
        "site_herpes",
        "allergies",
        "anticoagulants",
        "bleeding_disorder",
        "immunosuppression",
        "active_cancer",
        "autoimmune_disease",
        "diabetes",
        "keloid_tendency",
        "prior_surgery_at_site",
        "recent_treatment_at_site",
    }
    assert set(ALL_CLEAR.values()) == {"no"}
    # Follow-ups ("is it controlled?", "allergic to what?"), dates and free text are not.
    assert not {"diabetes_controlled", "allergy_details", "date_of_birth"} & set(ALL_CLEAR)


class TestAbsoluteContraindicationsBlock:
    @pytest.mark.parametrize(
        ("key", "changes"),
        [
            ("pregnancy", {"pregnant": "yes"}),
            ("pregnancy", {"pregnant": "unsure"}),
            ("breastfeeding", {"breastfeeding": "yes"}),
            ("site_infection", {"site_infection": "yes"}),
            ("site_herpes", {"site_herpes": "unsure"}),
            ("component_allergy", {"allergies": "yes", "allergy_details": "soy"}),
            ("under_18", {"date_of_birth": date(2009, 6, 1)}),
        ],
    )
    def test_each_absolute_finding_blocks_even_with_a_written_reason(self, key, changes):
        findings = screened(**changes)
        finding = only(findings, key)
        assert finding.kind == Kind.ABSOLUTE
        assert "reference.md" in finding.source
        acknowledged = [Acknowledgement(key, "Patient insists and signed a waiver")]
        assert not may_treat(findings, acknowledged)
        assert needs_acknowledgement(findings, acknowledged) == ()

    def test_a_patient_who_turns_18_today_is_not_under_18(self):
        assert screened(date_of_birth=date(2008, 11, 20)) == ()
        assert keys(screened(date_of_birth=date(2008, 11, 21))) == ["under_18"]

    def test_a_site_finding_names_the_area_and_where_the_answer_came_from(self):
        finding = only(screened(area="inner-thigh", site_infection="yes"), "site_infection")
        assert finding.evidence == ("site_infection (inner-thigh) = yes (answered)",)
        assert finding.message.startswith("Infection at the treatment site")
        assert "[LABEL]" in finding.source


class TestRelativeContraindicationsNeedAWrittenReason:
    @pytest.mark.parametrize(
        ("key", "facts", "changes"),
        [
            ("bleeding_risk_medication", ADULT, {"anticoagulants": "yes"}),
            ("bleeding_disorder", ADULT, {"bleeding_disorder": "yes"}),
            ("immunosuppression", ADULT, {"immunosuppression": "yes"}),
            ("active_cancer", ADULT, {"active_cancer": "unsure"}),
            ("autoimmune_disease", ADULT, {"autoimmune_disease": "yes"}),
            ("uncontrolled_diabetes", ADULT, {"diabetes": "yes", "diabetes_controlled": "no"}),
            ("keloid_tendency", ADULT, {"keloid_tendency": "yes"}),
            ("prior_surgery_at_site", ADULT, {"prior_surgery_at_site": "yes"}),
            (
                "bmi_over_30_lipolysis",
                PatientFacts(date(1985, 3, 14), weight_kg=95, height_cm=165),
                {},
            ),
        ],
    )
    def test_each_relative_finding_needs_an_acknowledgement_with_a_non_blank_reason(
        self, key, facts, changes
    ):
        findings = screened(facts=facts, **changes)
        assert keys(findings) == [key]
        assert findings[0].kind == Kind.RELATIVE
        assert not may_treat(findings, [])
        assert not may_treat(findings, [Acknowledgement(key, "   ")])
        assert needs_acknowledgement(findings, [Acknowledgement(key, "")]) == findings
        assert may_treat(findings, [Acknowledgement(key, "Discussed with GP; INR in range")])

    def test_an_acknowledgement_covers_only_its_own_finding(self):
        findings = screened(keloid_tendency="yes", prior_surgery_at_site="yes")
        acknowledged = [Acknowledgement("keloid_tendency", "Small test area first")]
        assert keys(needs_acknowledgement(findings, acknowledged)) == ["prior_surgery_at_site"]

    def test_a_recorded_anticoagulant_counts_even_when_the_patient_answers_no(self):
        facts = PatientFacts(
            date(1985, 3, 14),
            weight_kg=68,
            height_cm=168,
            medications=(
                Medication("Warfarin", anticoagulant=True),
                Medication("Clopidogrel", antiplatelet=True),
                Medication("Metformin"),
            ),
        )
        finding = only(screened(facts=facts, anticoagulants="no"), "bleeding_risk_medication")
        assert finding.evidence == (
            "medication Warfarin (anticoagulant, patient record)",
            "medication Clopidogrel (antiplatelet, patient record)",
        )

    def test_controlled_diabetes_is_not_a_finding(self):
        assert screened(diabetes="yes", diabetes_controlled="yes") == ()

    def test_a_bmi_of_exactly_30_is_not_over_30(self):
        assert screened(facts=PatientFacts(date(1985, 3, 14), weight_kg=86.7, height_cm=170)) == ()

    def test_a_high_bmi_matters_only_for_lipolysis(self):
        obese = PatientFacts(date(1985, 3, 14), weight_kg=110, height_cm=170)
        finding = only(screened(facts=obese), "bmi_over_30_lipolysis")
        assert finding.evidence == (
            "product pc-dc is for lipolysis",
            "BMI 38.1 (weight 110 kg, height 170 cm)",
        )
        assert screened(facts=obese, cocktail=CELLULITE) == ()


class TestMissingDataIsNeverASilentPass:
    def test_an_unanswered_questionnaire_raises_every_rule(self):
        findings = screen(PatientFacts(), Answers(VERSION, {}), PC_DC, "abdomen", TODAY)
        assert keys(findings) == [rule.key for rule in DEFAULT_RULES]
        assert all(finding.unanswered for finding in findings)

    def test_an_unanswered_pregnancy_question_blocks(self):
        finding = only(screened(pregnant=None), "pregnancy")
        assert finding.kind == Kind.ABSOLUTE
        assert finding.unanswered == ("pregnant",)
        assert finding.message.startswith("Cannot rule out: Pregnant or possibly pregnant")

    def test_an_unanswered_keloid_question_needs_acknowledgement(self):
        findings = screened(keloid_tendency=None)
        assert only(findings, "keloid_tendency").kind == Kind.RELATIVE
        assert may_treat(findings, [Acknowledgement("keloid_tendency", "Patient does not know")])

    def test_a_diabetic_patient_must_say_whether_it_is_controlled(self):
        finding = only(screened(diabetes="yes"), "uncontrolled_diabetes")
        assert finding.unanswered == ("diabetes_controlled",)

    def test_a_follow_up_is_not_asked_for_before_its_question_is_answered(self):
        finding = only(screened(diabetes=None), "uncontrolled_diabetes")
        assert finding.unanswered == ("diabetes",)

    @pytest.mark.parametrize("details", [None, "   "])
    def test_saying_yes_to_allergies_without_saying_what_blocks(self, details):
        finding = only(screened(allergies="yes", allergy_details=details), "component_allergy")
        assert finding.kind == Kind.ABSOLUTE
        assert finding.unanswered == ("allergy_details",)

    def test_lipolysis_without_a_recorded_weight_needs_acknowledgement(self):
        facts = PatientFacts(date(1985, 3, 14), height_cm=168)
        assert only(screened(facts=facts), "bmi_over_30_lipolysis").unanswered == ("weight_kg",)
        assert screened(facts=facts, cocktail=SKIN_QUALITY) == ()


class TestTheRecordPrefillsTheQuestionnaire:
    def test_a_pregnancy_answer_recorded_within_the_validity_period_is_reused(self):
        facts = PatientFacts(
            date(1985, 3, 14),
            "female",
            68,
            168,
            pregnancy=RecordedStatus("no", TODAY - timedelta(30)),
        )
        assert screened(facts=facts, pregnant=None) == ()

    def test_an_older_pregnancy_answer_must_be_asked_again(self):
        facts = PatientFacts(
            date(1985, 3, 14),
            "female",
            68,
            168,
            pregnancy=RecordedStatus("no", TODAY - timedelta(31)),
        )
        assert only(screened(facts=facts, pregnant=None), "pregnancy").unanswered == ("pregnant",)

    def test_a_recorded_pregnancy_blocks_and_says_so(self):
        facts = PatientFacts(
            date(1985, 3, 14),
            "female",
            68,
            168,
            pregnancy=RecordedStatus("yes", TODAY - timedelta(3)),
        )
        finding = only(screened(facts=facts, pregnant=None), "pregnancy")
        assert finding.evidence == ("pregnant = yes (from patient record)",)

    def test_an_answer_given_today_overrides_the_record(self):
        facts = PatientFacts(
            date(1985, 3, 14),
            "female",
            68,
            168,
            pregnancy=RecordedStatus("yes", TODAY - timedelta(3)),
        )
        assert screened(facts=facts, pregnant="no") == ()

    def test_patients_male_at_birth_are_not_asked_about_pregnancy(self):
        facts = PatientFacts(date(1985, 3, 14), "male", 80, 180)
        assert screened(facts=facts, pregnant=None, breastfeeding=None) == ()

    def test_recorded_facts_prefill_yes_and_never_no(self):
        facts = PatientFacts(
            date(1985, 3, 14),
            allergies=(Allergy("Soy"), Allergy("latex")),
            medications=(Medication("Apixaban", anticoagulant=True),),
            conditions=("Type 2 diabetes", "Keloid scars"),
        )
        assert prefill_answers(DEFAULT_QUESTIONNAIRE, facts, TODAY) == {
            "date_of_birth": date(1985, 3, 14),
            "allergies": "yes",
            "allergy_details": "Soy; latex",
            "anticoagulants": "yes",
            "diabetes": "yes",
            "keloid_tendency": "yes",
        }
        assert prefill_answers(DEFAULT_QUESTIONNAIRE, PatientFacts(), TODAY) == {}


class TestAnswersAreChecked:
    @pytest.mark.parametrize(
        ("given", "field"),
        [
            (Answers("2025-01-1", {}), "answers.questionnaire_version"),
            (Answers(VERSION, {"pregnant": "maybe"}), "answers.pregnant"),
            (Answers(VERSION, {"breastfeeding": "unsure"}), "answers.breastfeeding"),
            (Answers(VERSION, {"date_of_birth": "1985-03-14"}), "answers.date_of_birth"),
            (Answers(VERSION, {"favourite_colour": "blue"}), "answers.favourite_colour"),
        ],
    )
    def test_answers_that_do_not_fit_the_questionnaire_are_refused(self, given, field):
        with pytest.raises(ScreeningError) as error:
            screen(ADULT, given, PC_DC, "submental", TODAY)
        assert error.value.field == field

    def test_a_weight_of_zero_is_refused(self):
        with pytest.raises(ScreeningError) as error:
            PatientFacts(weight_kg=0)
        assert error.value.field == "facts.weight_kg"

    def test_a_questionnaire_cannot_ask_the_same_question_twice(self):
        with pytest.raises(ScreeningError) as error:
            DEFAULT_QUESTIONNAIRE.extended(
                "x", Question("diabetes", "Diabetes?", AnswerType.YES_NO)
            )
        assert (
            error.value.field
            == f"questionnaire.questions[{len(DEFAULT_QUESTIONNAIRE.questions)}].key"
        )

    def test_a_site_question_reads_with_the_area_name(self):
        question = DEFAULT_QUESTIONNAIRE.get("site_infection")
        assert question.text_for("inner-thigh") == (
            "Do you have an infection in the inner thigh area right now?"
        )


class TestAllergiesMatchThroughIngredientsAndExcipients:
    def allergic(self, *allergies, cocktail):
        facts = PatientFacts(date(1985, 3, 14), weight_kg=68, height_cm=168, allergies=allergies)
        findings = screened(facts=facts, cocktail=cocktail, allergies="yes")
        return [f for f in findings if f.key == "component_allergy"]

    def test_an_allergy_to_amide_anaesthetics_flags_lidocaine(self):
        [finding] = self.allergic(
            Allergy("Amide anaesthetics", "hives", "moderate"), cocktail=SKIN_QUALITY
        )
        assert finding.message == (
            "Known allergy to a component of the cocktail: allergy 'Amide anaesthetics' "
            "(moderate, hives) → Lidocaine (ingredient) "
            "via allergen class 'amide local anaesthetic'"
        )

    @pytest.mark.parametrize("cocktail", [PC_DC_LIDOCAINE, SKIN_QUALITY])
    def test_a_lidocaine_allergy_flags_every_cocktail_containing_lidocaine(self, cocktail):
        [finding] = self.allergic(Allergy("lidocaine"), cocktail=cocktail)
        assert "→ Lidocaine (ingredient) via name" in finding.message

    def test_a_soy_allergy_flags_phosphatidylcholine_of_soy_origin(self):
        [finding] = self.allergic(Allergy("Soya", severity="severe"), cocktail=PC_DC)
        assert finding.evidence == (
            "allergy 'Soya' (severe) → Phosphatidylcholine (soy origin) (ingredient) "
            "via allergen class 'soy'",
        )

    def test_a_benzyl_alcohol_allergy_flags_the_excipient(self):
        [finding] = self.allergic(Allergy("benzyl alcohol"), cocktail=PC_DC)
        assert "→ Benzyl alcohol (excipient) via name" in finding.message

    @pytest.mark.parametrize("cocktail", [PC_DC_LIDOCAINE, SKIN_QUALITY, CELLULITE])
    def test_a_penicillin_allergy_flags_nothing_here(self, cocktail):
        assert self.allergic(Allergy("Penicillin", "rash", "severe"), cocktail=cocktail) == []

    def test_caine_alone_matches_neither_caffeine_nor_lidocaine(self):
        assert self.allergic(Allergy("caine"), cocktail=CELLULITE) == []
        assert self.allergic(Allergy("caine"), cocktail=SKIN_QUALITY) == []

    def test_a_caffeine_allergy_flags_caffeine(self):
        assert self.allergic(Allergy("caffeine"), cocktail=CELLULITE) != []

    def test_allergies_written_in_the_questionnaire_are_read_phrase_by_phrase(self):
        details = "penicillin (rash); soy lecithin and latex"
        finding = only(screened(allergies="yes", allergy_details=details), "component_allergy")
        assert finding.evidence == (
            "allergy 'soy lecithin and latex' → Phosphatidylcholine (soy origin) (ingredient) "
            "via allergen class 'soy'",
        )

    @pytest.mark.parametrize(
        ("substance", "component", "via"),
        [
            ("lidocaine", LIDOCAINE, "name"),
            ("Lidocaïne", LIDOCAINE, "name"),
            ("LIGNOCAINE", LIDOCAINE, "synonym 'lignocaine'"),
            ("amide anesthetics", LIDOCAINE, "allergen class 'amide local anaesthetic'"),
            (
                "allergic to local anaesthetics",
                LIDOCAINE,
                "allergen class 'local anaesthetic'",
            ),
            ("lidocaine with adrenaline", LIDOCAINE, "name"),
            ("soy", SOY_PC, "allergen class 'soy'"),
            ("deoxycholic-acid", DEOXYCHOLATE, "synonym 'deoxycholic acid'"),
            ("ester anaesthetics", LIDOCAINE, None),
            ("caine", CAFFEINE, None),
            ("caffeine", LIDOCAINE, None),
            ("penicillin", SOY_PC, None),
            ("acid reflux medicine", HYALURONIC_ACID, None),
        ],
    )
    def test_the_matching_rules(self, substance, component, via):
        matches = match_allergies([Allergy(substance)], [("ingredient", component)])
        assert [match.via for match in matches] == ([via] if via else [])


class TestAScreeningHoldsForThirtyDaysAndOnePlan:
    fingerprint = screening_fingerprint(PC_DC.slugs, "submental")
    completed_on = date(2026, 11, 1)

    def status(self, today, current=fingerprint, **kw):
        return screening_status(self.completed_on, self.fingerprint, current, today, **kw)

    def test_a_screening_is_still_valid_on_day_30(self):
        status = self.status(date(2026, 12, 1))
        assert status.state == ScreeningState.VALID
        assert status.valid_until == date(2026, 12, 1)

    def test_a_screening_has_expired_on_day_31(self):
        status = self.status(date(2026, 12, 2))
        assert status.state == ScreeningState.EXPIRED
        assert status.expired_on == date(2026, 12, 2)

    def test_a_clinic_may_shorten_the_validity_period(self):
        assert self.status(date(2026, 11, 16), valid_days=14).state == ScreeningState.EXPIRED

    def test_a_changed_cocktail_makes_the_screening_stale(self):
        changed = screening_fingerprint(PC_DC_LIDOCAINE.slugs, "submental")
        assert self.status(date(2026, 11, 2), changed).state == ScreeningState.STALE

    def test_a_changed_area_makes_the_screening_stale(self):
        changed = screening_fingerprint(PC_DC.slugs, "abdomen")
        assert self.status(date(2026, 11, 2), changed).state == ScreeningState.STALE

    def test_a_changed_plan_is_stale_even_once_expired(self):
        changed = screening_fingerprint(CELLULITE.slugs, "submental")
        assert self.status(date(2027, 1, 1), changed).state == ScreeningState.STALE

    def test_an_excipient_is_part_of_the_plan(self):
        without_excipient = screening_fingerprint(
            ("phosphatidylcholine-soy", "sodium-deoxycholate"), "submental"
        )
        assert without_excipient != self.fingerprint

    def test_a_validity_period_under_one_day_is_refused(self):
        with pytest.raises(ScreeningError) as error:
            self.status(date(2026, 11, 1), valid_days=0)
        assert error.value.field == "valid_days"

    def test_a_screening_completed_in_the_future_is_refused(self):
        with pytest.raises(ScreeningError) as error:
            self.status(date(2026, 10, 31))
        assert error.value.field == "completed_on"

    @given(
        st.lists(st.sampled_from(["lidocaine", "caffeine", "benzyl-alcohol", "dmae", "zinc"])),
        st.data(),
    )
    def test_the_fingerprint_ignores_order_and_repeats(self, slugs, data):
        shuffled = data.draw(st.permutations(slugs))
        assert screening_fingerprint(shuffled + slugs[:1], "abdomen") == screening_fingerprint(
            slugs, "abdomen"
        )


UNDER_21 = {
    "key": "under_21",
    "kind": "relative",
    "source": "[MKT] Clinic protocol 2026-04: under-21s are treated with a parent present",
    "message": "Under 21 years old",
    "when": {"op": "age_below", "years": 21},
}


def rule_with(**changes):
    return {**UNDER_21, **changes}


class TestClinicRules:
    def test_a_clinic_rule_is_applied_after_the_defaults(self):
        rules = parse_clinic_rules({"rules": [UNDER_21]})
        findings = screened(date_of_birth=date(2006, 5, 1), clinic_rules=rules)
        assert [(f.key, f.kind) for f in findings] == [("under_21", Kind.RELATIVE)]
        assert findings[0].evidence == ("age 20 on 2026-11-20 (born 2006-05-01)",)
        assert findings[0].source == UNDER_21["source"]

    def test_a_clinic_can_add_its_own_question_and_a_rule_that_reads_it(self):
        questionnaire = DEFAULT_QUESTIONNAIRE.extended(
            "2026-11-1+clinic-7",
            Question("dysphagia", "Do you have trouble swallowing?", AnswerType.YES_NO),
            Question("skin_type", "Your skin type", AnswerType.CHOICE, choices=("I", "II", "III")),
        )
        document = {
            "rules": [
                {
                    "key": "dysphagia_submental_fat",
                    "kind": "relative",
                    "source": "[LABEL] Deoxycholic acid injection, NDA 206333: caution — dysphagia",
                    "message": "Trouble swallowing before submental fat reduction",
                    "when": {
                        "op": "all_of",
                        "conditions": [
                            {"op": "answer_equals", "question": "dysphagia", "value": "yes"},
                            {"op": "product_for", "indication": "lipolysis"},
                        ],
                    },
                }
            ]
        }
        rules = parse_clinic_rules(document, questionnaire)
        values = {**ALL_CLEAR, "dysphagia": "yes", "skin_type": "II"}
        findings = screen(
            ADULT,
            Answers(questionnaire.version, values),
            PC_DC,
            "submental",
            TODAY,
            clinic_rules=rules,
            questionnaire=questionnaire,
        )
        assert keys(findings) == ["dysphagia_submental_fat"]
        assert findings[0].evidence == (
            "dysphagia = yes (answered)",
            "product pc-dc is for lipolysis",
        )

    @pytest.mark.parametrize(
        ("document", "field", "rule"),
        [
            (
                {"rules": [UNDER_21, rule_with(key="a"), rule_with(key="b", when={"op": "like"})]},
                "rules[2].when.op",
                "unknown operator 'like'",
            ),
            ({"rules": UNDER_21}, "rules", "expected a list of rules"),
            (
                {"rules": [rule_with(key="pregnancy")]},
                "rules[0].key",
                "rule 'pregnancy' already exists",
            ),
            ({"rules": [UNDER_21, UNDER_21]}, "rules[1].key", "rule 'under_21' already exists"),
            ({"rules": [rule_with(key="Under 21")]}, "rules[0].key", "use lowercase"),
            ({"rules": [rule_with(kind="soft")]}, "rules[0].kind", "got 'soft'"),
            (
                {"rules": [{k: v for k, v in UNDER_21.items() if k != "source"}]},
                "rules[0].source",
                "required",
            ),
            ({"rules": [rule_with(source="  ")]}, "rules[0].source", "cite the source"),
            ({"rules": [rule_with(severity="high")]}, "rules[0].severity", "unknown field"),
            (
                {
                    "rules": [
                        rule_with(
                            when={"op": "answer_equals", "question": "tattoos", "value": "yes"}
                        )
                    ]
                },
                "rules[0].when.question",
                "unknown question 'tattoos' in questionnaire 2026-11-1",
            ),
            (
                {
                    "rules": [
                        rule_with(
                            when={"op": "answer_equals", "question": "pregnant", "value": "maybe"}
                        )
                    ]
                },
                "rules[0].when.value",
                "'maybe' is not an answer to 'pregnant' (yes, no, unsure)",
            ),
            (
                {
                    "rules": [
                        rule_with(
                            when={"op": "answer_equals", "question": "pregnant", "valeu": "yes"}
                        )
                    ]
                },
                "rules[0].when.valeu",
                "unknown field",
            ),
            (
                {
                    "rules": [
                        rule_with(
                            when={
                                "op": "answer_in",
                                "question": "allergy_details",
                                "values": ["soy"],
                            }
                        )
                    ]
                },
                "rules[0].when.question",
                "no fixed answers",
            ),
            (
                {"rules": [rule_with(when={"op": "age_below", "years": -3})]},
                "rules[0].when.years",
                "positive",
            ),
            (
                {"rules": [rule_with(when={"op": "age_below", "years": "21"})]},
                "rules[0].when.years",
                "expected a number",
            ),
            ({"rules": [rule_with(when={"op": "age_below"})]}, "rules[0].when.years", "required"),
            (
                {"rules": [rule_with(when={"op": "fact_true", "fact": "smoker"})]},
                "rules[0].when.fact",
                "unknown fact",
            ),
            (
                {"rules": [rule_with(when={"op": "any_of", "conditions": []})]},
                "rules[0].when.conditions",
                "at least one",
            ),
            (
                {
                    "rules": [
                        rule_with(
                            when={
                                "op": "all_of",
                                "conditions": [
                                    {"op": "age_below", "years": 21},
                                    {"op": "bmi_over", "bmi": 35},
                                ],
                            }
                        )
                    ]
                },
                "rules[0].when.conditions[1].op",
                "unknown operator 'bmi_over'",
            ),
        ],
    )
    def test_an_invalid_clinic_rule_is_refused_naming_the_field(self, document, field, rule):
        with pytest.raises(ScreeningError) as error:
            parse_clinic_rules(document)
        assert error.value.field == field
        assert rule in error.value.rule
        assert str(error.value) == f"{field}: {error.value.rule}"

    @pytest.mark.parametrize(
        ("rule", "field"),
        [
            (
                Rule("under_21", Kind.RELATIVE, "", AgeBelow(21), "Under 21"),
                "clinic_rules[0].source",
            ),
            (
                Rule("under_21", Kind.RELATIVE, "[MKT] x", "age < 21", "Under 21"),
                "clinic_rules[0].when",
            ),
        ],
    )
    def test_clinic_rules_built_in_python_are_checked_too(self, rule, field):
        with pytest.raises(ScreeningError) as error:
            screened(clinic_rules=[rule])
        assert error.value.field == field


class TestEveryDefaultRuleIsSourced:
    def test_every_default_rule_cites_reference_md_with_its_evidence_tag(self):
        for rule in DEFAULT_RULES:
            assert "reference.md › Screening" in rule.source, rule.key
            assert rule.source.startswith(("[SEC]", "[LABEL]", "[SEC/MKT]")), rule.key

    def test_what_the_screening_section_calls_absolute_blocks_and_the_rest_warns(self):
        absolute = {rule.key for rule in DEFAULT_RULES if rule.kind == Kind.ABSOLUTE}
        assert absolute == {
            "pregnancy",
            "breastfeeding",
            "site_infection",
            "site_herpes",
            "component_allergy",
            "under_18",
        }


class TestOrderNeverChangesTheFindings:
    pool = (SOY_PC, DEOXYCHOLATE, LIDOCAINE, CAFFEINE, CARNITINE, HYALURONIC_ACID)
    substances = ("soy", "Lidocaine", "amide anaesthetics", "caine", "penicillin", "benzyl alcohol")
    optional_answers = {
        question.key: st.sampled_from(question.options)
        for question in DEFAULT_QUESTIONNAIRE.questions
        if question.options
    } | {
        "date_of_birth": st.dates(date(1940, 1, 1), date(2020, 1, 1)),
        "allergy_details": st.sampled_from(["soy, latex", "lidocaine", "penicillin", ""]),
    }

    @given(
        ingredients=st.lists(st.sampled_from(pool), unique=True),
        excipients=st.lists(st.sampled_from((BENZYL_ALCOHOL, CAFFEINE)), unique=True),
        allergies=st.lists(st.sampled_from(substances), unique=True),
        values=st.fixed_dictionaries({}, optional=optional_answers),
        weight_kg=st.none() | st.floats(40, 150),
        data=st.data(),
    )
    def test_shuffling_ingredients_excipients_and_answers_never_changes_the_findings(
        self, ingredients, excipients, allergies, values, weight_kg, data
    ):
        facts = PatientFacts(
            sex_at_birth="female",
            weight_kg=weight_kg,
            height_cm=165,
            allergies=tuple(Allergy(s) for s in allergies),
        )

        def findings(ingredients, excipients, values):
            cocktail = Cocktail(tuple(ingredients), tuple(excipients), (LIPOLYSIS,))
            return screen(facts, Answers(VERSION, values), cocktail, "abdomen", TODAY)

        shuffled_answers = dict(data.draw(st.permutations(list(values.items()))))
        assert findings(ingredients, excipients, values) == findings(
            data.draw(st.permutations(ingredients)),
            data.draw(st.permutations(excipients)),
            shuffled_answers,
        )
