"""Every action is given one actor: the member of staff, their clinic, and where the act came
from. The audit row of a write made through a page or the API names the client's address
(planning's writes named none before the actor), and a refusal stops before anything is
written."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from mesochart.accounts.actor import Actor
from mesochart.accounts.models import ApiToken
from mesochart.audit.models import AuditEvent
from mesochart.planning.models import Plan
from mesochart.testing.plans import API, protocol

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db

DESK_ADDRESS = "192.0.2.17"  # TEST-NET-1 (RFC 5737): an address that is no one's


def _plan_data(practice) -> dict:
    return {"indication": "body_contouring", "protocol": protocol("lipolysis-pcdc").pk}


def test_a_plan_made_on_the_page_is_audited_with_the_desks_address(practice, client_for):
    browser = client_for(practice.practitioner)
    response = browser.post(
        f"/plans/patient/{practice.patient.pk}/new/",
        _plan_data(practice),
        REMOTE_ADDR=DESK_ADDRESS,
    )
    assert response.status_code == 302
    plan = Plan.objects.get(patient=practice.patient)
    row = AuditEvent.objects.get(object_type="plan", object_id=str(plan.pk), action="create")
    assert (row.ip_address, row.actor_id, row.clinic_id) == (
        DESK_ADDRESS,
        practice.practitioner.pk,
        practice.clinic.pk,
    )


def test_a_plan_made_through_the_api_is_audited_with_the_callers_address(practice):
    _, raw = ApiToken.issue(practice.practitioner, practice.clinic, "tests", second_factor=True)
    caller = Client(headers={"Authorization": f"Bearer {raw}"})
    response = caller.post(
        f"{API}/plans",
        {"patient": practice.patient.pk, **_plan_data(practice)},
        content_type="application/json",
        REMOTE_ADDR=DESK_ADDRESS,
    )
    assert response.status_code == 201, response.content
    row = AuditEvent.objects.filter(object_type="plan", action="create").get()
    assert row.ip_address == DESK_ADDRESS


def test_an_actor_without_a_request_names_no_address(practice):
    from mesochart.planning import actions

    plan = actions.create_plan(
        practice.actor(practice.practitioner), practice.patient, _plan_data(practice)
    )
    row = AuditEvent.objects.get(object_type="plan", object_id=str(plan.pk), action="create")
    assert row.ip_address is None and row.clinic_id == practice.clinic.pk


def test_a_role_without_the_permission_is_refused_before_anything_is_written(practice):
    from mesochart.planning import actions

    with pytest.raises(PermissionDenied):
        actions.create_plan(
            practice.actor(practice.reception), practice.patient, _plan_data(practice)
        )
    assert not Plan.objects.exists()


def test_an_actor_at_no_clinic_has_no_clinic_to_act_at(practice):
    nobody = Actor(user=practice.practitioner, membership=None)
    with pytest.raises(PermissionError):
        nobody.clinic  # noqa: B018 - reading it is the act under test


def test_a_recall_and_a_record_export_are_audited_with_the_callers_address(practice):
    from dataclasses import replace

    from mesochart.interop.export import export_patient_fhir
    from mesochart.treatments.recall import run_recall

    admin = replace(practice.actor(practice.admin), ip=DESK_ADDRESS)
    run_recall(admin, "NO-SUCH-LOT")
    export_patient_fhir(admin, practice.patient.pk)
    rows = AuditEvent.objects.filter(action="export").order_by("pk")
    assert [row.ip_address for row in rows] == [DESK_ADDRESS, DESK_ADDRESS]
