"""Every calendar page and endpoint × every role × another clinic and organisation.

Allowed: anything but 403/404. A user with no role at any clinic: 403 everywhere. Staff of
another clinic: 404 for anything that names this clinic's appointment, plan or patient, with
nothing of the patient in the body; their own clinic's calendar shows none of ours.
"""

import datetime as dt

import pytest

from mesochart.accounts.models import Membership, User
from mesochart.accounts.roles import Role
from mesochart.planning.models import PlanStatus
from mesochart.scheduling.models import Appointment, AppointmentType, Kind, Room, WorkingHours
from mesochart.testing.plans import ApiCaller, new_plan

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

LATER = "2026-03-03T11:00"

PAGES = [
    ("day", "page", "get", "/schedule/", None, False),
    ("week", "page", "get", "/schedule/week/", None, False),
    ("book page", "page", "get", "/schedule/book/", None, False),
    ("unconfirmed", "page", "get", "/schedule/unconfirmed/", None, False),
    ("feed page", "page", "get", "/schedule/feed/", None, False),
    ("book", "page", "post", "/schedule/book/", {"patient": "{patient}"}, True),
    ("series page", "page", "get", "/schedule/plan/{plan}/series/", None, True),
    ("series", "page", "post", "/schedule/plan/{plan}/series/", {}, True),
    ("appointment", "page", "get", "/schedule/{appointment}/", None, True),
    ("move", "page", "post", "/schedule/{appointment}/move/", {"starts_at": LATER}, True),
    ("cancel", "page", "post", "/schedule/{appointment}/cancel/", {"reason": "x"}, True),
]
ENDPOINTS = [
    ("api list", "api", "get", "/appointments?date=2026-03-03", None, False),
    ("api read", "api", "get", "/appointments/{appointment}", None, True),
    (
        "api book",
        "api",
        "post",
        "/appointments",
        {
            "patient": "{patient}",
            "practitioner": "{practitioner}",
            "type": "{type}",
            "starts_at": "2026-03-03T14:00:00+00:00",
        },
        True,
    ),
    ("api move", "api", "post", "/appointments/{appointment}/move", {"starts_at": LATER}, True),
    ("api cancel", "api", "post", "/appointments/{appointment}/cancel", {"reason": "x"}, True),
    (
        "api series",
        "api",
        "post",
        "/plans/{plan}/appointments",
        {"practitioner": "{practitioner}", "type": "{type}", "time": "10:00"},
        True,
    ),
    (
        "api free slots",
        "api",
        "get",
        "/free-slots?practitioner={practitioner}&type={type}&date=2026-03-03",
        None,
        True,
    ),
]
CASES = PAGES + ENDPOINTS
# Cases open to some roles only (the rest: every role). A feed is for staff who treat.
ONLY = {"feed page": {"practitioner", "nurse", "outsider", "sister"}}
PERSONAS = [*[role.value for role in Role], "outsider", "sister", "no role"]


@pytest.fixture
def world(practice):
    clinic = practice.clinic
    kind = AppointmentType.objects.create(
        clinic=clinic, name="Consultation", kind=Kind.CONSULTATION, duration_minutes=30
    )
    Room.objects.create(clinic=clinic, name="Room 1")
    for d in range(5):
        WorkingHours.objects.create(
            clinic=clinic,
            practitioner=practice.practitioner,
            weekday=d,
            starts=dt.time(9),
            ends=dt.time(17),
        )
    appointment = Appointment.objects.create(
        clinic=clinic,
        patient=practice.patient,
        practitioner=practice.practitioner,
        type=kind,
        starts_at=dt.datetime(2026, 3, 3, 10, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 3, 3, 10, 30, tzinfo=dt.UTC),
        booked_by=practice.reception,
    )
    plan = new_plan(practice)
    plan.status = PlanStatus.APPROVED  # written directly, with what approval records
    plan.approved_by = practice.practitioner
    plan.approved_at = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    plan.save()
    return {
        "appointment": appointment.pk,
        "patient": practice.patient.pk,
        "plan": plan.pk,
        "practitioner": practice.practitioner.pk,
        "type": kind.pk,
    }


def _fill(value, world):
    if isinstance(value, str):
        filled = value.format(**world)
        return int(filled) if value.startswith("{") and filled.isdecimal() else filled
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    return value


def _user(practice, persona):
    if persona == "outsider":
        return practice.outsider
    if persona == "sister":
        return practice.sister_practitioner
    if persona == "no role":
        user = User.objects.create_user(username="former", password="a-long-test-password-1")
        Membership.objects.create(user=user, clinic=practice.clinic, role=Role.NURSE, active=False)
        return user
    return practice.users[Role(persona)]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("name", "kind", "method", "path", "body", "scoped"), CASES, ids=[c[0] for c in CASES]
)
def test_access(practice, world, client_for, persona, name, kind, method, path, body, scoped):
    user = _user(practice, persona)
    path, body = _fill(path, world), _fill(body, world)
    if kind == "page":
        response = getattr(client_for(user), method)(path, body or {})
    elif persona == "no role":
        pytest.skip("an API token is issued for a clinic role; without one there is no token")
    elif method == "get":
        response = ApiCaller(user).get("/schedule" + path)
    else:
        response = ApiCaller(user).post("/schedule" + path, body or {})
    if persona == "no role" or persona not in ONLY.get(name, {persona}):
        assert response.status_code == 403, response.content[:300]
    elif persona in ("outsider", "sister") and scoped:
        assert response.status_code == 404, response.content[:300]
        assert b"Lopez" not in response.content
    else:
        assert response.status_code not in (403, 404, 500), response.content[:300]
        stranger = b"Lopez" if persona in ("outsider", "sister") else b"Secret"
        assert stranger not in response.content
