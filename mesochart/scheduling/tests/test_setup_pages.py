"""The set-up pages and endpoints as the admin uses them: a refusal in the page's words (the
API's ``field: rule``), the form kept as typed, nothing written; French when asked."""

import pytest

from mesochart.scheduling.models import AppointmentType, DayException, Leave, Room, WorkingHours
from mesochart.testing.plans import ApiCaller

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(practice, client_for):
    return client_for(practice.admin)


def test_a_type_of_no_duration_is_refused_in_the_forms_words(admin_client):
    body = {
        "name": "Quick",
        "kind": "consultation",
        "duration_minutes": "0",
        "buffer_before_minutes": "-1",
    }
    page = admin_client.post("/schedule/setup/types/", body)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Duration (minutes): must be more than 0 minutes" in text
    assert "Preparation before (minutes): must not be negative" in text
    assert 'value="Quick"' in text  # kept as typed
    assert not AppointmentType.objects.exists()


def test_a_room_name_twice_and_a_room_added(admin_client, practice):
    added = admin_client.post("/schedule/setup/rooms/", {"name": "Room A"}, follow=True)
    assert "The room was added." in added.content.decode()
    page = admin_client.post("/schedule/setup/rooms/", {"name": "ROOM A"})
    assert page.status_code == 200
    assert "Room name: is already the name of a room of this clinic" in page.content.decode()
    assert Room.objects.filter(clinic=practice.clinic).count() == 1
    listed = admin_client.get("/schedule/setup/").content.decode()
    assert 'value="Room A"' in listed


def test_overlapping_hours_are_refused_on_the_practitioners_page(admin_client, practice):
    url = f"/schedule/setup/people/{practice.practitioner.pk}/hours/"
    first = {"weekday": "0", "starts": "09:00", "ends": "13:00"}
    assert admin_client.post(url, first).status_code == 302
    page = admin_client.post(url, {"weekday": "0", "starts": "12:00", "ends": "18:00"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "From: overlaps other working hours of this practitioner on that weekday" in text
    page = admin_client.post(url, {"weekday": "1", "starts": "18:00", "ends": "12:00"})
    assert "Until: must be after the start" in page.content.decode()
    assert WorkingHours.objects.count() == 1
    shown = admin_client.get(f"/schedule/setup/people/{practice.practitioner.pk}/").content
    assert b"09:00" in shown and b"Monday" in shown


def test_leave_ending_before_it_starts_on_the_page(admin_client, practice):
    url = f"/schedule/setup/people/{practice.practitioner.pk}/leave/"
    page = admin_client.post(url, {"first_day": "2027-02-10", "last_day": "2027-02-01"})
    assert page.status_code == 200
    assert "Last day: must not be before the first day" in page.content.decode()


def test_an_unknown_kind_of_availability_is_not_found(admin_client, practice):
    url = f"/schedule/setup/people/{practice.practitioner.pk}/holiday/"
    assert admin_client.post(url, {}).status_code == 404


def test_the_api_refuses_with_field_and_rule(practice):
    caller = ApiCaller(practice.admin)
    answer = caller.post(
        "/schedule/appointment-types", {"name": "X", "kind": "photo", "duration_minutes": 0}
    )
    assert answer.status_code == 422
    assert answer.json()["detail"] == "duration_minutes: must be more than 0 minutes"
    room = caller.post("/schedule/rooms", {"name": "Room A"})
    assert room.status_code == 201 and room.json()["active"] is True
    again = caller.post("/schedule/rooms", {"name": "Room A"})
    assert again.json()["detail"] == "name: is already the name of a room of this clinic"
    gone = caller.post(f"/schedule/rooms/{room.json()['id']}", {"active": False}, "patch")
    assert gone.status_code == 200 and gone.json()["active"] is False
    assert not Room.objects.exists()  # no appointment named it: removed


def test_the_api_changes_only_the_fields_given(practice):
    caller = ApiCaller(practice.admin)
    made = caller.post(
        "/schedule/appointment-types",
        {"name": "Photos", "kind": "photo", "duration_minutes": 20, "buffer_after_minutes": 5},
    ).json()
    changed = caller.post(
        f"/schedule/appointment-types/{made['id']}", {"duration_minutes": 25}, "patch"
    ).json()
    assert (changed["duration_minutes"], changed["buffer_after_minutes"]) == (25, 5)
    listed = ApiCaller(practice.reception).get("/schedule/appointment-types").json()
    assert [t["name"] for t in listed] == ["Photos"]


def test_the_refusal_in_french(practice, client_for):
    practice.admin.language = "fr"
    practice.admin.save()
    client = client_for(practice.admin)
    client.cookies["django_language"] = "fr"
    body = {"name": "Rapide", "kind": "consultation", "duration_minutes": "0"}
    page = client.post("/schedule/setup/types/", body, HTTP_ACCEPT_LANGUAGE="fr")
    text = page.content.decode()
    assert "must be more than 0 minutes" not in text
    assert "Durée (minutes): doit être supérieure à 0 minute" in text


def test_leave_and_a_date_are_removed_from_the_page(admin_client, practice):
    who = practice.practitioner.pk
    admin_client.post(
        f"/schedule/setup/people/{who}/leave/",
        {"first_day": "2027-02-01", "last_day": "2027-02-05"},
    )
    admin_client.post(
        f"/schedule/setup/people/{who}/exception/", {"date": "2027-03-01", "day_off": "on"}
    )
    leave, day = Leave.objects.get(), DayException.objects.get()
    assert (
        admin_client.post(f"/schedule/setup/people/{who}/leave/{leave.pk}/remove/").status_code
        == 302
    )
    assert (
        admin_client.post(f"/schedule/setup/people/{who}/exception/{day.pk}/remove/").status_code
        == 302
    )
    assert not Leave.objects.exists() and not DayException.objects.exists()
    assert admin_client.post(f"/schedule/setup/people/{who}/holiday/1/remove/").status_code == 404
