"""The calendar set-up in real Chromium: the clinic's admin opens it from the calendar, adds a
room and an appointment type, sees a booking outside the practitioner's hours refused, adds
the hours (and sees overlapping hours refused in the form's words), then books into them."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mesochart.e2e.conftest import give_totp, shoot, sign_in
from mesochart.scheduling.models import Appointment, Room, WorkingHours

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _a_monday_ahead() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=14 - today.weekday())


def test_admin_adds_a_room_and_hours_then_books_into_them(page, site, practice, console):
    give_totp(practice.admin)
    sign_in(page, site, practice.admin.username)
    page.goto(f"{site}/schedule/")
    page.get_by_role("link", name="Rooms, types and hours").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendar set-up")

    page.get_by_label("Room name").fill("Room 7")
    page.get_by_role("button", name="Add the room").click()
    expect(page.locator(".messages")).to_contain_text("The room was added.")
    page.get_by_label("Type name").fill("Consultation")
    page.get_by_label("Kind").select_option("consultation")
    page.get_by_label("Duration (minutes)").fill("40")
    page.get_by_label("Cleaning after (minutes)").fill("10")
    page.get_by_role("button", name="Add the type").click()
    expect(page.locator(".messages")).to_contain_text("The appointment type was added.")
    expect(page.get_by_role("cell", name="40 min", exact=True)).to_be_visible()
    shoot(page, "calendar-setup")

    monday = _a_monday_ahead()
    room = Room.objects.get(name="Room 7")
    practitioner = practice.practitioner

    def book(at: str) -> None:
        page.goto(f"{site}/schedule/book/")
        page.get_by_label("Patient").select_option(str(practice.patient.pk))
        page.get_by_label("Practitioner").select_option(str(practitioner.pk))
        page.get_by_label("Room").select_option(str(room.pk))
        page.get_by_label("Appointment type").select_option(label="Consultation")
        page.get_by_label("Starts").fill(f"{monday.isoformat()} {at}")
        page.get_by_role("button", name="Book", exact=True).click()

    book("10:00")
    expect(page.get_by_role("alert")).to_contain_text("outside the practitioner's working hours")
    assert not Appointment.objects.exists()

    page.goto(f"{site}/schedule/setup/")
    page.get_by_role("link", name=practitioner.get_full_name() or practitioner.username).click()
    hours = page.locator("#add-hours")
    hours.get_by_label("Weekday").select_option("0")
    hours.get_by_label("From").fill("09:00")
    hours.get_by_label("Until").fill("13:00")
    hours.get_by_role("button", name="Add the hours").click()
    expect(page.locator(".messages")).to_contain_text("The working hours were added.")
    hours = page.locator("#add-hours")
    hours.get_by_label("Weekday").select_option("0")
    hours.get_by_label("From").fill("12:00")
    hours.get_by_label("Until").fill("15:00")
    hours.get_by_role("button", name="Add the hours").click()
    expect(page.get_by_role("alert")).to_have_text(
        "From: overlaps other working hours of this practitioner on that weekday"
    )
    assert WorkingHours.objects.count() == 1
    shoot(page, "calendar-setup-hours")

    book("10:00")
    expect(page.locator(".messages")).to_contain_text("Booked.")
    booked = Appointment.objects.get()
    assert (booked.room, booked.ends_at - booked.starts_at) == (room, dt.timedelta(minutes=40))
    block = page.locator(f'.sc-appointment[data-id="{booked.pk}"]')
    expect(block).to_contain_text("10:00")
    shoot(page, "calendar-setup-booked")
