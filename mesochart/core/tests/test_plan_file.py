"""PLAN.json: a valid file becomes a Plan; every invalid one is refused naming field and rule."""

import copy
import json
from datetime import date

import pytest

from mesochart.core.dose import check
from mesochart.core.plan_file import PlanError, parse_plan, result_to_dict
from mesochart.core.reference import load_shipped_products
from mesochart.core.units import Q_

PRODUCTS = load_shipped_products()
DCA = "deoxycholic-acid-10mg-ml"
EXAMPLE = {
    "date": "2026-11-03",
    "area": "submental",
    "technique": "papule",
    "patient": {"weight_kg": 62.5},
    "cocktail": [{"product": DCA, "volume_ml": 10.0}],
    "points": {"count": 50, "volume_ml_each": 0.2, "depth_mm": 4, "spacing_cm": 1.0},
    "history": [{"date": "2026-10-01", "products": [DCA]}],
}


def example(**changes):
    """The example file with ``changes`` applied; keys are paths like "points.count"."""
    data = copy.deepcopy(EXAMPLE)
    for path, value in changes.items():
        *parents, last = path.split(".")
        target = data
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if value is DELETE:
            del target[last]
        elif isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    return data


DELETE = object()


def test_the_documented_example_reads_into_a_plan():
    plan = parse_plan(EXAMPLE, PRODUCTS.get)
    assert plan.date == date(2026, 11, 3)
    assert plan.components[0].product is PRODUCTS[DCA]
    assert plan.components[0].volume == Q_(10, "mL")
    assert (plan.points.count, plan.points.depth_mm, plan.points.spacing_cm) == (50, 4, 1.0)
    assert plan.weight_kg == 62.5
    assert plan.history[0].product_slugs == {DCA}


def test_volumes_may_be_written_with_their_unit():
    data = example(cocktail=[{"product": DCA, "volume": "10 mL"}])
    data["points"] = {"count": 50, "volume_each": "200 µL"}
    plan = parse_plan(data, PRODUCTS.get)
    assert plan.points.volume_each.m_as("mL") == pytest.approx(0.2)


def test_patient_depth_spacing_and_history_may_be_left_out():
    data = example(patient=DELETE, history=DELETE)
    data["points"] = {"count": 50, "volume_ml_each": 0.2}
    plan = parse_plan(data, PRODUCTS.get)
    assert (plan.weight_kg, plan.points.depth_mm, plan.history) == (None, None, ())


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"cocktail.0.product": "snake-oil"}, "cocktail[0].product: unknown product 'snake-oil'"),
        ({"cocktail.0.volume_ml": 0}, "cocktail[0].volume_ml: must be greater than 0"),
        ({"cocktail.0.volume_ml": -1.0}, "cocktail[0].volume_ml: must be greater than 0"),
        ({"cocktail.0.volume_ml": "10"}, "cocktail[0].volume_ml: must be a number"),
        ({"cocktail.0.volume_ml": True}, "cocktail[0].volume_ml: must be a number"),
        ({"cocktail.0.volume_ml": float("nan")}, "cocktail[0].volume_ml: must be a finite number"),
        ({"cocktail.0.volume_ml": 10.2}, "cocktail: the volumes add up to 10.2 mL but the"),
        ({"cocktail.0.volume_ml": DELETE}, "cocktail[0].volume_ml: is required"),
        ({"cocktail.0.dose": 1}, "cocktail[0].dose: unknown key"),
        ({"cocktail": []}, "cocktail: must not be empty"),
        ({"cocktail": {"product": DCA}}, "cocktail: must be a list"),
        ({"date": "03/11/2026"}, "date: must be a date written YYYY-MM-DD"),
        ({"date": "20261103"}, "date: must be a date written YYYY-MM-DD"),
        ({"date": "2026-02-30"}, "date: '2026-02-30' is not a calendar date"),
        ({"date": DELETE}, "date: is required"),
        ({"area": "Submental area"}, "area: must be a slug"),
        ({"technique": 3}, "technique: must be a slug"),
        ({"weight": 62.5}, "weight: unknown key"),
        ({"patient.weight_kg": "62.5"}, "patient.weight_kg: must be a number"),
        ({"patient.weight_kg": 0}, "patient.weight_kg: must be greater than 0"),
        ({"patient.age": 40}, "patient.age: unknown key"),
        ({"points.count": "50"}, "points.count: must be a whole number"),
        ({"points.count": 50.0}, "points.count: must be a whole number"),
        ({"points.count": 0}, "points.count: must be at least 1"),
        ({"points.count": DELETE}, "points.count: is required"),
        ({"points.volume_ml_each": DELETE}, "points.volume_ml_each: is required"),
        ({"points.depth_mm": -4}, "points.depth_mm: must be greater than 0"),
        ({"points.spacing": 1}, "points.spacing: unknown key"),
        ({"points": [50]}, "points: must be an object"),
        ({"history.0.date": "2026-12-01"}, "history[0].date: must not be after the plan date"),
        ({"history.0.products": []}, "history[0].products: must not be empty"),
        ({"history.0.products": ["nope"]}, "history[0].products[0]: unknown product 'nope'"),
        ({"history.0.products": [DCA, DCA]}, f"history[0].products[1]: '{DCA}' is listed twice"),
        ({"history.0.when": "2026-10-01"}, "history[0].when: unknown key"),
        (
            {"cocktail": [{"product": DCA, "volume": "10 zorks"}]},
            "cocktail[0].volume: unknown unit 'zorks'",
        ),
        (
            {"cocktail": [{"product": DCA, "volume": "10 mg"}]},
            "cocktail[0].volume: '10 mg' is not in a unit",
        ),
        (
            {"cocktail": [{"product": DCA, "volume": "0 mL"}]},
            "cocktail[0].volume: must be greater than 0",
        ),
        ({"cocktail": [{"product": DCA, "volume": 10}]}, "cocktail[0].volume: expected text"),
        (
            {"cocktail": [{"product": DCA, "volume": "10 mL", "volume_ml": 10}]},
            "cocktail[0]: give volume_ml or volume, not both",
        ),
        (
            {"cocktail": [{"product": DCA, "volume_ml": 5.0}, {"product": DCA, "volume_ml": 5.0}]},
            f"cocktail[1].product: '{DCA}' is already in the cocktail",
        ),
        (
            {"points": {"count": 50, "volume_each": "0.2 mL", "volume_ml_each": 0.2}},
            "points: give volume_ml_each or volume_each, not both",
        ),
    ],
)
def test_an_invalid_plan_file_is_refused_naming_the_field(changes, error):
    with pytest.raises(PlanError) as refused:
        parse_plan(example(**changes), PRODUCTS.get)
    assert str(refused.value).startswith(error)
    assert str(refused.value) == f"{refused.value.field}: {refused.value.rule}"


def test_a_file_that_is_not_an_object_is_refused():
    with pytest.raises(PlanError, match=r"^file: must be an object"):
        parse_plan([EXAMPLE], PRODUCTS.get)


def test_a_result_renders_as_plain_json():
    data = example(**{"points.count": 51, "cocktail.0.volume_ml": 10.2})
    rendered = result_to_dict(check(parse_plan(data, PRODUCTS.get)))
    assert json.loads(json.dumps(rendered)) == rendered
    assert rendered["blocked"] is True
    assert rendered["totals"][0] == {
        "ingredient": "deoxycholic-acid",
        "name": "Deoxycholic acid",
        "amount": {"value": 102.0, "unit": "mg"},
        "per_kg": {"value": 1.632, "unit": "mg/kg"},
    }
    by_rule = {finding["rule"]: finding for finding in rendered["findings"]}
    assert by_rule["injections_per_session"]["actual"] == {"value": 51, "unit": ""}
    assert by_rule["volume_per_session"]["actual"] == {"value": 10.2, "unit": "mL"}
    assert by_rule["volume_per_session"]["limit"] == {"value": 10.0, "unit": "mL"}
    assert by_rule["volume_per_session"]["origin"] == "label"
