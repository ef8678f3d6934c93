"""Sources read by their title on every page: no file names, no tags."""

import pytest

from mesochart.core.measures import BY_CODE
from mesochart.core.screening_defaults import DEFAULT_RULES, answer_problem
from mesochart.core.sources import cite


@pytest.mark.parametrize(
    ("stored", "read"),
    [
        ("[LABEL] Lidocaine (Xylocaine MPF)", "Lidocaine (Xylocaine MPF) label"),
        ("[PEER] Thomas 2016, PRS GO 4:e861", "Thomas 2016, PRS GO 4:e861"),
        (
            "[SEC] reference.md › Screening: absolute — pregnancy",
            "mesochart clinical reference, Screening: absolute — pregnancy (secondary summary)",
        ),
        (
            "[SEC] reference.md, Screening: known allergy to a component (for PC/DC: soy)",
            "mesochart clinical reference, Screening: known allergy to a component "
            "(for PC/DC: soy) (secondary summary)",
        ),
        ("A clinic's own protocol", "A clinic's own protocol"),
        (
            "reference.md, Outcome measures: Cellulite Severity Scale [PEER] Hexsel 2009, JEADV",
            "mesochart clinical reference, Outcome measures: Cellulite Severity Scale "
            "Hexsel 2009, JEADV",
        ),
    ],
)
def test_a_source_is_cited_by_its_title(stored, read):
    assert cite(stored) == read


def test_no_shipped_screening_rule_shows_a_file_name_or_a_tag():
    for rule in DEFAULT_RULES:
        shown = cite(rule.source)
        assert "reference.md" not in shown and "[" not in shown, rule.key


def test_no_shipped_outcome_measure_shows_a_file_name_a_tag_or_an_issue():
    for measure in BY_CODE.values():
        shown = cite(measure.source)
        assert "reference.md" not in shown and "[" not in shown, measure.code
        assert "issue" not in shown, measure.code


def test_a_missing_answer_is_named_in_the_clinics_words():
    assert answer_problem("site_infection", "is required") == (
        "Infection at the treatment site: please answer"
    )
    assert answer_problem("recent_treatment_when", "must not be in the future") == (
        "When the earlier treatment was: must not be in the future"
    )
