"""The scripts' words come from the catalogue of the page's language, named in its URL."""

from mesochart.lib.jsi18n import catalogue_version


def test_the_french_catalogue_gives_the_scripts_their_french_words(client):
    body = client.get("/jsi18n/fr/").content.decode()
    assert '"Saved": "Enregistr\\u00e9"' in body or '"Saved": "Enregistré"' in body


def test_the_english_catalogue_leaves_the_words_as_written(client):
    body = client.get("/jsi18n/en-gb/").content.decode()
    assert "Enregistr" not in body
    assert "gettext" in body


def test_an_unknown_language_is_not_found(client):
    assert client.get("/jsi18n/xx/").status_code == 404


def test_every_page_names_the_catalogue_of_its_language(client):
    page = client.get("/accounts/sign-in/", headers={"accept-language": "fr"}).content.decode()
    assert f'src="/jsi18n/fr/?v={catalogue_version()}"' in page


def test_the_versioned_catalogue_is_kept_by_the_browser_and_nothing_else_is(client):
    kept = client.get(f"/jsi18n/fr/?v={catalogue_version()}")
    assert kept["Cache-Control"] == "private, max-age=31536000, immutable"
    assert "Pragma" not in kept
    for fresh in (client.get("/jsi18n/fr/"), client.get("/jsi18n/fr/?v=0ld0ld0ld0ld")):
        assert "no-store" in fresh["Cache-Control"]  # unversioned or stale: asked again
    assert "no-store" in client.get("/accounts/sign-in/")["Cache-Control"]


def test_the_version_follows_the_compiled_words(settings, tmp_path):
    catalogue_version.cache_clear()
    before = catalogue_version()
    (tmp_path / "fr" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "fr" / "LC_MESSAGES" / "djangojs.mo").write_bytes(b"other words")
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS, tmp_path]
    catalogue_version.cache_clear()
    try:
        assert catalogue_version() != before
    finally:
        settings.LOCALE_PATHS = settings.LOCALE_PATHS[:-1]
        catalogue_version.cache_clear()


def test_a_user_between_password_and_second_factor_gets_the_catalogue(practice):
    """The two-factor page names the catalogue too: answering it with a redirect to that
    page would be HTML where the browser expects a script."""
    from django.test import Client

    client = Client()
    client.post(
        "/accounts/sign-in/",
        {"username": practice.practitioner.username, "password": "a-long-test-password-1"},
    )
    answer = client.get("/jsi18n/fr/")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/javascript")


def test_both_page_layouts_name_the_catalogue_before_their_scripts():
    """The staff layout and the tablet's (in the patient's language) both load it first."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    for layout in ("base.html", "consent/tablet_base.html"):
        head = (templates / layout).read_text().split("{% block head %}")[0]
        assert "{% url 'javascript-catalog' LANGUAGE_CODE %}?v={{ catalogue_version }}" in head
