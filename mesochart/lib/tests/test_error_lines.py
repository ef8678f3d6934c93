"""A refusal on a page is in the page's words: a ``field: rule`` line keeps its rule and
loses the developer's name for the field where the page has no label to give it."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy

from mesochart.lib.errors import error_lines, label_of, page_lines, rule_of


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


class Onset(forms.Form):
    onset_on = forms.DateField()
    seen = forms.DateField(label="First seen by staff")


def test_a_page_names_each_field_by_its_label():
    refused = ValidationError(
        {
            "onset_on": ["must not be in the future"],
            "seen": ["is required"],
            "regions[0].points": ["place at least one point"],
            "__all__": ["the event was already recorded"],
        }
    )
    assert page_lines(refused, form=Onset()) == [
        "Onset on: must not be in the future",
        "First seen by staff: is required",
        "Points: place at least one point",
        "the event was already recorded",
    ]


def test_labels_a_page_gives_come_first():
    refused = ValidationError({"onset_on": ["must not be in the future"]})
    lines = page_lines(refused, {"onset_on": "When it began"}, form=Onset())
    assert lines == ["When it began: must not be in the future"]


class Event(forms.Form):
    onset_on = forms.DateField(label=gettext_lazy("Onset"))
    outcome = forms.CharField()


def test_a_form_label_is_used_and_a_field_without_one_reads_as_djangos_pretty_name():
    refused = ValidationError(
        {"onset_on": ["must not be in the future"], "outcome": ["is required"]}
    )
    lines = page_lines(refused, form=Event)  # the class will do: an action builds the form
    assert lines == ["Onset: must not be in the future", "Outcome: is required"]
    assert not [line for line in lines if "onset_on" in line or "outcome:" in line]


def test_a_corrected_field_inside_a_path_is_named_by_the_forms_label():
    assert label_of("changes.onset_on", form=Event) == "Onset"


def test_a_french_page_shows_the_french_label():
    refused = ValidationError({"onset_on": ["must not be in the future"]})
    with translation.override("fr"):
        (line,) = page_lines(refused, form=Event)
    assert line.startswith("Apparition: ")


def test_the_console_and_the_api_keep_field_and_rule():
    refused = ValidationError({"onset_on": ["must not be in the future"]})
    assert error_lines(refused) == ["onset_on: must not be in the future"]
