"""Dose-engine findings are worded where they are shown: the core's English sentence in
English, a sentence made from the finding's codes and numbers in French (issue 18)."""

from django.utils import translation

from mesochart.formulary.finding_words import finding_words

FINDING = {
    "severity": "block",
    "rule": "volume_per_injection",
    "product": "deoxycholic-acid-10mg-ml",
    "ingredient": None,
    "message": "Kybella: 0.3 mL per injection; the label allows at most 0.2 mL.",
    "actual": {"value": 0.3, "unit": "mL"},
    "limit": {"value": 0.2, "unit": "mL"},
    "source": "[LABEL]",
    "origin": "shipped",
}


def test_english_keeps_the_cores_sentence():
    with translation.override("en-gb"):
        assert finding_words(FINDING) == FINDING["message"]


def test_french_words_it_from_the_codes_with_comma_decimals():
    with translation.override("fr"):
        text = finding_words(FINDING)
    assert text == ("deoxycholic-acid-10mg-ml : 0,3 mL par injection ; au plus 0,2 mL autorisés")


def test_missing_data_is_said_not_hidden():
    missing = {**FINDING, "rule": "dose_per_kg", "actual": None}
    with translation.override("fr"):
        assert "données manquantes" in finding_words(missing)


def test_a_screening_finding_reads_in_french_by_its_rules_key():
    from mesochart.consent.finding_words import screening_words

    finding = {"key": "pregnancy", "message": "Pregnant or possibly pregnant: answered yes"}
    with translation.override("fr"):
        assert screening_words(finding) == "Enceinte ou possiblement enceinte: answered yes"
    with translation.override("en-gb"):
        assert screening_words(finding) == finding["message"]
