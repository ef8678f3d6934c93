"""``mesochart check-plan PLAN.json``: exit 0 when nothing blocks, 1 when something blocks,
2 when the file cannot be read or is invalid, with the field named."""

import json

import pytest
from click.testing import CliRunner

from mesochart.cli import main
from mesochart.formulary import actions
from mesochart.formulary.tests.conftest import DCA, DCA_LABEL, submental_session

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


def one_line(text: str) -> str:
    """The console wraps long lines at the terminal's width; the message is what counts."""
    return " ".join(text.split())


@pytest.fixture
def run(tmp_path):
    def run(content, *options):
        path = tmp_path / "PLAN.json"
        path.write_text(content if isinstance(content, str) else json.dumps(content))
        return CliRunner().invoke(main, ["check-plan", str(path), *options])

    return run


def test_a_plan_within_the_label_exits_0_and_prints_the_totals(run):
    result = run(submental_session())
    assert result.exit_code == 0, result.output
    assert "Deoxycholic acid" in result.stdout
    assert "100 mg" in result.stdout
    assert "1.6 mg/kg" in result.stdout
    assert "No findings" in result.stdout


def test_a_plan_that_breaks_the_label_exits_1_with_rule_product_values_and_source(run):
    result = run(submental_session(count=51))
    assert result.exit_code == 1, result.output
    for text in ("block", "injections_per_session", DCA, "51", "50", "[LABEL] Deoxycholic"):
        assert text in result.stdout
    assert "Result: blocked" in result.stdout


def test_json_output_parses_and_is_the_result(run):
    result = run(submental_session(count=51), "--json")
    assert result.exit_code == 1
    body = json.loads(result.stdout)
    assert body["blocked"] is True
    rules = {f["rule"] for f in body["findings"]}
    assert rules == {"injections_per_session", "volume_per_session"}
    assert {f["source"] for f in body["findings"]} == {DCA_LABEL}
    assert body["totals"][0]["amount"] == {"value": 102.0, "unit": "mg"}


def test_json_of_a_passing_plan_exits_0(run):
    result = run(submental_session(), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "blocked": False,
        "totals": [
            {
                "ingredient": "deoxycholic-acid",
                "name": "Deoxycholic acid",
                "amount": {"value": 100.0, "unit": "mg"},
                "per_kg": {"value": 1.6, "unit": "mg/kg"},
            }
        ],
        "findings": [],
    }


@pytest.mark.parametrize(
    ("case", "content", "message"),
    [
        ("invalid JSON", '{"date": "2026-11-03",', "file: is not valid JSON"),
        (
            "unknown product",
            submental_session(cocktail=[{"product": "foo", "volume_ml": 10}]),
            "cocktail[0].product: unknown product 'foo'",
        ),
        (
            "zero volume",
            submental_session(cocktail=[{"product": DCA, "volume_ml": 0}]),
            "cocktail[0].volume_ml: must be greater than 0",
        ),
        (
            "volumes disagree",
            submental_session(cocktail=[{"product": DCA, "volume_ml": 10.2}]),
            "cocktail: the volumes add up to 10.2 mL but the points take 50 × 0.2 mL = 10 mL",
        ),
        (
            "bad date",
            submental_session(day="2026-02-30"),
            "date: '2026-02-30' is not a calendar date",
        ),
        ("not an object", "[]", "file: must be an object"),
    ],
)
def test_an_invalid_file_exits_2_naming_the_field(run, case, content, message):
    result = run(content)
    assert result.exit_code == 2, (case, result.output)
    assert message in one_line(result.stderr), result.stderr
    assert result.stdout == ""


def test_an_unreadable_file_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["check-plan", str(tmp_path / "missing.json")])
    assert result.exit_code == 2
    assert "file: cannot read" in result.stderr


def test_an_unknown_clinic_exits_2(run):
    result = run(submental_session(), "--clinic", "999999")
    assert result.exit_code == 2
    assert "--clinic: no clinic has id 999999" in result.stderr


def test_with_clinic_the_clinic_limits_apply(run, practice):
    actions.set_clinic_limit(
        practice.actor(practice.practitioner),
        _dca(),
        {"kind": "injections_per_session", "count": 40, "severity": "block", "source": "Policy 7"},
    )
    assert run(submental_session()).exit_code == 0
    result = run(submental_session(), "--clinic", str(practice.clinic.pk), "--json")
    assert result.exit_code == 1
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["origin"], finding["source"]) == ("clinic", "Policy 7")


def _dca():
    from mesochart.formulary.models import Product

    return Product.objects.get(slug=DCA)
