"""An approved plan travels with who approved it and when (the approval extension of its
CarePlan), so it arrives approved as it was; an active CarePlan naming no approval is refused,
never imported as an approved plan without an approver."""

import pytest

from mesochart.interop.fhir.bundle import patient_bundle
from mesochart.interop.fhir.codes import APPROVAL
from mesochart.interop.importer.actions import import_patient_bundle
from mesochart.interop.importer.errors import ImportRefused
from mesochart.planning.models import Plan

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def _care_plan(bundle) -> dict:
    [entry] = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "CarePlan"]
    return entry["resource"]


def test_an_approved_plan_arrives_with_its_approver_and_time(practice, ready, receiving):
    imported = import_patient_bundle(receiving, patient_bundle(practice.patient))

    plan = Plan.objects.get(patient=imported.patient)
    assert plan.status == "approved"
    assert plan.approved_by == ready.plan.approved_by == practice.practitioner
    assert plan.approved_at == ready.plan.approved_at


def test_an_active_care_plan_without_its_approval_is_refused(practice, ready, receiving):
    bundle = patient_bundle(practice.patient)
    del _care_plan(bundle)["extension"]

    with pytest.raises(ImportRefused) as refused:
        import_patient_bundle(receiving, bundle)
    assert not Plan.objects.filter(clinic__organisation=receiving).exists()
    [line] = refused.value.lines()
    assert line.endswith(f"extension: an active CarePlan must name its approval ({APPROVAL})")
