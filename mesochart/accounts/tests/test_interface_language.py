"""The staff interface's language: the user's choice, else the clinic's default, else the
browser's Accept-Language; the header's switcher saves the user's choice."""

from django.test import Client

from mesochart.accounts.models import Clinic, User

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def _language(client, **headers) -> str:
    page = client.get("/patients/", headers=headers)
    assert page.status_code == 200
    return page.headers["Content-Language"]


def test_the_browser_decides_when_neither_user_nor_clinic_chose(practice, client_for):
    client = client_for(practice.practitioner)
    assert _language(client) == "en-gb"
    assert _language(client, accept_language="fr-FR,fr;q=0.9") == "fr"


def test_the_clinic_default_comes_before_the_browser(practice, client_for):
    Clinic.objects.filter(pk=practice.clinic.pk).update(language="fr")
    assert _language(client_for(practice.practitioner), accept_language="en-GB") == "fr"


def test_the_users_choice_comes_before_the_clinic(practice, client_for):
    Clinic.objects.filter(pk=practice.clinic.pk).update(language="fr")
    User.objects.filter(pk=practice.practitioner.pk).update(language="en-gb")
    assert _language(client_for(practice.practitioner), accept_language="fr") == "en-gb"


def test_the_switcher_saves_the_users_language(practice, client_for):
    client = client_for(practice.practitioner)
    answer = client.post("/accounts/language/", {"language": "fr", "next": "/patients/"})
    assert answer.status_code == 302 and answer.url == "/patients/"
    practice.practitioner.refresh_from_db()
    assert practice.practitioner.language == "fr"
    page = client.get("/patients/")
    assert page.headers["Content-Language"] == "fr"
    assert '<html lang="fr">' in page.content.decode()


def test_the_switcher_refuses_an_unknown_language_and_a_foreign_next(practice, client_for):
    client = client_for(practice.practitioner)
    answer = client.post("/accounts/language/", {"language": "xx", "next": "https://evil.example/"})
    assert answer.url == "/patients/"
    practice.practitioner.refresh_from_db()
    assert practice.practitioner.language == "en-gb"


def test_before_sign_in_the_switcher_sets_the_cookie_only():
    client = Client()
    answer = client.post("/accounts/language/", {"language": "fr", "next": "/accounts/sign-in/"})
    assert answer.status_code == 302
    assert client.get("/accounts/sign-in/").headers["Content-Language"] == "fr"
