"""A clinic's own patient-reported item in real Chromium: a practitioner defines "How
confident do you feel in shorts?" on the items page, hands the tablet over, and the patient
answers it in patient mode."""

import pytest
import time_machine
from playwright.sync_api import expect

from mesochart.e2e.conftest import give_totp, shoot, sign_in
from mesochart.outcomes.models import OutcomeValue
from mesochart.testing.sessions import TODAY, Ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_define_an_item_and_the_patient_answers_it_on_the_tablet(page, site, practice, console):
    with time_machine.travel(TODAY, tick=False):
        ready = Ready(practice)
    give_totp(practice.practitioner)
    sign_in(page, site, practice.practitioner.username)
    page.goto(f"{site}/outcomes/items/")
    page.get_by_label("Short name").fill("shorts")
    page.get_by_label("Question shown to the patient").fill("How confident do you feel in shorts?")
    page.get_by_label("Top of the scale").fill("10")
    page.get_by_label("Words at 0").fill("Not at all")
    page.get_by_label("Words at the top").fill("Completely")
    page.get_by_role("button", name="Save item").click()
    expect(page.locator("table")).to_contain_text("How confident do you feel in shorts?")
    shoot(page, "clinic-items")

    page.goto(f"{site}/outcomes/plan/{ready.plan.pk}/")
    page.get_by_role("button", name="Hand the tablet to the patient").click()
    question = page.locator("fieldset", has_text="How confident do you feel in shorts?")
    expect(question).to_contain_text("0 Not at all, 10 Completely")
    question.locator('input[value="7"]').check()
    shoot(page, "clinic-item-on-the-tablet")
    page.get_by_role("button", name="Save my answers").click()
    expect(page.locator("body")).not_to_contain_text("How confident do you feel in shorts?")
    value = OutcomeValue.objects.get(measure="pro.shorts")
    assert (value.value, value.rater_role, value.clinic_item.version) == (7, "patient", 1)
