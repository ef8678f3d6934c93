"""The console command's prose follows MESOCHART_LANGUAGE or the POSIX locale (issue 18);
its codes (``field: rule`` names, JSON) do not change."""

import pytest
from click.testing import CliRunner
from django.utils import translation

from mesochart.cli import main


@pytest.fixture(autouse=True)
def _english_after():
    yield
    translation.activate("en-gb")


@pytest.mark.django_db
def test_a_french_locale_gets_french_sentences():
    answer = CliRunner(env={"LANG": "fr_FR.UTF-8"}).invoke(main, ["audit", "verify"])
    assert answer.exit_code == 0, answer.output
    assert "Chaîne d'audit intacte" in answer.output


@pytest.mark.django_db
def test_english_by_default():
    answer = CliRunner(env={"LANG": "C.UTF-8", "LC_ALL": "", "MESOCHART_LANGUAGE": ""}).invoke(
        main, ["audit", "verify"]
    )
    assert "Audit chain intact" in answer.output
