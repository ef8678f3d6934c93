"""Pages work under the Content-Security-Policy in real Chromium: the search (htmx), a
chart, a plan with its chart editor and its print view report no refused script or
style (the console fixture fails the test on any browser error)."""

import pytest
from playwright.sync_api import expect

from mesochart.e2e.conftest import give_totp, sign_in
from mesochart.testing.plans import DCA, cocktail, new_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_chart_plan_and_print_run_with_no_inline_script(page, site, practice):
    version = cocktail(practice.actor(practice.practitioner), "Kybella", **{DCA: 10})
    plan = new_plan(practice, "submental-deoxycholic-acid", version)
    give_totp(practice.practitioner)
    sign_in(page, site, practice.practitioner.username)

    page.goto(f"{site}/patients/")
    page.get_by_role("searchbox").first.fill("Lop")
    expect(page.get_by_role("link", name="LOPEZ", exact=False).first).to_be_visible()
    page.goto(f"{site}/patients/{practice.patient.pk}/")
    page.goto(f"{site}/plans/{plan.pk}/")
    expect(page.locator("#pl-editor")).to_be_visible()
    page.goto(f"{site}/plans/{plan.pk}/print/")
    expect(page.get_by_role("button", name="Print")).to_have_attribute("data-print", "")
