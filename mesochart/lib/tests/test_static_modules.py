"""Production's hashed static files: the chart editor's modules import each other by their
hashed names, so a page open across a release never mixes two versions of the editor."""

import json
import re

from django.core.management import call_command
from django.test import override_settings


def test_the_chart_editor_imports_its_modules_by_their_hashed_names(tmp_path, settings):
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "mesochart.lib.staticfiles.ProductionStaticFiles"},
    }
    with override_settings(STORAGES=storages, STATIC_ROOT=tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    editor = (tmp_path / manifest["mesochart/chart-editor.js"]).read_text()
    imported = set(re.findall(r'from "(\./chart/[^"]+)"', editor))
    assert imported == {
        "./" + manifest["mesochart/chart/geometry.js"].removeprefix("mesochart/"),
        "./" + manifest["mesochart/chart/points.js"].removeprefix("mesochart/"),
    }
    assert all(re.search(r"\.[0-9a-f]{12}\.js$", name) for name in imported), imported
