"""The calendar in real Chromium: reception books an approved plan's series in one step,
drags the second session to four weeks after the first and sees the label's refusal, drags
the last one to a later day of its week and it moves, then the patient confirms through the
link in the reminder email."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from mesochart.e2e.conftest import shoot, sign_in
from mesochart.scheduling import reminders
from mesochart.scheduling.models import Appointment, State
from mesochart.testing.scheduling import LONDON, Desk
from mesochart.testing.sessions import TODAY, Ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def drag(page, block, lane, minutes_from_eight: int) -> None:
    box, target = block.bounding_box(), lane.bounding_box()
    grab_y = 5
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + grab_y)
    page.mouse.down()
    x = target["x"] + target["width"] / 2
    page.mouse.move(x, target["y"] + minutes_from_eight + grab_y, steps=12)
    page.mouse.up()


def test_book_a_series_drag_too_early_and_confirm_by_email(page, site, practice, console):
    with time_machine.travel(TODAY):
        practice.patient.email = "ana@example.invalid"
        practice.patient.save(update_fields=["email"])
        desk = Desk(Ready(practice))
        sign_in(page, site, practice.reception.username, key_hex=None)

        page.goto(f"{site}/schedule/plan/{desk.ready.plan.pk}/series/")
        page.get_by_label("Practitioner").select_option(str(practice.practitioner.pk))
        page.get_by_label("Room").select_option(str(desk.room.pk))
        page.get_by_label("Session type").select_option(str(desk.session_type.pk))
        page.get_by_label("Preferred time").fill("10:00")
        page.get_by_role("button", name="Book every session").click()
        expect(page.locator(".messages")).to_contain_text("The series is booked.")
        assert Appointment.objects.count() == 6

        second = Appointment.objects.get(plan_session_index=1)
        day = second.starts_at.astimezone(LONDON).date()
        page.goto(f"{site}/schedule/week/?date={day.isoformat()}")
        block = page.locator(f'.sc-appointment[data-id="{second.pk}"]')
        expect(block).to_contain_text("session 2")
        monday = page.locator(".sc-lane").first  # 30 March: 28 days after the first session
        drag(page, block, monday, minutes_from_eight=120)
        answer = page.locator("#sc-answer")
        expect(answer).to_contain_text("Not moved")
        expect(answer).to_contain_text("refused:")
        expect(answer).to_contain_text("[LABEL]")
        shoot(page, "scheduling-refused-move")
        second.refresh_from_db()
        assert second.starts_at.astimezone(LONDON).date() == day

        # The last session, a day later in its week: nothing after it, so it moves.
        last = Appointment.objects.get(plan_session_index=5)
        last_day = last.starts_at.astimezone(LONDON).date()
        page.goto(f"{site}/schedule/week/?date={last_day.isoformat()}")
        lanes = page.locator(".sc-lane")
        target = next(
            i for i in range(7) if i > last_day.weekday() and i < 5
        )  # a later weekday of the same week
        block = page.locator(f'.sc-appointment[data-id="{last.pk}"]')
        drag(page, block, lanes.nth(target), minutes_from_eight=180)
        expect(page.locator("#sc-answer")).to_contain_text("Moved.")
        moved = page.locator(f'.sc-appointment[data-id="{last.pk}"]')
        expect(moved).to_contain_text("11:00")
        shoot(page, "scheduling-moved-by-drag")
        last.refresh_from_db()
        assert last.starts_at.astimezone(LONDON).weekday() == target

        reminders.sweep()
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
        (sent,) = mail.outbox
        path = re.search(r"/schedule/r/\S+/", sent.body).group(0)
        context = page.context.browser.new_context()
        patient = context.new_page()
        patient.goto(f"{site}{path}")
        expect(patient.locator("body")).to_contain_text("Main Street")
        expect(patient.locator("body")).not_to_contain_text("Lopez")
        patient.get_by_role("button", name="Confirm").click()
        expect(patient.locator("body")).to_contain_text("Confirmed")
        shoot(patient, "scheduling-confirmed-by-link")
        context.close()
        assert Appointment.objects.get(plan_session_index=0).state == State.CONFIRMED


def test_drag_a_consultation_to_the_nurses_column(page, site, practice, console):
    with time_machine.travel(TODAY):
        desk = Desk(Ready(practice))
        tuesday = TODAY + dt.timedelta(days=1)
        booked = desk.consult(dt.datetime.combine(tuesday, dt.time(10), tzinfo=LONDON))
        sign_in(page, site, practice.reception.username, key_hex=None)
        page.goto(f"{site}/schedule/?date={tuesday.isoformat()}")
        block = page.locator(f'.sc-appointment[data-id="{booked.pk}"]')
        nurse_lane = page.locator(f'.sc-lane[data-practitioner="{practice.nurse.pk}"]')
        drag(page, block, nurse_lane, minutes_from_eight=240)  # 12:00
        expect(page.locator("#sc-answer")).to_contain_text("Moved.")
        moved = nurse_lane.locator(f'.sc-appointment[data-id="{booked.pk}"]')
        expect(moved).to_contain_text("12:00")
        shoot(page, "scheduling-dragged-to-another-column")
        booked.refresh_from_db()
        assert booked.practitioner == practice.nurse
