"""The French catalogue is complete and what runs is what it says (issue 18).

* every string the code marks for translation (templates and Python, as makemessages finds
  them today) is in ``mesochart/locale/fr/LC_MESSAGES/django.po``, and every ``gettext()``
  of the scripts in ``djangojs.po``, with a translation that is neither empty nor fuzzy;
* the committed ``.mo`` files (so that starting mesochart needs no gettext) hold exactly
  the .po's translations: after editing a .po, run ``scripts/messages``.
"""

import gettext
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from mesochart.tests import catalogue

FRENCH = Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES"


def _problems(entries) -> list[str]:
    return [
        f"{'fuzzy' if e.fuzzy else 'untranslated'}: {e.msgid!r}"
        for e in entries
        if not e.translated
    ]


DOMAINS = pytest.mark.parametrize("domain", ["django", "djangojs"])


@DOMAINS
def test_the_committed_catalogue_has_no_empty_or_fuzzy_entry(domain):
    entries = catalogue.read(FRENCH / f"{domain}.po")
    assert entries
    assert _problems(entries) == []


@DOMAINS
def test_the_compiled_catalogue_matches_the_po(domain):
    with (FRENCH / f"{domain}.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    expected = dict(
        item
        for e in catalogue.read(FRENCH / f"{domain}.po")
        if e.translated
        for item in e.mo_items()
    )
    compiled = {key: text for key, text in compiled.items() if key != ""}
    assert compiled == expected, "run scripts/messages to compile the catalogue again"


@DOMAINS
def test_every_marked_string_has_a_french_translation(domain, tmp_path, monkeypatch):
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        pytest.fail("makemessages needs GNU gettext: apt-get install gettext (scripts/test does)")
    copy = tmp_path / "fr" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    shutil.copy(FRENCH / f"{domain}.po", copy / f"{domain}.po")
    monkeypatch.chdir(settings.BASE_DIR)
    with override_settings(LOCALE_PATHS=[tmp_path]):
        call_command(
            "makemessages",
            locale=["fr"],
            domain=domain,
            no_location=True,
            no_obsolete=True,
            # The real catalogue is left alone: every string goes to the copy.
            ignore_patterns=[
                "var/*",
                "bench/*",
                "mesochart/locale",
                ".venv/*",
                "tools/*",
                "*/vendor/*",
            ],
            verbosity=0,
        )
    assert _problems(catalogue.read(copy / f"{domain}.po")) == [], (
        f"mark or translate these strings in mesochart/locale/fr/LC_MESSAGES/{domain}.po, "
        "then run scripts/messages"
    )
