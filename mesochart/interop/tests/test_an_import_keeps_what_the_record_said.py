"""What a Bundle once lost on the way back in now comes back as it was recorded: when each
session was signed, which outcomes made an adverse event serious, a moderate allergy with no
reaction written down, and the plan's areas with their measurements, grid and points."""

import copy
from datetime import timedelta
from decimal import Decimal

from mesochart.consent.models import Consent
from mesochart.interop.fhir.bundle import patient_bundle
from mesochart.interop.fhir.codes import SERIOUS_OUTCOME
from mesochart.interop.importer.actions import import_patient_bundle
from mesochart.interop.tests.test_fhir_import import _entries, _refused, normalised
from mesochart.interop.tests.validators import medplum_problems
from mesochart.patients.models import Allergy
from mesochart.planning.models import PlanRegion
from mesochart.treatments.actions import amend_session
from mesochart.treatments.models import AdverseEvent, Amendment, TreatmentSession

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_a_session_signed_later_in_the_day_keeps_its_signing_time(practice, course, receiving):
    signed_at = course.started_at + timedelta(hours=2, minutes=5)
    TreatmentSession.objects.filter(pk=course.pk).update(signed_at=signed_at)

    imported = import_patient_bundle(receiving, patient_bundle(practice.patient))

    session = TreatmentSession.objects.get(patient=imported.patient)
    assert session.signed_at == signed_at
    assert session.started_at == course.started_at


def test_an_event_serious_by_hospitalisation_and_intervention_stays_so(
    practice, course, receiving, tmp_path
):
    AdverseEvent.objects.filter(patient=practice.patient).update(
        seriousness=["hospitalisation", "intervention"]
    )
    exported = patient_bundle(practice.patient)

    imported = import_patient_bundle(receiving, copy.deepcopy(exported))

    event = AdverseEvent.objects.get(patient=imported.patient)
    assert event.seriousness == ["hospitalisation", "intervention"]
    assert medplum_problems([exported], tmp_path) == []


def test_a_serious_outcome_mesochart_does_not_know_is_refused(practice, course, receiving):
    AdverseEvent.objects.filter(patient=practice.patient).update(seriousness=["death"])
    exported = patient_bundle(practice.patient)
    [(index, event)] = _entries(exported, "AdverseEvent")
    [outcome] = [e for e in event["extension"] if e["url"] == SERIOUS_OUTCOME]
    outcome["valueCoding"]["code"] = "hospitalised"

    [line] = _refused(receiving, exported)
    assert line.startswith(f"Bundle.entry[{index}].resource.extension[0].valueCoding: must be one")


def test_a_moderate_allergy_with_no_reaction_recorded_comes_back_moderate(
    practice, course, receiving
):
    Allergy.objects.create(patient=practice.patient, substance="Chlorhexidine", severity="moderate")

    imported = import_patient_bundle(receiving, patient_bundle(practice.patient))

    allergy = Allergy.objects.get(patient=imported.patient, substance="Chlorhexidine")
    assert (allergy.severity, allergy.reaction) == ("moderate", "")


def test_the_plans_areas_come_back_measured_with_their_points(practice, ready, staffed):
    area = PlanRegion.objects.get(plan=ready.plan)
    area.points = [[1.0, 2.0], [2.5, 2.0, 6.0, 0.05], *area.points[2:]]
    area.circumference_cm, area.volume_ml = Decimal("48.5"), Decimal("0.200")
    area.save()
    exported = patient_bundle(practice.patient)

    imported = import_patient_bundle(staffed, copy.deepcopy(exported))

    again = PlanRegion.objects.get(plan__patient=imported.patient)
    fields = ("view", "region", "position", "width_cm", "height_cm", "circumference_cm",
              "spacing_cm", "pattern", "depth_mm", "volume_ml", "points")  # fmt: skip
    assert [getattr(again, f) for f in fields] == [getattr(area, f) for f in fields]
    assert normalised(patient_bundle(imported.patient)) == normalised(exported)


def test_a_plan_area_whose_spacing_is_not_positive_is_refused_naming_it(practice, ready, receiving):
    exported = patient_bundle(practice.patient)
    [(index, area)] = _entries(exported, "BodyStructure")
    [grid] = [e for e in area["extension"] if e["url"].endswith("/planned-grid")]
    [spacing] = [part for part in grid["extension"] if part["url"] == "spacing-cm"]
    spacing["valueDecimal"] = 0

    [line] = _refused(receiving, exported)
    assert line.startswith(f"Bundle.entry[{index}].resource.extension: spacing-cm: ")


def test_a_consent_comes_back_with_its_drawn_signature_name_and_witness(practice, course, staffed):
    consent = Consent.objects.get(patient=practice.patient)

    imported = import_patient_bundle(staffed, patient_bundle(practice.patient))

    again = Consent.objects.get(patient=imported.patient)
    assert bytes(again.signature_png) == bytes(consent.signature_png) != b""
    assert again.signature_sha256 == consent.signature_sha256
    assert again.signer_name == consent.signer_name
    assert again.witness == consent.witness  # the receiving practice's member of staff


def test_a_correction_comes_back_with_the_fields_it_changed(practice, course, staffed, tmp_path):
    membership = practice.actor(practice.practitioner)
    amend_session(
        membership,
        course,
        {"kind": "correction", "text": "Aftercare was given", "reason": "typed in the wrong box",
         "changes": {"aftercare": "Ice, no exercise for 24 h"}},
    )  # fmt: skip
    exported = patient_bundle(practice.patient)

    imported = import_patient_bundle(staffed, copy.deepcopy(exported))

    correction = Amendment.objects.get(session__patient=imported.patient, kind="correction")
    assert correction.changes == {
        "aftercare": {"from": course.aftercare, "to": "Ice, no exercise for 24 h"}
    }
    assert normalised(patient_bundle(imported.patient)) == normalised(exported)
    assert medplum_problems([exported], tmp_path) == []


def test_a_correction_of_a_field_mesochart_cannot_correct_is_refused(practice, course, receiving):
    membership = practice.actor(practice.practitioner)
    amend_session(
        membership,
        course,
        {
            "kind": "correction",
            "text": "Aftercare",
            "reason": "missed",
            "changes": {"aftercare": "Ice"},
        },
    )
    exported = patient_bundle(practice.patient)
    [(index, correction)] = [
        (i, p) for i, p in _entries(exported, "Provenance") if p.get("extension")
    ]
    correction["extension"][0]["extension"][0]["valueString"] = "signed_by"

    [line] = _refused(receiving, exported)
    assert line.startswith(f"Bundle.entry[{index}].resource.extension[0].field: must be one of")
