"""What a protocol names for its outcomes: measures checked against core.measures, "either
of" groups, GAIS needing no baseline, follow-up dates after the last session."""

from datetime import date

import pytest

from mesochart.core import outcome_plan as op

HAIR = [["hair_density_total"], ["sinclair", "hamilton_norwood"]]


def test_a_protocols_measures_are_read_as_groups():
    assert op.parse_measures(HAIR) == (("hair_density_total",), ("sinclair", "hamilton_norwood"))
    assert op.parse_measures(["css", "circumference"]) == (("css",), ("circumference",))


@pytest.mark.parametrize(
    ("value", "field", "rule"),
    [
        ("css", "outcome_measures", "must be a list of measure groups"),
        ([["face_q"]], "outcome_measures[0]", "'face_q' is not a known measure"),
        ([["css"], []], "outcome_measures[1]", "must name at least one measure"),
        ([["bmi"]], "outcome_measures[0]", "'bmi' is computed from other values"),
        ([["css"], ["css"]], "outcome_measures[1]", "'css' is named twice"),
    ],
)
def test_an_unknown_or_repeated_measure_is_refused_as_field_rule(value, field, rule):
    with pytest.raises(op.OutcomePlanError) as refused:
        op.parse_measures(value)
    assert (refused.value.field, refused.value.rule) == (field, rule)


def test_the_edit_pages_words_go_both_ways():
    groups = op.parse_measures_text("Hair density, total; Sinclair | hamilton-norwood")
    assert groups == op.parse_measures(HAIR)
    assert op.measures_text(groups) == "Hair density, total; Sinclair | Hamilton-Norwood"
    assert op.parse_measures_text("hair_density_total; sinclair | hamilton_norwood") == groups
    offsets = op.parse_follow_ups_text("4w, 1m 2w, 3m")
    assert offsets == (op.FollowUpOffset(weeks=4), op.FollowUpOffset(weeks=2, months=1),
                       op.FollowUpOffset(months=3))  # fmt: skip
    assert op.follow_ups_text(offsets) == "4w, 1m2w, 3m"
    assert op.parse_follow_ups_text("") == ()


@pytest.mark.parametrize(
    ("text", "field", "rule"),
    [
        ("4 days", "follow_ups[0]", "write each as weeks or months after the last session, "
         "e.g. '4w' or '3m'"),
        ("3m, 4w", "follow_ups", "must be in order, the earliest first"),
        ("0w", "follow_ups[0]", "must be after the last session, within 10 years"),
    ],
)  # fmt: skip
def test_a_bad_follow_up_is_refused_as_field_rule(text, field, rule):
    with pytest.raises(op.OutcomePlanError) as refused:
        op.parse_follow_ups_text(text)
    assert (refused.value.field, refused.value.rule) == (field, rule)


def test_either_measure_of_a_group_meets_its_baseline():
    groups = op.parse_measures(HAIR)
    assert op.missing_baselines(groups, set()) == list(groups)
    assert op.missing_baselines(groups, {"hamilton_norwood"}) == [("hair_density_total",)]
    assert op.missing_baselines(groups, {"sinclair", "hair_density_total"}) == []


def test_gais_is_rated_against_the_baseline_so_it_needs_none():
    groups = op.parse_measures([["gais_investigator"], ["gais_subject"], ["glogau"]])
    assert op.missing_baselines(groups, set()) == [("glogau",)]


def test_follow_ups_fall_due_after_the_last_session_and_a_visit_meets_one():
    offsets = op.parse_follow_ups([{"weeks": 4}, {"months": 3}, {"months": 6}])
    due = op.follow_ups(date(2026, 8, 31), offsets, [date(2026, 10, 1)])
    assert [(f.label, f.due_on, f.recorded_on) for f in due] == [
        ("4 weeks", date(2026, 9, 28), date(2026, 10, 1)),
        ("3 months", date(2026, 11, 30), None),  # 31 November is the 30th
        ("6 months", date(2027, 2, 28), None),
    ]
    assert op.follow_ups(None, offsets, []) == []
