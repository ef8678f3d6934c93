"""The scripts' words come from the catalogue of the page's language, named in its URL."""


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
    assert 'src="/jsi18n/fr/"' in page
