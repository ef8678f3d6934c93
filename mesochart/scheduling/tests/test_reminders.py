"""Reminders reach a real SMTP server (aiosmtpd, started by the test) once per appointment,
through the task queue's database backend and its worker; never for a cancelled appointment;
a failed send is retried; a worker that died after claiming does not send twice; the link
confirms without signing in, and an altered or expired link is refused."""

import datetime as dt
import email
import re
import socket

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.management import call_command

from mesochart.scheduling import actions, reminders
from mesochart.scheduling.models import Reminder, ReminderStatus, State
from mesochart.testing.scheduling import at

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

TUESDAY = dt.date(2026, 3, 3)  # 10:00 is 34 hours after the frozen clock's Monday midnight


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalSmtp(Inbox):
    """A real SMTP server on a free local port; stopped and started again on the same port."""

    def __init__(self):
        super().__init__()
        self.port = _free_port()
        self.server = None

    def start(self):
        self.server = Controller(self, hostname="127.0.0.1", port=self.port)
        self.server.start()

    def stop(self):
        if self.server is not None:
            self.server.stop()
            self.server = None


@pytest.fixture
def smtp(settings):
    server = LocalSmtp()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _worker_keeps_the_test_transaction(monkeypatch):
    """The database worker closes connections it finds outside autocommit between tasks,
    as after a request; inside a test's transaction (PostgreSQL) that would drop the test's
    own connection, so here it keeps it."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@pytest.fixture
def booked(desk):
    patient = desk.practice.patient
    patient.email = "ana@example.invalid"
    patient.save(update_fields=["email"])
    return desk.consult(at(TUESDAY, 10))


def run_worker():
    reminders.sweep()
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def test_the_worker_sends_the_reminder_once_even_when_run_twice(smtp, booked, client_for):
    run_worker()
    run_worker()
    (sent,) = smtp.messages
    assert sent["To"] == "ana@example.invalid"
    body = sent.get_payload()
    assert "Main Street" in body and "Tuesday 3 March 2026 at 10:00" in body
    assert "Lopez" not in body and "Ana" not in body
    link = re.search(r"http://\S+/schedule/r/(\S+)/", body).group(0)
    page = client_for(booked.booked_by).get(link.split("8000", 1)[1])
    assert b"Main Street" in page.content and b"Lopez" not in page.content
    from django.test import Client

    answer = Client().post(link.split("8000", 1)[1], {"answer": "confirm"})
    assert answer.status_code == 200
    booked.refresh_from_db()
    assert booked.state == State.CONFIRMED


def test_a_cancelled_appointment_gets_no_reminder(smtp, booked, desk):
    actions.cancel_appointment(desk.reception, booked, {"reason": "Ill"})
    run_worker()
    assert smtp.messages == []


def test_a_cancellation_after_the_sweep_stops_the_queued_reminder(smtp, booked, desk):
    reminders.sweep()  # queued, not yet run
    actions.cancel_appointment(desk.reception, booked, {"reason": "Ill"})
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    assert smtp.messages == []
    assert Reminder.objects.get().status == ReminderStatus.SKIPPED


def test_a_failed_send_is_retried_and_then_sent_once(smtp, booked):
    smtp.stop()
    run_worker()
    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.attempts) == (ReminderStatus.FAILED, 1)
    smtp.start()
    run_worker()
    run_worker()
    assert len(smtp.messages) == 1
    assert Reminder.objects.get().attempts == 2


def test_a_worker_that_died_after_its_claim_does_not_send_again(smtp, booked):
    reminders.sweep()
    Reminder.objects.update(status=ReminderStatus.SENDING, attempts=1)  # the crash
    run_worker()
    assert smtp.messages == []


def test_an_altered_link_is_refused(booked, client):
    token = reminders.link_token(booked)
    response = client.get(f"/schedule/r/{token[:-2]}xx/")
    assert response.status_code == 400
    assert b"link: was altered" in response.content


def test_a_link_expires_when_the_appointment_starts(booked, client):
    token = reminders.link_token(booked)
    with time_machine.travel(at(TUESDAY, 10, 1)):
        response = client.get(f"/schedule/r/{token}/")
    assert response.status_code == 400
    assert b"link: has expired" in response.content


def test_the_reception_list_names_who_has_not_confirmed(booked, client_for):
    page = client_for(booked.booked_by).get("/schedule/unconfirmed/?date=2026-03-03")
    assert b"Ana Lopez" in page.content


def test_a_patient_with_a_phone_gets_one_text_through_the_pluggable_channel(smtp, booked, settings):
    from mesochart.scheduling.channels import MemoryText

    settings.SCHEDULING_TEXT_BACKEND = "mesochart.scheduling.channels.MemoryText"
    MemoryText.outbox.clear()
    booked.patient.phone = "+44 7700 900123"
    booked.patient.save(update_fields=["phone"])
    run_worker()
    run_worker()
    ((to, body),) = MemoryText.outbox
    assert to == "+44 7700 900123" and "Main Street" in body
    assert len(smtp.messages) == 1


def test_mesochart_worker_once_sweeps_and_runs_the_queue(smtp, booked):
    from click.testing import CliRunner

    from mesochart.cli import main

    result = CliRunner().invoke(main, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert len(smtp.messages) == 1


def test_a_french_patients_reminder_and_link_page_are_in_french(smtp, booked, client_for):
    booked.patient.language = "fr"
    booked.patient.save(update_fields=["language"])
    run_worker()
    (sent,) = smtp.messages
    body = sent.get_payload(decode=True).decode()
    assert "Vous avez rendez-vous à Main Street le mardi 3 mars 2026 à 10:00." in body
    assert "Merci de le confirmer ou de l’annuler ici" in body and "appointment" not in body
    assert (
        "Votre rendez-vous à Main Street"
        in email.header.make_header(email.header.decode_header(sent["Subject"])).__str__()
    )
    link = re.search(r"http://\S+/schedule/r/(\S+)/", body).group(0)
    from django.test import Client

    # The patient's page is in their language whatever the browser asks for.
    page = Client().get(link.split("8000", 1)[1], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Votre rendez-vous" in page and "mardi 3 mars 2026" in page and "Confirmer" in page
