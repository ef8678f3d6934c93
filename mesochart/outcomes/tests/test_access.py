"""Every outcome page and endpoint: another clinic's user is not let in (404), a too-junior
role (reception) is refused (403), and opening health data writes an audit read row."""

import pytest

from mesochart.audit.models import AuditEvent
from mesochart.conftest import signed_in
from mesochart.outcomes.tests.conftest import circumference

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

PAGES = ["/outcomes/plan/{plan}/", "/outcomes/plan/{plan}/progress/"]


def urls(ready, value):
    return {
        "plan": ready.plan.pk,
        "patient": ready.practice.patient.pk,
        "value": value.pk,
    }


@pytest.fixture
def value(ready):
    return circumference(ready)


@pytest.mark.parametrize("page", PAGES)
def test_pages_open_for_the_clinic_and_write_a_read_row(ready, value, page):
    before = AuditEvent.objects.filter(action="read", category="outcome").count()
    response = signed_in(ready.practice.nurse).get(page.format(**urls(ready, value)))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="read", category="outcome").count() == before + 1


@pytest.mark.parametrize("page", PAGES)
def test_another_clinics_user_and_reception_are_refused_a_page(ready, value, page):
    url = page.format(**urls(ready, value))
    assert signed_in(ready.practice.outsider).get(url).status_code == 404
    assert signed_in(ready.practice.reception).get(url).status_code == 403
    assert not AuditEvent.objects.filter(
        action="read", outcome="success", category="outcome", actor_id=ready.practice.reception.pk
    ).exists()


def test_recording_and_amending_from_the_page_are_refused_outside_the_clinic_and_role(ready, value):
    data = {"measure": "weight", "context": "baseline", "measured_on": "2026-03-01",
            "value": "60", "rater_role": "practitioner"}  # fmt: skip
    record = f"/outcomes/plan/{ready.plan.pk}/"
    amend = f"/outcomes/value/{value.pk}/amend/"
    for user, status in ((ready.practice.outsider, 404), (ready.practice.reception, 403)):
        client = signed_in(user)
        assert client.post(record, data).status_code == status
        assert client.post(amend, {"value": "57", "amend_reason": "x"}).status_code == status
    assert signed_in(ready.practice.nurse).post(record, data).status_code == 302


API = [
    ("get", "/api/v1/patients/{patient}/outcomes", None),
    ("post", "/api/v1/patients/{patient}/outcomes",
     {"plan": "{plan}", "measure": "weight", "context": "baseline", "measured_on": "2026-03-01",
      "value": "60", "rater_role": "practitioner"}),
    ("post", "/api/v1/outcomes/{value}/amend", {"amend_reason": "typo", "value": "57.5"}),
]  # fmt: skip


def _call(client, method, url, body, ids):
    if body is not None:
        body = {k: (int(v.format(**ids)) if v == "{plan}" else v) for k, v in body.items()}
        return client.post(url.format(**ids), body, content_type="application/json")
    return client.get(url.format(**ids))


@pytest.mark.parametrize(("method", "url", "body"), API)
def test_endpoints_refuse_another_clinic_and_reception(ready, value, method, url, body):
    ids = urls(ready, value)
    assert _call(signed_in(ready.practice.outsider), method, url, body, ids).status_code == 404
    assert _call(signed_in(ready.practice.reception), method, url, body, ids).status_code == 403
    allowed = _call(signed_in(ready.practice.practitioner), method, url, body, ids)
    assert allowed.status_code in (200, 201), allowed.content


def test_the_api_list_writes_a_read_row(ready, value):
    client = signed_in(ready.practice.practitioner)
    before = AuditEvent.objects.filter(action="read", category="outcome").count()
    response = client.get(f"/api/v1/patients/{ready.practice.patient.pk}/outcomes")
    fixture = {value.pk for value in ready.baselines}  # taken before the plan's approval
    assert [row["value"] for row in response.json() if row["id"] not in fixture] == ["58.00"]
    assert AuditEvent.objects.filter(action="read", category="outcome").count() == before + 1


def test_scales_and_scoring_need_a_signed_in_member(ready):
    anonymous = signed_in(ready.practice.practitioner)
    anonymous.logout()
    assert anonymous.get("/api/v1/scales").status_code == 401
    assert anonymous.post("/api/v1/scales/css/score", {"items": {}},
                          content_type="application/json").status_code == 401  # fmt: skip


def test_a_refused_plan_is_written_to_the_audit_log_as_denied(ready, value):
    signed_in(ready.practice.outsider).get(f"/outcomes/plan/{ready.plan.pk}/progress/")
    signed_in(ready.practice.reception).get(f"/outcomes/plan/{ready.plan.pk}/progress/")
    denied = AuditEvent.objects.filter(outcome="denied", category="outcome")
    assert set(denied.values_list("actor_id", flat=True)) == {
        ready.practice.outsider.pk, ready.practice.reception.pk
    }  # fmt: skip


def test_a_role_refused_by_an_outcome_action_is_in_the_audit_log(ready):
    """The role check is `lib.access.require`, as in every app: a refusal is a ``denied`` row
    in the outcome category naming the plan's patient."""
    from django.core.exceptions import PermissionDenied

    from mesochart.outcomes import actions

    reception = ready.practice.actor(ready.practice.reception)
    with pytest.raises(PermissionDenied):
        actions.record_value(reception, ready.plan, {"measure": "circumference"})
    (denied,) = AuditEvent.objects.filter(outcome="denied")
    assert (denied.category, denied.actor_id) == ("outcome", ready.practice.reception.pk)
    assert (denied.patient_id, denied.detail) == (
        ready.plan.patient_id,
        {"permission": "outcome.record"},
    )
