"""The script linter (scripts/lint-js, ESLint) refuses what the house rules forbid, on a
deliberately bad example of each: a chart module reading a point by position."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ESLINT = ROOT / "tools" / "eslint" / "node_modules" / ".bin" / "eslint"


@pytest.fixture(scope="module")
def lint():
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed (scripts/test needs it for the linter)")
    installed = [ROOT / "scripts" / "lint-js", "--version"]
    subprocess.run(installed, cwd=ROOT, check=True, capture_output=True)  # noqa: S603 - our own script

    def run(source: str, name: str) -> subprocess.CompletedProcess:
        command = [ESLINT, "--config", "tools/eslint/eslint.config.mjs", "--stdin"]
        return subprocess.run(  # noqa: S603 - the installed ESLint, fixed arguments
            [*command, "--stdin-filename", name],
            cwd=ROOT,
            input=source,
            text=True,
            capture_output=True,
        )

    return run


CHART_MODULE = "mesochart/static/mesochart/chart/example.js"


def test_a_chart_module_reading_a_points_depth_by_position_is_refused(lint):
    found = lint("export const depth = (p) => p[2];\n", CHART_MODULE)
    assert found.returncode == 1
    assert "Name the field" in found.stdout


def test_a_chart_module_reading_named_fields_passes(lint):
    found = lint("export const depth = ({ depthMm }) => depthMm;\n", CHART_MODULE)
    assert found.returncode == 0, found.stdout


def test_the_chart_modules_are_es_modules_and_other_scripts_are_not(lint):
    module = "import { round3 } from './geometry.js';\nexport const r = round3;\n"
    assert lint(module, CHART_MODULE).returncode == 0
    assert lint(module, "mesochart/static/mesochart/page-example.js").returncode == 1
