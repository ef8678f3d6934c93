"""No user-visible string outside the translation functions (issue 18).

Every template and Python module is scanned (`untranslated.py`). The files not yet swept are
listed in ``untranslated_allow_list.txt``: a NEW untranslated string anywhere else fails, and
a listed file that is now clean fails too, so the list only shrinks. The pure core returns
codes and values (its words are chosen where they are shown) and is not scanned; neither are
tests and migrations."""

from pathlib import Path

from django.conf import settings

from mesochart.tests.untranslated import python_strings, template_strings

ROOT = Path(settings.BASE_DIR)
ALLOW_LIST = Path(__file__).with_name("untranslated_allow_list.txt")


def _scanned() -> list[Path]:
    files = [*ROOT.glob("mesochart/**/*.html"), *ROOT.glob("mesochart/**/*.py")]
    skip = ("/tests/", "/migrations/", "/e2e/")
    return sorted(
        p
        for p in files
        if not any(part in str(p) for part in skip)
        and not str(p.relative_to(ROOT)).startswith("mesochart/core/")
    )


def _allowed() -> set[str]:
    lines = ALLOW_LIST.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def _found(path: Path) -> list[str]:
    return template_strings(path) if path.suffix == ".html" else python_strings(path)


def test_no_new_untranslated_string():
    allowed = _allowed()
    new = {
        name: found
        for path in _scanned()
        if (name := str(path.relative_to(ROOT))) not in allowed and (found := _found(path))
    }
    assert new == {}, "wrap these in {% translate %} / gettext and translate them in French"


def test_the_allow_list_only_shrinks():
    allowed = _allowed()
    exists = {str(p.relative_to(ROOT)) for p in _scanned()}
    assert sorted(allowed - exists) == [], "these files are gone: remove them from the list"
    clean = sorted(name for name in allowed if not _found(ROOT / name))
    assert clean == [], "these files are swept: remove them from the allow-list"


def test_the_scanner_sees_what_people_read(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '{% load i18n %}<h1>{% translate "Patients" %}</h1><p title="Hello there">Plain words'
        "</p>{% blocktranslate %}Kept {{ n }} words{% endblocktranslate %}<b>{{ x }} mL</b>"
    )
    assert template_strings(page) == ["Hello there", "Plain words"]
    module = tmp_path / "module.py"
    module.write_text(
        "from django.utils.translation import gettext as _\n"
        "messages.success(request, 'Saved.')\n"
        "messages.success(request, _('Saved.'))\n"
        "raise ValidationError({'name': f'must be at most {n}'})\n"
        "field = forms.CharField(label=_('Name'), help_text='Shown under the box')\n"
    )
    assert python_strings(module) == ["Saved.", "must be at most ", "Shown under the box"]
