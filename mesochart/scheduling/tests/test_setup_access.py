"""Every calendar set-up page and endpoint × every role × another clinic's admin.

Only the clinic's admin (``schedule.edit``) may set up its calendar: a practitioner, nurse or
receptionist is refused (403) and nothing changes. An admin of another clinic (of the same
organisation or another) finds none of this clinic's rooms, types or practitioners (404);
the pages that name nothing show their own clinic's set-up, never ours.
"""

import datetime as dt

import pytest

from mesochart.accounts.roles import Role
from mesochart.scheduling.models import AppointmentType, Kind, Room, WorkingHours
from mesochart.testing.plans import ApiCaller

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db

TYPE = {"name": "Photo visit", "kind": "photo", "duration_minutes": 20}
PAGES = [
    ("setup", "get", "/schedule/setup/", None, False),
    ("room add", "post", "/schedule/setup/rooms/", {"name": "Room 9"}, False),
    ("room rename", "post", "/schedule/setup/rooms/{room}/", {"name": "Renamed"}, True),
    ("room retire", "post", "/schedule/setup/rooms/{room}/retire/", {}, True),
    ("type add", "post", "/schedule/setup/types/", TYPE, False),
    ("type page", "get", "/schedule/setup/types/{type}/", None, True),
    ("type edit", "post", "/schedule/setup/types/{type}/", TYPE, True),
    ("type retire", "post", "/schedule/setup/types/{type}/retire/", {}, True),
    ("options", "post", "/schedule/setup/options/", {"feed_shows_patient_names": "on"}, False),
    ("person", "get", "/schedule/setup/people/{practitioner}/", None, True),
    (
        "hours add",
        "post",
        "/schedule/setup/people/{practitioner}/hours/",
        {"weekday": 5, "starts": "09:00", "ends": "12:00"},
        True,
    ),
    (
        "exception add",
        "post",
        "/schedule/setup/people/{practitioner}/exception/",
        {"date": "2026-12-24", "day_off": "on"},
        True,
    ),
    (
        "leave add",
        "post",
        "/schedule/setup/people/{practitioner}/leave/",
        {"first_day": "2027-01-04", "last_day": "2027-01-08"},
        True,
    ),
    (
        "hours remove",
        "post",
        "/schedule/setup/people/{practitioner}/hours/{hours}/remove/",
        {},
        True,
    ),
]
ENDPOINTS = [
    ("api rooms", "get", "/schedule/rooms", None, False),
    ("api room add", "post", "/schedule/rooms", {"name": "Room 9"}, False),
    ("api room edit", "patch", "/schedule/rooms/{room}", {"name": "Renamed"}, True),
    ("api types", "get", "/schedule/appointment-types", None, False),
    ("api type add", "post", "/schedule/appointment-types", TYPE, False),
    (
        "api type edit",
        "patch",
        "/schedule/appointment-types/{type}",
        {"duration_minutes": 25},
        True,
    ),
]
# The lists answer every role of the clinic (the front desk books with them); writes: admin.
READ_BY_ALL = {"api rooms", "api types"}
PERSONAS = ["admin", "practitioner", "nurse", "reception", "other admin", "sister admin"]


@pytest.fixture
def world(practice):
    clinic = practice.clinic
    room = Room.objects.create(clinic=clinic, name="Room Ours")
    type_ = AppointmentType.objects.create(
        clinic=clinic, name="Ours", kind=Kind.CONSULTATION, duration_minutes=30
    )
    hours = WorkingHours.objects.create(
        clinic=clinic,
        practitioner=practice.practitioner,
        weekday=0,
        starts=dt.time(9),
        ends=dt.time(17),
    )
    return {
        "room": room.pk,
        "type": type_.pk,
        "hours": hours.pk,
        "practitioner": practice.practitioner.pk,
    }


def _user(practice, persona):
    if persona == "other admin":
        return practice.member("other-admin", practice.other_clinic, Role.ADMIN)
    if persona == "sister admin":
        return practice.member("sister-admin", practice.sister_clinic, Role.ADMIN)
    return practice.users[Role(persona)]


def _ours(practice) -> tuple:
    """What this clinic's set-up holds, to see that a refusal changed nothing."""
    clinic = practice.clinic
    return (
        sorted(Room.objects.filter(clinic=clinic).values_list("name", "active")),
        sorted(
            AppointmentType.objects.filter(clinic=clinic).values_list(
                "name", "active", "duration_minutes"
            )
        ),
        WorkingHours.objects.filter(clinic=clinic).count(),
    )


def _call(practice, client_for, user, method, path, body, api: bool):
    if not api:
        return getattr(client_for(user), method)(path, body or {})
    caller = ApiCaller(user)
    if method == "get":
        return caller.get(path)
    if method == "patch":
        return caller.post(path, body, method="patch")
    return caller.post(path, body)


def _check(practice, world, client_for, persona, name, method, path, body, scoped, api):
    user = _user(practice, persona)
    path = path.format(**world)
    before = _ours(practice)
    response = _call(practice, client_for, user, method, path, body, api)
    if persona == "admin" or (
        name in READ_BY_ALL and persona in ("practitioner", "nurse", "reception")
    ):
        assert response.status_code not in (403, 404, 500), response.content[:300]
        return
    if persona in ("practitioner", "nurse", "reception"):
        assert response.status_code == 403, response.content[:300]
    elif scoped:
        assert response.status_code == 404, response.content[:300]
    else:
        assert response.status_code not in (403, 404, 500), response.content[:300]
        assert b"Room Ours" not in response.content and b'"Ours"' not in response.content
    assert _ours(practice) == before, "a refused caller changed this clinic's set-up"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("name", "method", "path", "body", "scoped"), PAGES, ids=[c[0] for c in PAGES]
)
def test_page_access(practice, world, client_for, persona, name, method, path, body, scoped):
    _check(practice, world, client_for, persona, name, method, path, body, scoped, api=False)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("name", "method", "path", "body", "scoped"), ENDPOINTS, ids=[c[0] for c in ENDPOINTS]
)
def test_api_access(practice, world, client_for, persona, name, method, path, body, scoped):
    _check(practice, world, client_for, persona, name, method, path, body, scoped, api=True)


def test_the_calendar_links_the_setup_for_admins_only(practice, world, client_for):
    for role, shown in [(Role.ADMIN, True), (Role.PRACTITIONER, False), (Role.RECEPTION, False)]:
        page = client_for(practice.users[role]).get("/schedule/")
        assert (b'href="/schedule/setup/"' in page.content) is shown, role
