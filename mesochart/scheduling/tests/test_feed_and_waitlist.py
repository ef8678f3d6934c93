"""The practitioner's private calendar feed and the waitlist offered a cancelled slot."""

import datetime as dt

import icalendar

from mesochart.scheduling import actions, feed, waitlist
from mesochart.scheduling.models import ClinicOptions, WaitStatus
from mesochart.testing.scheduling import at

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

TUESDAY = dt.date(2026, 3, 3)


def _feed_of(desk, client_for):
    client = client_for(desk.practice.practitioner)
    page = client.get("/schedule/feed/")
    assert page.status_code == 200
    token = feed.feed_of(desk.practitioner).token
    return client, token


def test_the_feed_lists_appointments_without_names_unless_the_clinic_allows(desk, client_for):
    desk.consult(at(TUESDAY, 10))
    client, token = _feed_of(desk, client_for)
    anonymous = client.__class__()
    body = anonymous.get(f"/schedule/feed/{token}.ics").content
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(event["summary"]) == "Consultation"
    assert b"Lopez" not in body
    ClinicOptions.objects.create(clinic=desk.clinic, feed_shows_patient_names=True)
    assert b"Ana Lopez" in anonymous.get(f"/schedule/feed/{token}.ics").content


def test_a_regenerated_feed_url_replaces_the_old_one(desk, client_for):
    client, token = _feed_of(desk, client_for)
    client.post("/schedule/feed/")
    assert client.__class__().get(f"/schedule/feed/{token}.ics").status_code == 404
    new = feed.feed_of(desk.practitioner).token
    assert client.__class__().get(f"/schedule/feed/{new}.ics").status_code == 200


def test_reception_has_no_feed_of_its_own(desk, client_for):
    assert client_for(desk.practice.reception).get("/schedule/feed/").status_code == 403


def test_a_cancellation_offers_the_slot_to_the_first_waiting(
    desk, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    other = desk.practice.make_patient(desk.clinic, "Bea", "Kim", "MC-000002", email="b@x.invalid")
    later = desk.practice.make_patient(desk.clinic, "Cy", "Ng", "MC-000003")
    first = waitlist.add(desk.reception, other, desk.consultation)
    second = waitlist.add(desk.reception, later, desk.consultation)
    booked = desk.consult(at(TUESDAY, 10))
    with django_capture_on_commit_callbacks(execute=True):
        actions.cancel_appointment(desk.reception, booked, {"reason": "Away"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == WaitStatus.OFFERED and first.offered_starts_at == booked.starts_at
    assert second.status == WaitStatus.WAITING
    (offer,) = mailoutbox
    assert "Tuesday 3 March 2026 at 10:00" in offer.body and "Main Street" in offer.body
