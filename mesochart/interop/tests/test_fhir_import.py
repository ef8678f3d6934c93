"""A patient's FHIR Bundle, exported by mesochart, comes back into another organisation whole:
exported again it is the same Bundle, its signed session still verifies by its signature, and
a Bundle that is invalid, incomplete or changed is refused with nothing imported."""

import base64
import copy
import json
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from click.testing import CliRunner

from mesochart.accounts.models import Clinic, Organisation, User
from mesochart.audit.models import AuditEvent
from mesochart.cli import main
from mesochart.consent.actions.signing import withdraw_consent
from mesochart.consent.models import Consent, QuestionnaireResponse
from mesochart.interop.fhir import media
from mesochart.interop.fhir.bundle import patient_bundle
from mesochart.interop.fhir.codes import INTRADERMAL, SIGNED_CONTENT
from mesochart.interop.importer.actions import import_patient_bundle
from mesochart.interop.importer.errors import ImportRefused
from mesochart.interop.signed import verify
from mesochart.outcomes.models import OutcomeValue
from mesochart.patients.models import Allergy, Patient
from mesochart.testing.consent import screen
from mesochart.testing.sessions import TODAY, receive
from mesochart.treatments.models import AdverseEvent, LotUse, TreatmentSession

IGNORED = {"id", "meta", "fullUrl", "timestamp"}


def normalised(bundle: dict) -> dict:
    """The Bundle without ids, meta and fullUrls, every reference as the type and position of
    the resource it names, and the organisation's own identity (name, slug) left out."""
    positions, counts = {}, {}
    for entry in bundle["entry"]:
        kind = entry["resource"]["resourceType"]
        positions[entry["fullUrl"]] = f"{kind}#{counts.setdefault(kind, 0)}"
        counts[kind] += 1

    def plain(value):
        if isinstance(value, dict):
            return {
                key: positions.get(item, item) if key == "reference" else plain(item)
                for key, item in value.items()
                if key not in IGNORED
            }
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value

    result = plain(bundle)
    for entry in result["entry"]:
        if entry["resource"]["resourceType"] == "Organization":
            entry["resource"].pop("identifier")
            entry["resource"].pop("name")
    return result


def _entries(bundle, kind):
    return [
        (i, e["resource"])
        for i, e in enumerate(bundle["entry"])
        if e["resource"]["resourceType"] == kind
    ]


def _refused(organisation, bundle) -> list[str]:
    patients, audit = Patient.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ImportRefused) as refused:
        import_patient_bundle(organisation, bundle)
    assert (Patient.objects.count(), AuditEvent.objects.count()) == (patients, audit)
    return refused.value.lines()


def test_export_import_export_gives_the_same_bundle(practice, exported, staffed):
    imported = import_patient_bundle(staffed, copy.deepcopy(exported))

    again = patient_bundle(imported.patient)
    assert normalised(again) == normalised(exported)


def test_the_imported_session_stays_signed_and_verifies_by_its_original_signature(
    practice,
    course,
    exported,
    receiving,
):
    imported = import_patient_bundle(receiving, exported)

    [session] = TreatmentSession.objects.filter(patient=imported.patient)
    assert session.signed and session.content_hash == course.content_hash
    assert session.signed_origin.content_hash == course.content_hash
    assert verify(session) and verify(course)
    assert session.point_count == course.point_count == 20
    assert LotUse.objects.filter(session=session).count() == 1  # a recall finds it
    assert session.amendments.get().text == "Called: fine"


def test_an_imported_session_changed_afterwards_no_longer_verifies(
    practice, course, exported, receiving
):
    imported = import_patient_bundle(receiving, exported)
    session = TreatmentSession.objects.get(patient=imported.patient)

    TreatmentSession.objects.filter(pk=session.pk).update(notes="written afterwards")

    assert not verify(TreatmentSession.objects.get(pk=session.pk))


def test_each_family_of_the_record_is_imported_into_the_organisation(practice, exported, receiving):
    imported = import_patient_bundle(receiving, exported)

    patient = imported.patient
    assert (patient.record_number, patient.given_name) == ("MC-000001", "Ana")
    assert patient.clinic.organisation == receiving and patient.clinic.name == "Main Street"
    latex = Allergy.objects.get(patient=patient, substance="Latex")
    assert latex.is_voided
    assert Allergy.objects.get(patient=patient, substance="Soy").severity == "mild"
    assert patient.medications.get().anticoagulant
    assert patient.conditions.get().name == "Hypothyroidism"
    consent = Consent.objects.get(patient=patient)
    assert consent.document_sha256 == Consent.objects.get(patient=practice.patient).document_sha256
    assert QuestionnaireResponse.objects.filter(patient=patient).exists()
    assert patient.plans.get().sessions.exists()
    event = AdverseEvent.objects.get(patient=patient)
    assert event.session.patient == patient and event.lots.get().lot_number == "DCA-001"
    assert practice.practitioner.memberships.filter(clinic__organisation=receiving).exists()


def test_staff_the_bundle_names_who_do_not_work_here_yet_are_given_no_access(
    practice, exported, receiving
):
    import_patient_bundle(receiving, exported)

    arrived = practice.practitioner.memberships.get(clinic__organisation=receiving)
    assert not arrived.active
    assert practice.practitioner.memberships.filter(clinic=practice.clinic, active=True).exists()


def test_an_import_is_audited_by_one_row_naming_what_it_created(practice, exported, receiving):
    imported = import_patient_bundle(receiving, exported)

    [row] = AuditEvent.objects.filter(patient_id=imported.patient.pk)
    assert row.action == "create" and row.detail["import"] == "FHIR R4 Bundle"
    assert row.detail["created"]["patients.Patient"] == 1
    assert row.detail["created"]["treatments.TreatmentSession"] == 1
    assert row.detail["created"]["interop.SignedOrigin"] == 1


def test_a_practitioner_not_known_here_is_created_inactive_without_a_password(
    practice, exported, receiving
):
    for _, practitioner in _entries(exported, "Practitioner"):
        practitioner["name"] = [{"text": "Dr New Comer", "family": "Comer", "given": ["New"]}]
        for qualification in practitioner.get("qualification", []):
            qualification["identifier"][0]["value"] = "NEW-9"

    import_patient_bundle(receiving, exported)

    created = User.objects.get(credential__licence_number="NEW-9")
    assert not created.is_active and not created.has_usable_password()
    assert created.memberships.get().clinic.organisation == receiving


def test_a_changed_grid_point_is_refused_naming_its_fhir_path(practice, exported, receiving):
    [(index, grid)] = [
        (i, b)
        for i, b in _entries(exported, "BodyStructure")
        if b["description"].startswith("Injection")
    ]
    grid["extension"][3]["extension"][0]["valueDecimal"] += 1.0

    assert _refused(receiving, exported) == [
        f"Bundle.entry[{index}].resource.extension[3].extension[0].valueDecimal: differs from "
        "the signed record (its signed-content extension)"
    ]


def test_a_changed_dose_is_refused(practice, exported, receiving):
    [(index, given)] = _entries(exported, "MedicationAdministration")
    given["dosage"]["dose"]["value"] = 9.0

    [line] = _refused(receiving, exported)
    assert line.startswith(f"Bundle.entry[{index}].resource.dosage.dose.value: differs")


def test_signed_content_that_no_longer_hashes_to_the_signature_is_refused(
    practice, exported, receiving
):
    [(index, procedure)] = _entries(exported, "Procedure")
    signed = procedure["extension"][1]
    assert signed["url"] == SIGNED_CONTENT
    content = json.loads(base64.b64decode(signed["valueBase64Binary"]))
    content["notes"] = "a different note"
    signed["valueBase64Binary"] = base64.b64encode(json.dumps(content).encode()).decode()

    assert _refused(receiving, exported) == [
        f"Bundle.entry[{index}].resource.extension[1].valueBase64Binary: its SHA-256 is not "
        "the signed record's hash (content-sha256)"
    ]


def test_a_consent_whose_text_was_changed_is_refused(practice, exported, receiving):
    [(index, consent)] = _entries(exported, "Consent")
    consent["sourceAttachment"]["data"] = base64.b64encode(b"I agree to nothing").decode()

    [line] = _refused(receiving, exported)
    assert line.startswith(f"Bundle.entry[{index}].resource.sourceAttachment.data: its SHA-256")


def test_a_bundle_the_fhir_models_reject_is_refused_naming_the_element(
    practice, exported, receiving
):
    [(index, patient)] = _entries(exported, "Patient")
    patient["birthDate"] = "12 April 1985"

    [line] = _refused(receiving, exported)
    assert line.startswith(f"Bundle.entry[{index}].resource.birthDate: ")


def test_a_reference_to_a_resource_not_in_the_bundle_is_refused(practice, exported, receiving):
    [(index, condition)] = _entries(exported, "Condition")
    condition["subject"] = {"reference": "urn:uuid:00000000-0000-0000-0000-000000000000"}

    assert _refused(receiving, exported) == [
        f"Bundle.entry[{index}].resource.subject.reference: no resource "
        "urn:uuid:00000000-0000-0000-0000-000000000000 in the Bundle"
    ]


def test_a_resource_type_mesochart_does_not_import_is_refused(practice, exported, receiving):
    exported["entry"].append(
        {
            "fullUrl": "urn:uuid:11111111-1111-1111-1111-111111111111",
            "resource": {"resourceType": "Flag", "status": "active", "code": {"text": "x"}},
        }
    )

    assert _refused(receiving, exported) == [
        f"Bundle.entry[{len(exported['entry']) - 1}].resource.resourceType: "
        "mesochart does not import Flag"
    ]


def test_an_unknown_product_is_refused_by_its_name(practice, exported, receiving):
    [(index, lot)] = [(i, m) for i, m in _entries(exported, "Medication") if "batch" in m]
    lot["code"]["text"] = "Snake oil 5 %"

    assert _refused(receiving, exported) == [
        f"Bundle.entry[{index}].resource.code.text: no product 'Snake oil 5 %' in the "
        "formulary of Receiving Practice"
    ]


def test_an_unknown_questionnaire_version_is_refused(practice, exported, receiving):
    for _, questionnaire in _entries(exported, "Questionnaire"):
        questionnaire["version"] = "9.9"

    [line] = _refused(receiving, exported)
    assert line.endswith(".version: mesochart does not know questionnaire version 9.9")


def test_an_organisation_that_already_holds_the_record_number_is_refused(practice, exported):
    [(index, _)] = _entries(exported, "Patient")

    assert _refused(practice.org, exported) == [
        f"Bundle.entry[{index}].resource.identifier[0].value: Test Practice already holds a "
        "patient with record number MC-000001"
    ]


def test_the_console_imports_a_file_and_prints_a_refusal_cleanly(
    practice, exported, receiving, tmp_path
):
    path = tmp_path / "ana.json"
    path.write_text(json.dumps(exported))
    runner = CliRunner()

    done = runner.invoke(main, ["import", "fhir", str(path), "--organisation", "receiving"])
    again = runner.invoke(main, ["import", "fhir", str(path), "--organisation", "receiving"])
    missing = runner.invoke(
        main, ["import", "fhir", str(tmp_path / "no.json"), "--organisation", "receiving"]
    )

    assert done.exit_code == 0, done.output
    assert "Imported LOPEZ, Ana (MC-000001) into Receiving Practice" in done.output
    assert again.exit_code == 2
    assert "already holds a patient with record number MC-000001" in again.output
    assert "Traceback" not in again.output
    assert missing.exit_code == 2 and "FILE: does not exist" in missing.output
    assert Clinic.objects.filter(organisation=receiving).count() == 1


def test_a_course_of_two_sessions_with_two_lots_comes_back_the_same(practice, ready, receiving):
    ready.signed()
    second_lot = receive(practice, lot_number="DCA-002")
    with time_machine.travel(TODAY + timedelta(days=42), tick=False):
        screen(practice, ready.version, area="submental", indication="body_contouring")
        ready.signed(lot=second_lot, notes="Second pass", technique="nappage")
        consent = Consent.objects.get(patient=practice.patient)
        withdraw_consent(ready.membership, consent, {"reason": "Moved away"})
    exported = patient_bundle(practice.patient)

    imported = import_patient_bundle(receiving, copy.deepcopy(exported))

    assert _without_access(normalised(patient_bundle(imported.patient))) == _without_access(
        normalised(exported)
    )
    sessions = TreatmentSession.objects.filter(patient=imported.patient)
    assert [verify(s) for s in sessions] == [True, True]
    assert Consent.objects.get(patient=imported.patient).withdrawn


def test_a_clinic_of_the_same_name_receives_the_patient(practice, exported, receiving):
    main_street = Clinic.objects.create(organisation=receiving, name="Main Street")

    imported = import_patient_bundle(receiving, exported)

    assert imported.patient.clinic == main_street
    assert Clinic.objects.filter(organisation=receiving).count() == 1


def test_a_bundle_whose_sessions_do_not_carry_their_signed_content_is_refused(
    practice, exported, receiving
):
    [(index, procedure)] = _entries(exported, "Procedure")
    del procedure["extension"][1]

    assert _refused(receiving, exported) == [
        f"Bundle.entry[{index}].resource.extension: needs the content-sha256 and signed-content "
        "extensions"
    ]


def test_a_record_imported_once_can_be_handed_on_again(practice, exported, receiving):
    first = import_patient_bundle(receiving, copy.deepcopy(exported))
    onwards = Organisation.objects.create(name="Third Practice", slug="third")

    second = import_patient_bundle(onwards, patient_bundle(first.patient))

    assert _without_access(normalised(patient_bundle(second.patient))) == _without_access(
        normalised(exported)
    )
    [session] = TreatmentSession.objects.filter(patient=second.patient)
    assert verify(session)


def test_a_resource_without_an_element_mesochart_needs_is_refused_naming_it(
    practice, exported, receiving
):
    [(index, allergy), _] = _entries(exported, "AllergyIntolerance")
    del allergy["code"]

    assert _refused(receiving, exported) == [
        f"Bundle.entry[{index}].resource: lacks what mesochart reads here ('code')"
    ]


def test_a_series_that_names_one_session_twice_is_refused(practice, exported, receiving):
    [(index, plan)] = _entries(exported, "CarePlan")
    plan["activity"][1]["detail"]["description"] = "Session 1"

    assert _refused(receiving, exported) == [
        f"Bundle.entry[{index}].resource: repeats a row the Bundle already holds"
    ]


def test_a_changed_route_is_refused(practice, exported, receiving):
    [(index, given)] = _entries(exported, "MedicationAdministration")
    given["dosage"]["route"]["coding"] = [INTRADERMAL]  # signed 4 mm into submental fat

    [line] = _refused(receiving, exported)
    assert line.startswith(f"Bundle.entry[{index}].resource.dosage.route: differs")


def _without_practitioners_activity(bundle: dict) -> dict:
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] == "Practitioner":
            entry["resource"].pop("active")
    return _without_access(bundle)


def _without_access(bundle: dict) -> dict:
    """Whether a person may work at the receiving clinic is that organisation's to grant,
    not the Bundle's: staff new to it arrive with inactive roles."""
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] == "PractitionerRole":
            entry["resource"].pop("active")
    return bundle


@pytest.mark.django_db
def test_every_demo_patient_comes_back_the_same_but_for_staff_created_inactive():
    from mesochart.demo import load_demo

    load_demo(patients_per_clinic=12)
    receiving = Organisation.objects.create(name="Receiving Practice", slug="receiving")
    for patient in list(Patient.objects.select_related("organisation").order_by("pk")):
        exported = patient_bundle(patient)
        # The demo's photos travel beside the Bundle, as in the whole-record zip.
        files = {media.file_path(p): media.verified_image(p) for p in patient.photos.all()}

        imported = import_patient_bundle(receiving, copy.deepcopy(exported), files=files)
        again = patient_bundle(imported.patient)

        assert _without_practitioners_activity(normalised(again)) == (
            _without_practitioners_activity(normalised(exported))
        ), patient.record_number
    created = User.objects.filter(memberships__clinic__organisation=receiving, is_active=False)
    assert created.exists()  # demo staff hold no licence and are named unlike their username
    assert not any(user.has_usable_password() for user in created.distinct())
    names = [user.get_full_name() for user in created.distinct()]
    assert len(names) == len(set(names))  # one placeholder per person, however many imports


def test_outcome_values_come_back_the_same(practice, rated, staffed):
    exported = patient_bundle(practice.patient)

    imported = import_patient_bundle(staffed, copy.deepcopy(exported))

    assert normalised(patient_bundle(imported.patient)) == normalised(exported)
    values = OutcomeValue.objects.filter(patient=imported.patient)
    assert values.count() == practice.patient.outcome_values.count()
    amended = values.get(measure="circumference", amends__isnull=False)
    assert (amended.value, amended.amends.value, amended.amend_reason) == (
        Decimal("90.50"),
        Decimal("91.50"),
        "misread",
    )
    css = values.get(measure="css", context="session")
    assert css.session.patient == imported.patient and css.band == "moderate"
    item = values.get(measure="pro.mirror").clinic_item
    assert (item.clinic, item.levels) == (
        imported.patient.clinic,
        ["Not much", "Somewhat", "A lot"],
    )


def test_a_composite_total_that_is_not_its_items_sum_is_refused(practice, rated, receiving):
    exported = patient_bundle(practice.patient)
    [(index, css), _] = [
        (i, o)
        for i, o in _entries(exported, "Observation")
        if o["code"]["coding"][0]["code"] == "css"
    ]
    css["valueQuantity"]["value"] = 4.0

    assert _refused(receiving, exported) == [
        f"Bundle.entry[{index}].resource.valueQuantity.value: differs from the total of its "
        "components (a composite is computed, never typed)"
    ]


def test_an_observation_of_a_measure_mesochart_does_not_record_is_refused(
    practice, rated, receiving
):
    exported = patient_bundle(practice.patient)
    [(index, pain)] = [
        (i, o)
        for i, o in _entries(exported, "Observation")
        if o["code"]["coding"][0]["code"] == "pain"
    ]
    pain["code"]["coding"][0]["code"] = "iq"

    assert _refused(receiving, exported) == [
        f"Bundle.entry[{index}].resource.code.coding: iq is not a measure mesochart records"
    ]
