"""A tablet handed to a patient never shows the previous patient's chart, whatever Back does.

Every staff page is sent ``Cache-Control: no-store``, so Chromium keeps none of them in its
back/forward cache: Back asks the server again, and the server keeps the tablet on the
patient's task (patient mode) until staff sign it back.
"""

import pytest
from playwright.sync_api import expect

from mesochart.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT_MS = 20_000


def test_back_twice_after_the_hand_over_shows_the_patients_task_not_the_chart(
    tablet, site, practice
):
    tablet.set_default_timeout(TIMEOUT_MS)
    tablet.set_default_navigation_timeout(TIMEOUT_MS)
    previous = practice.make_patient(
        practice.clinic, "Carla", "Previous", "MC-000009", address="9 Private Road"
    )
    page = tablet.new_page()
    sign_in(page, site, practice.reception.username, key_hex=None)

    # The previous patient's chart was open before this patient's questionnaire.
    page.goto(f"{site}/patients/{previous.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("PREVIOUS, Carla")
    page.goto(f"{site}/consent/patients/{practice.patient.pk}/questionnaire/")
    page.get_by_label("Treatment area", exact=True).last.fill("submental")
    page.get_by_role("button", name="Start patient mode").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello Ana")

    page.go_back()
    page.go_back()
    page.wait_for_load_state()

    expect(page.get_by_role("heading", level=1)).to_have_text("Hello Ana")
    body = page.locator("body")
    expect(body).not_to_contain_text("Previous")
    expect(body).not_to_contain_text("9 Private Road")
    expect(page.get_by_role("navigation")).to_have_count(0)
