"""The main staff journey in French, in real Chromium (issue 18): sign in with a French
browser, the patient list, the chart and a treatment plan; screenshots in screenshots/."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from mesochart.accounts.models import User
from mesochart.e2e.conftest import PASSWORD, TOTP_KEY_HEX, give_totp, open_context, shoot, totp_code
from mesochart.testing.plans import cocktail, new_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _heading(page):
    return page.get_by_role("heading", level=1)


def test_a_french_practitioner_signs_in_and_reads_the_chart_and_plan(
    browser, console, site, practice
):
    User.objects.filter(pk=practice.practitioner.pk).update(language="fr")
    practice.patient.weight_kg = Decimal("62.5")
    practice.patient.save()
    version = cocktail(practice.actor(practice.practitioner), "Lipo mix", pcdc_lipolysis=10)
    plan = new_plan(practice, version=version)
    give_totp(practice.practitioner)
    context = open_context(browser, console, locale="fr-FR")
    context.set_extra_http_headers({"Accept-Language": "fr-FR,fr;q=0.9"})
    page = context.new_page()

    page.goto(f"{site}/accounts/sign-in/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
    expect(page.get_by_text("Nom d'utilisateur")).to_be_visible()
    shoot(page, "fr-01-sign-in")
    page.locator("input[name=username]").fill(practice.practitioner.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(_heading(page)).to_have_text("Vérification à deux facteurs")
    page.locator("input[name=code]").fill(totp_code(TOTP_KEY_HEX))
    page.get_by_role("button", name="Vérifier").click()

    expect(_heading(page)).to_have_text("Patients")
    expect(page.get_by_role("link", name="Enregistrer un patient")).to_be_visible()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    shoot(page, "fr-02-patients")

    page.goto(f"{site}/patients/{practice.patient.pk}/")
    expect(page.get_by_role("heading", name="Résumé clinique")).to_be_visible()
    expect(page.locator(".vitals")).to_contain_text("62,5 kg")
    shoot(page, "fr-03-chart")

    page.goto(f"{site}/plans/{plan.pk}/")
    expect(page.get_by_role("heading", name="Approbation")).to_be_visible()
    shoot(page, "fr-04-plan")
    context.close()
