"""A refusal on a page is in the page's words: a ``field: rule`` line keeps its rule and
loses the developer's name for the field where the page has no label to give it."""

from mesochart.lib.errors import rule_of


def test_the_rule_of_a_line_reads_as_a_sentence():
    line = "cocktail_version: choose a cocktail to check the doses"
    assert rule_of(line) == "Choose a cocktail to check the doses"


def test_the_french_colon_is_understood():
    line = "points : placez au moins un point"
    assert rule_of(line) == "Placez au moins un point"


def test_a_rule_with_a_colon_of_its_own_keeps_it():
    line = "points: two points are at the same place (under 0.1 mm apart): move or remove one"
    assert (
        rule_of(line) == "Two points are at the same place (under 0.1 mm apart): move or remove one"
    )


def test_a_sentence_that_names_no_field_is_kept_whole():
    assert rule_of("The plan is blocked: see below") == "The plan is blocked: see below"
    assert rule_of("no field here") == "no field here"
