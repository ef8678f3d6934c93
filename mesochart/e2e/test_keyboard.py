"""Keyboard only: signing in, skipping the navigation and searching without a pointer."""

import pytest
from playwright.sync_api import expect

from mesochart.e2e.conftest import PASSWORD, TOTP_KEY_HEX, give_totp, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# More focus stops than the top bar holds: the loop below cannot run away.
MAX_TAB_STOPS = 12


def test_sign_in_search_and_open_a_chart_with_the_keyboard_alone(page, site, practice):
    practitioner = practice.practitioner
    give_totp(practitioner)
    keyboard = page.keyboard

    page.goto(f"{site}/accounts/sign-in/")
    expect(page.get_by_label("Username")).to_be_focused()
    keyboard.type(practitioner.username)
    keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    keyboard.type(PASSWORD)
    keyboard.press("Tab")
    expect(page.get_by_role("button", name="Sign in")).to_be_focused()
    keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor check")
    expect(page.get_by_label("Code")).to_be_focused()
    keyboard.type(totp_code(TOTP_KEY_HEX))
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Patients")

    # The search box has focus on arrival; Shift+Tab climbs back to the first stop, the skip link.
    expect(page.get_by_label("Find a patient")).to_be_focused()
    skip = page.get_by_role("link", name="Skip to content")
    for _ in range(MAX_TAB_STOPS):
        keyboard.press("Shift+Tab")
        if skip.evaluate("link => link === document.activeElement"):
            break
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    keyboard.press("Tab")
    expect(page.get_by_role("link", name="Register a patient")).to_be_focused()
    keyboard.press("Tab")
    search = page.get_by_label("Find a patient")
    expect(search).to_be_focused()
    keyboard.type("lop")
    expect(page.locator(".result-count")).to_have_text("1 patient matching “lop”")

    keyboard.press("Tab")
    expect(page.get_by_role("button", name="Search")).to_be_focused()
    keyboard.press("Tab")
    expect(page.get_by_role("link", name="LOPEZ, Ana")).to_be_focused()
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("LOPEZ, Ana")
