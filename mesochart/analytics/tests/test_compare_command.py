"""``mesochart analytics compare`` on a statistician's CSV."""

import json

import pytest
from click.testing import CliRunner
from django.utils import translation
from scipy import stats as sp

from mesochart.cli import main

A = [-3.1, -2.4, -1.0, -2.2, -0.5, -1.8]
B = [-1.2, 0.4, -0.9, -0.3, 0.8, -1.1, 0.0]


@pytest.fixture
def rows(tmp_path):
    path = tmp_path / "rows.csv"
    lines = ["patient_key,group,baseline,follow_up,change"]
    lines += [f"a{i},A,60,{60 + c},{c}" for i, c in enumerate(A)]
    lines += [f"b{i},B,60,{60 + c},{c}" for i, c in enumerate(B)]
    path.write_text("\n".join(lines) + "\n")
    return path


def compare(*args):
    return CliRunner().invoke(main, ["analytics", "compare", *args])


def test_two_groups_as_json_by_welch(rows):
    result = compare("--csv", str(rows), "--group", "group", "--value", "change", "--json")
    assert result.exit_code == 0
    out = json.loads(result.output)
    assert out["test"] == "Welch's t-test"
    assert out["p_value"] == pytest.approx(sp.ttest_ind(A, B, equal_var=False).pvalue)
    assert [(g["name"], g["n"]) for g in out["groups"]] == [("A", 6), ("B", 7)]
    assert {"statistic", "effect_size"} <= out.keys() and len(out["groups"][0]["ci95"]) == 2


def test_a_paired_test_takes_before_and_after(rows):
    result = compare("--csv", str(rows), "--group", "group", "--value", "baseline,follow_up",
                     "--test", "wilcoxon")  # fmt: skip
    assert result.exit_code == 0
    assert "Wilcoxon signed-rank test" in result.output and "p-value" in result.output


@pytest.mark.parametrize(
    "args,message",
    [
        (["--group", "arm", "--value", "change"], "group: no column 'arm'"),
        (["--group", "group", "--value", "change", "--test", "paired-t"], "value: a paired test"),
    ],
)
def test_a_bad_file_exits_2_naming_the_field_and_rule(rows, args, message):
    result = compare("--csv", str(rows), *args)
    assert result.exit_code == 2
    assert message in result.output


def test_a_value_that_is_not_a_number_is_named_by_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("group,change\nA,-1\nA,lots\n")
    result = compare("--csv", str(path), "--group", "group", "--value", "change")
    assert result.exit_code == 2 and "value: line 3: change 'lots' is not a number" in result.output


@pytest.fixture
def english_after():
    yield
    translation.activate("en-gb")  # the command activated the console's language


def test_a_french_console_reads_the_table_in_french_and_the_json_stays_english(rows, english_after):
    french = CliRunner(env={"MESOCHART_LANGUAGE": "fr"})
    args = ["analytics", "compare", "--csv", str(rows), "--group", "group", "--value", "change"]
    table = french.invoke(main, args)
    assert table.exit_code == 0, table.output
    assert "test : test t de Welch (hypothèses : les groupes sont indépendants" in table.output
    assert "taille d'effet : g de Hedges" in table.output and "moyenne" in table.output
    assert json.loads(french.invoke(main, [*args, "--json"]).output)["test"] == "Welch's t-test"
    refused = french.invoke(main, [*args[:-1], "arm"])
    assert refused.exit_code == 2
    assert "value: aucune colonne 'arm' dans l'en-tête" in refused.output
