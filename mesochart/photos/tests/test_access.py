"""Every photo page and endpoint × every role × another organisation: a role without the
right is refused (403), another organisation's caller finds nothing (404), and neither
response carries the patient's name or a photo."""

import pytest

from mesochart.photos import actions
from mesochart.testing import photos as support
from mesochart.testing.photos import upload
from mesochart.testing.plans import ApiCaller

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

ROLES = ("admin", "practitioner", "nurse", "reception")
CLINICAL = {"admin", "practitioner", "nurse"}
PUBLISH = {"admin", "practitioner"}


@pytest.fixture
def world(practice, take):
    earlier, later = take(support.jpeg(1)), take(support.jpeg(1))
    actions.set_consent(
        practice.actor(practice.nurse),
        practice.patient,
        {"purpose": "education", "decision": "grant"},
    )
    return {"patient": practice.patient.pk, "photo": earlier.pk, "a": earlier.pk, "b": later.pk}


def _no_data(response):
    assert b"Lopez" not in response.content and b"LOPEZ" not in response.content
    assert response.get("Content-Type", "") != "image/jpeg"


def _photo_post():
    return {"area": "face", "view": "front", "photo": upload(support.jpeg(4))}


PAGES = [
    ("get", "/photos/patient/{patient}/", CLINICAL, None),
    ("get", "/photos/patient/{patient}/capture/", CLINICAL, None),
    ("post", "/photos/patient/{patient}/capture/", CLINICAL, _photo_post),
    ("get", "/photos/patient/{patient}/compare/?a={a}&b={b}", CLINICAL, None),
    (
        "post",
        "/photos/patient/{patient}/consent/",
        CLINICAL,
        lambda: {"purpose": "marketing", "decision": "grant"},
    ),
    ("get", "/photos/{photo}/image.jpg", CLINICAL, None),
    ("get", "/photos/{photo}/thumbnail.jpg", CLINICAL, None),
    ("get", "/photos/{photo}/education.jpg", PUBLISH, None),
]


@pytest.mark.parametrize(("method", "path", "allowed", "data"), PAGES, ids=[p[1] for p in PAGES])
def test_pages(practice, world, client_for, method, path, allowed, data):
    url = path.format(**world)
    for role in sorted(ROLES, key=lambda r: r in allowed):
        body = data() if data else {}
        response = getattr(client_for(getattr(practice, role)), method)(url, body)
        if role in allowed:
            assert response.status_code in (200, 302), (role, url, response.status_code)
        else:
            assert response.status_code == 403, (role, url)
            _no_data(response)
    for outsider in (practice.outsider, practice.sister_practitioner):
        response = getattr(client_for(outsider), method)(url, data() if data else {})
        assert response.status_code == 404, url
        _no_data(response)


def test_the_purpose_gallery_is_for_those_who_publish(practice, world, client_for):
    for role in ROLES:
        response = client_for(getattr(practice, role)).get("/photos/purpose/education/")
        assert response.status_code == (200 if role in PUBLISH else 403), role
    outsider = client_for(practice.outsider).get("/photos/purpose/education/")
    assert outsider.status_code == 200
    assert f"/photos/{world['photo']}/" not in outsider.content.decode()


API = [
    ("get", "/patients/{patient}/photos", CLINICAL, None),
    ("post", "/patients/{patient}/photos", CLINICAL, "multipart"),
    ("get", "/photos/{photo}", CLINICAL, None),
    ("get", "/photos/{photo}/image", CLINICAL, None),
    ("get", "/photos/{photo}/thumbnail", CLINICAL, None),
    ("post", "/photos/compare", CLINICAL, {"earlier": "{a}", "later": "{b}"}),
    ("get", "/patients/{patient}/photo-consents", CLINICAL, None),
    (
        "post",
        "/patients/{patient}/photo-consents",
        CLINICAL,
        {"purpose": "marketing", "decision": "grant"},
    ),
]


def _call(api, method, url, body, world):
    if method == "get":
        return api.get(url)
    if body == "multipart":
        return api.client.post("/api/v1" + url, _photo_post())
    filled = {k: int(v.format(**world)) if "{" in str(v) else v for k, v in body.items()}
    return api.post(url, filled)


@pytest.mark.parametrize(("method", "path", "allowed", "body"), API, ids=[p[1] for p in API])
def test_api(practice, world, method, path, allowed, body):
    url = path.format(**world)
    for role in sorted(ROLES, key=lambda r: r in allowed):
        response = _call(ApiCaller(getattr(practice, role)), method, url, body, world)
        if role in allowed:
            # A second grant of the same consent is a 422 (already consented), not a refusal.
            assert response.status_code in (200, 201, 422), (role, url, response.content[:300])
            assert response.status_code != 422 or "already consented" in response.json()["detail"]
        else:
            assert response.status_code == 403, (role, url)
            _no_data(response)
    response = _call(ApiCaller(practice.outsider), method, url, body, world)
    assert response.status_code == 404, url
    _no_data(response)


def test_a_role_refused_by_a_photo_action_or_gallery_is_in_the_audit_log(practice, client_for):
    """The role check is `lib.access.require`, as in every app: each refusal is a ``denied``
    row in the photo category, naming the patient when there is one."""
    from django.core.exceptions import PermissionDenied

    from mesochart.audit.models import AuditEvent

    reception = practice.actor(practice.reception)
    with pytest.raises(PermissionDenied):
        actions.take_photo(reception, practice.patient, support.jpeg(), {"area": "face"})
    with pytest.raises(PermissionDenied):
        actions.set_consent(reception, practice.patient, {"purpose": "education"})
    assert client_for(practice.nurse).get("/photos/purpose/marketing/").status_code == 403
    denied = AuditEvent.objects.filter(outcome="denied").order_by("pk")
    assert [(d.category, d.actor_id, d.patient_id, d.detail["permission"]) for d in denied] == [
        ("photo", practice.reception.pk, practice.patient.pk, "photo.take"),
        ("photo", practice.reception.pk, practice.patient.pk, "photo.consent"),
        ("photo", practice.nurse.pk, None, "photo.publish"),
    ]
