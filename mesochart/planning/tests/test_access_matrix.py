"""Every planning page and endpoint × every role × another clinic and organisation.

Allowed: anything but 403/404. A role without the permission: 403. Staff of another
clinic (same organisation or not): 404, with nothing of the plan or patient in the body.
"""

import pytest

from mesochart.accounts.roles import PERMISSIONS, Role
from mesochart.testing.plans import ApiCaller, new_plan

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

SECRET = "Plan-Zebra-Title"

# (name, kind, method, path template, body, permission, scoped to the plan/patient)
PAGES = [
    ("new plan page", "page", "get", "/plans/patient/{patient}/new/", None, "plan.edit", True),
    (
        "new plan post",
        "page",
        "post",
        "/plans/patient/{patient}/new/",
        {"indication": "other"},
        "plan.edit",
        True,
    ),
    ("plan page", "page", "get", "/plans/{plan}/", None, "plan.view", True),
    ("live check", "page", "post", "/plans/{plan}/check/", None, "plan.view", True),
    ("edit page", "page", "get", "/plans/{plan}/edit/", None, "plan.edit", True),
    ("approve", "page", "post", "/plans/{plan}/approve/", {"version": 1}, "plan.approve", True),
    ("print", "page", "get", "/plans/{plan}/print/", None, "plan.view", True),
    ("plan pdf", "page", "get", "/plans/{plan}/plan.pdf", None, "plan.view", True),
    (
        "propose series",
        "page",
        "post",
        "/plans/{plan}/series/",
        {"first_date": "2026-03-02"},
        "plan.edit",
        True,
    ),
    (
        "move session",
        "page",
        "post",
        "/plans/{plan}/series/move/",
        {"index": "0", "new_date": "2026-03-03"},
        "plan.edit",
        True,
    ),
    ("ics", "page", "get", "/plans/{plan}/series.ics", None, "plan.view", True),
    ("protocols", "page", "get", "/plans/protocols/", None, "plan.view", False),
    ("protocol edit", "page", "get", "/plans/protocols/{protocol}/", None, "protocol.edit", False),
    ("calendar", "page", "get", "/plans/calendar/", None, "calendar.edit", False),
    (
        "aftercare sheet",
        "page",
        "get",
        "/plans/protocols/{protocol}/aftercare/",
        None,
        "aftercare.edit",
        False,
    ),
]
ENDPOINTS = [
    ("api protocols", "api", "get", "/protocols", None, "plan.view", False),
    ("api areas", "api", "get", "/areas", None, "plan.view", False),
    ("api area", "api", "get", "/areas/face-front", None, "plan.view", False),
    (
        "api drawing",
        "api",
        "post",
        "/areas/body-front/abdomen/drawing",
        {"width_cm": 30, "height_cm": 20},
        "plan.view",
        False,
    ),
    (
        "api grid",
        "api",
        "post",
        "/grid",
        {"view": "body-front", "region": "abdomen", "spacing_cm": 2},
        "plan.view",
        False,
    ),
    (
        "api schedule",
        "api",
        "post",
        "/schedule",
        {"first_date": "2026-03-02", "phases": [{"count": 3, "every_days": 7}]},
        "plan.view",
        False,
    ),
    (
        "api create",
        "api",
        "post",
        "/plans",
        {"patient": "{patient}", "indication": "other"},
        "plan.edit",
        True,
    ),
    ("api read", "api", "get", "/plans/{plan}", None, "plan.view", True),
    (
        "api update",
        "api",
        "patch",
        "/plans/{plan}",
        {"notes": "x", "version": 1},
        "plan.edit",
        True,
    ),
    (
        "api regions",
        "api",
        "put",
        "/plans/{plan}/regions",
        {"regions": [], "version": 1},
        "plan.edit",
        True,
    ),
    ("api check", "api", "post", "/plans/{plan}/check", {}, "plan.view", True),
    ("api approve", "api", "post", "/plans/{plan}/approve", {"version": 1}, "plan.approve", True),
    (
        "api series",
        "api",
        "post",
        "/plans/{plan}/series",
        {"first_date": "2026-03-02"},
        "plan.edit",
        True,
    ),
    (
        "api move",
        "api",
        "post",
        "/plans/{plan}/series/move",
        {"index": 0, "new_date": "2026-03-03"},
        "plan.edit",
        True,
    ),
    ("api ics", "api", "get", "/plans/{plan}/series.ics", None, "plan.view", True),
]
CASES = PAGES + ENDPOINTS
PERSONAS = [*[role.value for role in Role], "outsider", "sister"]


@pytest.fixture
def world(practice):
    plan = new_plan(practice, "lipolysis-pcdc", None, title=SECRET)
    from mesochart.testing.plans import protocol

    return {
        "plan": plan.pk,
        "patient": practice.patient.pk,
        "protocol": protocol("lipolysis-pcdc").pk,
    }


def _fill(value, world):
    if isinstance(value, str):
        filled = value.format(**world)
        return int(filled) if value.startswith("{") and filled.isdecimal() else filled
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    return value


def _call(user, kind, method, path, body, client_for):
    if kind == "page":
        client = client_for(user)
        return getattr(client, method)(path, body or {})
    caller = ApiCaller(user)
    if method == "get":
        return caller.get(path)
    return caller.post(path, body or {}, method=method)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("name", "kind", "method", "path", "body", "permission", "scoped"),
    CASES,
    ids=[case[0] for case in CASES],
)
def test_access(
    practice, world, client_for, persona, name, kind, method, path, body, permission, scoped
):
    if persona == "outsider":
        user, role = practice.outsider, Role.PRACTITIONER
    elif persona == "sister":
        user, role = practice.sister_practitioner, Role.PRACTITIONER
    else:
        user, role = practice.users[Role(persona)], Role(persona)
    response = _call(user, kind, method, _fill(path, world), _fill(body, world), client_for)
    allowed = role in PERMISSIONS[permission]
    if not allowed:
        assert response.status_code == 403, response.content[:300]
    elif persona in ("outsider", "sister") and scoped:
        assert response.status_code == 404, response.content[:300]
        assert SECRET.encode() not in response.content
        assert b"Lopez" not in response.content
    else:
        assert response.status_code not in (403, 404), response.content[:300]
