"""The one role check and scoped lookup (`lib.access`): every refusal is in the audit log,
in the category its permission belongs to."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from mesochart.audit.models import AuditEvent, Category, Outcome
from mesochart.lib.access import get_or_404, require
from mesochart.patients.models import Patient

pytestmark = pytest.mark.django_db


def _denied():
    return AuditEvent.objects.filter(outcome=Outcome.DENIED)


def test_a_role_without_the_permission_is_refused_and_audited(practice):
    reception = practice.actor(practice.reception)
    with pytest.raises(PermissionDenied, match=r"plan\.view"):
        require(reception, "plan.view", patient=practice.patient)
    (row,) = _denied()
    assert (row.category, row.patient_id) == (Category.PLANNING, practice.patient.pk)
    assert row.detail == {"permission": "plan.view"}


def test_an_allowed_role_passes_and_writes_nothing(practice):
    require(practice.actor(practice.practitioner), "plan.view")
    assert not _denied().exists()


def test_a_row_outside_the_clinic_is_not_found_and_audited(practice):
    nurse = practice.actor(practice.nurse)
    rows = Patient.objects.in_clinic(nurse.clinic)
    with pytest.raises(Http404):
        get_or_404(
            nurse, rows, practice.other_patient.pk, "patient.view", key="patient_id", what="patient"
        )
    (row,) = _denied()
    assert row.detail == {
        "patient_id": str(practice.other_patient.pk),
        "reason": "not in this clinic",
    }


def test_reception_opening_a_page_its_role_may_not_see_is_audited(practice, client_for):
    """A refusal of the role check alone (no lookup) is audited too (on main it was not)."""
    answer = client_for(practice.nurse).get("/formulary/products/new/")
    assert answer.status_code == 403
    (row,) = _denied()
    assert (row.actor_id, row.category) == (practice.nurse.pk, Category.FORMULARY)
    assert row.detail == {"permission": "formulary.edit"}
