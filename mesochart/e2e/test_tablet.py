"""On a tablet (820×1180, touch) the list and the chart fit the screen and are easy to tap."""

import pytest
from playwright.sync_api import Page, expect

from mesochart.e2e.conftest import give_totp, shoot, sign_in
from mesochart.patients.models import Allergy, Condition, Medication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MIN_TARGET_PX = 44

# Visible controls shorter than the minimum, described well enough to find them.
SMALL_TARGETS = """(minimum) => {
  const controls = document.querySelectorAll(
    'button, a.button, select, textarea, summary, input:not([type=hidden]):not([type=checkbox])'
  );
  return [...controls]
    .filter((el) => el.getClientRects().length > 0)
    .map((el) => [el, el.getBoundingClientRect().height])
    .filter(([, height]) => height < minimum)
    .map(([el, height]) => `${el.tagName.toLowerCase()} "${
      (el.innerText || el.name || el.id || '').trim().slice(0, 30)}" is ${height}px`);
}"""


def _assert_fits_and_is_tappable(page: Page) -> None:
    widths = page.evaluate(
        "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"
    assert page.evaluate(SMALL_TARGETS, MIN_TARGET_PX) == []


def test_list_and_chart_on_a_tablet(tablet, site, practice):
    patient = practice.patient
    Allergy.objects.create(
        patient=patient, substance="Lidocaine", reaction="Hives", severity="severe"
    )
    Medication.objects.create(
        patient=patient, name="Warfarin", dose="3 mg daily", anticoagulant=True
    )
    Condition.objects.create(patient=patient, name="Hypothyroidism", notes="Stable")
    give_totp(practice.practitioner)
    page = tablet.new_page()

    sign_in(page, site, practice.practitioner.username)
    _assert_fits_and_is_tappable(page)
    shoot(page, "tablet-patient-list")

    page.get_by_role("link", name="LOPEZ, Ana").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("LOPEZ, Ana")
    expect(page.get_by_role("note")).to_contain_text("Lidocaine")
    _assert_fits_and_is_tappable(page)

    page.get_by_text("Add an allergy").tap()
    expect(page.get_by_label("Substance")).to_be_visible()
    _assert_fits_and_is_tappable(page)
    shoot(page, "tablet-patient-chart")
