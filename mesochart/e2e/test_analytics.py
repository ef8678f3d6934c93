"""Analytics in real Chromium: the demo practice's synthetic cellulite protocol, its two
cocktails compared at 4 weeks; the strip/box plot is drawn, the table and Welch's test shown."""

import pytest
from playwright.sync_api import expect

from mesochart.accounts.actor import Actor
from mesochart.accounts.models import Membership, User
from mesochart.demo import DEMO_PASSWORD, DEMO_TOTP_KEY_HEX, outcome_history
from mesochart.e2e.conftest import shoot, sign_in
from mesochart.planning.models import Protocol

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_cocktails_on_the_cellulite_protocol(page, console, site, demo):
    practitioner = Actor.at(
        Membership.objects.select_related("clinic", "user").get(
            user__username="dr.rivera", clinic__name="Harbour Street"
        )
    )
    outcome_history.load(practitioner)
    protocol = Protocol.objects.get(slug=outcome_history.SLUG)
    sign_in(page, site, "dr.rivera", key_hex=DEMO_TOTP_KEY_HEX, password=DEMO_PASSWORD)
    page.get_by_role("link", name="Analytics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How results vary")
    page.get_by_label("Measure", exact=True).select_option("css")
    page.get_by_label("Group by", exact=True).select_option("cocktail")
    page.get_by_label("Protocol", exact=True).select_option(str(protocol.pk))
    page.get_by_role("button", name="Analyse").click()
    plot = page.locator("#an-plot")
    expect(plot.locator("canvas")).to_be_visible()
    expect(plot).to_have_attribute("data-drawn", "68")
    rows = page.locator(".an-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Cellulite PC/DC (synthetic)")
    expect(page.locator(".an-test", has_text="Welch's t-test")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Synthetic cohort")
    shoot(page, "analytics-two-cocktails")


def test_the_same_comparison_in_french(page, console, site, demo):
    membership = Membership.objects.select_related("clinic", "user").get(
        user__username="dr.rivera", clinic__name="Harbour Street"
    )
    outcome_history.load(Actor.at(membership))
    protocol = Protocol.objects.get(slug=outcome_history.SLUG)
    sign_in(page, site, "dr.rivera", key_hex=DEMO_TOTP_KEY_HEX, password=DEMO_PASSWORD)
    User.objects.filter(pk=membership.user_id).update(language="fr")
    page.goto(f"{site}/analytics/?measure=css&grouping=cocktail&protocol={protocol.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Variabilité des résultats")
    expect(page.locator("#an-plot")).to_have_attribute("data-drawn", "68")
    expect(page.locator(".an-test", has_text="test t de Welch")).to_be_visible()
    expect(page.locator("main")).to_contain_text("28 jours après la dernière séance")
    shoot(page, "analytics-two-cocktails-fr")
