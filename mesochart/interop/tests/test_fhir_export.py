"""A patient's whole record leaves as one FHIR R4 Bundle that two independent validators
accept, with the signed record's hash, the injected sites, routes and doses, and the lots."""

import base64
import hashlib
import io
import json
import zipfile
from collections import Counter

import pytest
from click.testing import CliRunner
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mesochart.audit.models import Action, AuditEvent
from mesochart.cli import main
from mesochart.interop.fhir.bundle import patient_bundle
from mesochart.interop.fhir.codes import (
    CONTENT_HASH,
    INTRADERMAL,
    LOCAL,
    SIGNED_AT,
    SIGNED_CONTENT,
    SNOMED,
    SUBCUTANEOUS,
    body_site,
    route_of,
)
from mesochart.interop.fhir.medication import strength_ratio
from mesochart.interop.tests.validators import medplum_problems
from mesochart.testing.plans import ApiCaller
from mesochart.testing.sessions import signed_history
from mesochart.treatments.content import canonical

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def _resources(bundle, kind):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_a_whole_course_exports_as_a_bundle_both_validators_accept(practice, course, tmp_path):
    bundle = patient_bundle(practice.patient)

    kinds = Counter(entry["resource"]["resourceType"] for entry in bundle["entry"])
    assert kinds["Patient"] == 1
    assert kinds["AllergyIntolerance"] == 2
    assert kinds["MedicationStatement"] == kinds["Condition"] == 1
    assert kinds["Procedure"] == kinds["MedicationAdministration"] == 1
    assert kinds["BodyStructure"] == 2  # the session's grid, and the plan's area
    assert kinds["AdverseEvent"] == kinds["Consent"] == 1
    assert kinds["Provenance"] == 2  # the addendum, and who signed the consent
    assert kinds["CarePlan"] == 1
    assert kinds["Medication"] == 2  # the cocktail version and the lot given
    assert medplum_problems([bundle], tmp_path) == []


def test_the_procedure_carries_the_signed_record_hash_and_the_area_its_dose(practice, course):
    bundle = patient_bundle(practice.patient)

    [procedure] = _resources(bundle, "Procedure")
    [given] = _resources(bundle, "MedicationAdministration")
    [grid] = [
        b
        for b in _resources(bundle, "BodyStructure")
        if given["supportingInformation"] == [{"reference": f"urn:uuid:{b['id']}"}]
    ]
    [lot] = [m for m in _resources(bundle, "Medication") if "batch" in m]
    [signed_hash, signed, signed_at] = procedure["extension"]
    assert signed_at == {"url": SIGNED_AT, "valueDateTime": course.signed_at.isoformat()}
    assert signed_hash == {"url": CONTENT_HASH, "valueString": course.content_hash}
    assert signed["url"] == SIGNED_CONTENT  # the content itself, so it verifies anywhere
    text = base64.b64decode(signed["valueBase64Binary"])
    assert hashlib.sha256(text).hexdigest() == course.content_hash
    assert json.loads(text) == canonical(course, list(course.products.all()))
    assert procedure["status"] == "completed"
    assert given["partOf"] == [{"reference": f"urn:uuid:{procedure['id']}"}]
    assert given["dosage"]["dose"]["value"] == pytest.approx(20 * 0.2)
    assert given["dosage"]["route"]["coding"] == [SUBCUTANEOUS]  # into submental fat
    assert len(grid["extension"]) == 1 + 20  # the chart view, then each point
    assert lot["batch"] == {"lotNumber": "DCA-001", "expirationDate": "2027-01-31"}
    assert {"reference": f"urn:uuid:{lot['id']}"} in procedure["usedReference"]


def test_an_entry_made_in_error_is_exported_as_such_without_a_clinical_status(practice, course):
    allergies = _resources(patient_bundle(practice.patient), "AllergyIntolerance")

    [latex] = [a for a in allergies if a["code"]["text"] == "Latex"]
    assert latex["verificationStatus"]["coding"][0]["code"] == "entered-in-error"
    assert "clinicalStatus" not in latex


def test_the_consent_carries_the_signed_text_whose_sha256_is_the_one_signed(practice, course):
    [consent] = _resources(patient_bundle(practice.patient), "Consent")

    attachment = consent["sourceAttachment"]
    text = base64.b64decode(attachment["data"])
    assert hashlib.sha256(text).hexdigest() == attachment["extension"][0]["valueString"]
    assert base64.b64decode(attachment["hash"]) == hashlib.sha1(text).digest()  # noqa: S324


def test_the_adverse_event_names_the_session_and_the_lot_as_suspects(practice, course):
    bundle = patient_bundle(practice.patient)

    [event] = _resources(bundle, "AdverseEvent")
    [procedure] = _resources(bundle, "Procedure")
    suspects = [s["instance"]["reference"] for s in event["suspectEntity"]]
    assert suspects[0] == f"urn:uuid:{procedure['id']}"
    assert len(suspects) == 2
    assert event["seriousness"]["coding"][0]["code"] == "non-serious"


def test_exporting_twice_gives_the_same_resources(practice, course):
    first, second = patient_bundle(practice.patient), patient_bundle(practice.patient)

    assert first["entry"] == second["entry"]


def test_the_export_reads_as_many_queries_for_fifty_sessions_as_for_one(practice, ready):
    signed_history(ready, 1, addenda=True)
    with CaptureQueriesContext(connection) as one:
        patient_bundle(practice.patient)
    signed_history(ready, 49, addenda=True)
    with CaptureQueriesContext(connection) as fifty:
        bundle = patient_bundle(practice.patient)

    assert len(_resources(bundle, "Procedure")) == 50
    assert len(fifty.captured_queries) == len(one.captured_queries)


def test_a_thigh_region_is_coded_in_snomed_ct_by_its_side_and_in_mesocharts_own_codes():
    site = body_site("thigh-posterior-left", "Back of left thigh")

    assert site["coding"][0] == {
        "system": SNOMED,
        "code": "61396006",
        "display": "Left thigh structure",
    }
    assert site["coding"][1]["code"] == "thigh-posterior-left"
    assert body_site("submental", "Submental")["coding"][0]["system"] != SNOMED


def test_injections_deeper_than_four_millimetres_or_into_fat_are_subcutaneous():
    assert route_of(2, "skin_rejuvenation") == INTRADERMAL
    assert route_of(None, "hair_loss") == INTRADERMAL
    assert route_of(6, "hair_loss") == SUBCUTANEOUS
    assert route_of(None, "body_contouring") == SUBCUTANEOUS


def test_strengths_become_ratios_per_millilitre():
    assert strength_ratio("10 mg/mL")["numerator"]["value"] == 10
    assert strength_ratio("2 % w/v") == {
        "numerator": {
            "value": 2.0,
            "unit": "g",
            "system": "http://unitsofmeasure.org",
            "code": "g",
        },
        "denominator": {
            "value": 100.0,
            "unit": "mL",
            "system": "http://unitsofmeasure.org",
            "code": "mL",
        },
    }
    assert strength_ratio("a pinch") is None


def test_only_clinicians_and_the_owner_export_a_record_and_each_export_is_audited(practice, course):
    url = f"/patients/{practice.patient.pk}/fhir"
    for role, status in (("admin", 200), ("practitioner", 200), ("nurse", 403), ("reception", 403)):
        response = ApiCaller(getattr(practice, role)).get(url)
        assert response.status_code == status, role
        if status == 403:
            assert "Lopez" not in response.content.decode()
    outsider = ApiCaller(practice.outsider).get(url)
    assert outsider.status_code == 404
    assert "Lopez" not in outsider.content.decode()
    exports = AuditEvent.objects.filter(action=Action.EXPORT, patient_id=practice.patient.pk)
    assert exports.count() == 2
    assert exports.first().detail["format"] == "FHIR R4 Bundle"


def test_the_console_writes_the_bundle_and_the_zip_and_names_an_unknown_record(
    practice, course, tmp_path
):
    bundle_file, archive = tmp_path / "lopez.json", tmp_path / "lopez.zip"
    where = ["--organisation", "test-practice", "--fhir", str(bundle_file)]
    runner = CliRunner()

    done = runner.invoke(main, ["export", "patient", "MC-000001", *where, "--zip", str(archive)])
    missing = runner.invoke(main, ["export", "patient", "MC-999999", *where])

    assert done.exit_code == 0, done.output
    assert json.loads(bundle_file.read_text())["resourceType"] == "Bundle"
    assert "fhir/bundle.json" in zipfile.ZipFile(archive).namelist()
    assert missing.exit_code == 2
    assert "record_number: no patient MC-999999 in Test Practice" in missing.output


@pytest.mark.django_db
def test_every_demo_patient_exports_resources_both_validators_accept(tmp_path):
    from mesochart.demo import load_demo
    from mesochart.outcomes.models import OutcomeValue
    from mesochart.patients.models import Patient

    load_demo(patients_per_clinic=12)
    bundles = [
        patient_bundle(patient)
        for patient in Patient.objects.select_related("organisation").order_by("pk")
    ]

    assert sum(len(_resources(b, "Procedure")) for b in bundles) >= 1
    observations = [o for b in bundles for o in _resources(b, "Observation")]
    assert len(observations) == OutcomeValue.objects.count() > 0
    assert any("dataAbsentReason" in o for o in observations)  # a value not measured
    media = [m for b in bundles for m in _resources(b, "Media")]
    assert len(media) == 2  # the demo's two synthetic photos, taken with consent
    assert medplum_problems(bundles, tmp_path) == []


def test_mesocharts_own_code_systems_are_published_with_every_code_an_export_uses(
    practice, rated, client
):
    bundle = patient_bundle(practice.patient)
    used = {
        (coding["system"], coding["code"])
        for coding in _codings(bundle)
        if coding["system"].startswith(f"{LOCAL}/")
    }

    for system in {system for system, _ in used}:
        name = system.removeprefix(f"{LOCAL}/")
        response = client.get(f"/api/v1/fhir/CodeSystem/{name}")
        assert response.status_code == 200, name
        published = {c["code"] for c in response.json()["concept"]}
        assert {code for s, code in used if s == system} <= published, name
    assert client.get("/api/v1/fhir/CodeSystem/nonsense").status_code == 404


def _codings(value):
    if isinstance(value, dict):
        if "system" in value and "code" in value:
            yield value
        for item in value.values():
            yield from _codings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _codings(item)


def test_the_whole_record_zip_holds_the_bundle_each_type_as_ndjson_and_every_pdf(
    practice, course, client_for
):
    response = client_for(practice.admin).get(f"/api/v1/patients/{practice.patient.pk}/record.zip")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="record-MC-000001.zip"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = set(archive.namelist())
        bundle = json.loads(archive.read("fhir/bundle.json"))
        procedures = archive.read("fhir/Procedure.ndjson").decode().splitlines()
        pdfs = [archive.read(name) for name in names if name.endswith(".pdf")]
    assert {"README.md", "fhir/bundle.json", "fhir/Patient.ndjson"} <= names
    assert [json.loads(line) for line in procedures] == _resources(bundle, "Procedure")
    sessions = {name for name in names if name.startswith("documents/session-")}
    assert len(sessions) == len(procedures)  # each signed session's record, as printed
    assert len(pdfs) == 2 + len(sessions)  # and the consent and the adverse-event report
    assert all(pdf.startswith(b"%PDF") for pdf in pdfs)
    audited = AuditEvent.objects.filter(action=Action.EXPORT, patient_id=practice.patient.pk)
    assert audited.get().detail["format"] == "whole record (zip)"


def test_only_clinicians_and_the_owner_download_the_whole_record(practice, course, client_for):
    url = f"/api/v1/patients/{practice.patient.pk}/record.zip"

    for role, status in (("admin", 200), ("practitioner", 200), ("nurse", 403), ("reception", 403)):
        assert client_for(getattr(practice, role)).get(url).status_code == status, role
    assert client_for(practice.outsider).get(url).status_code == 404
    chart = client_for(practice.admin).get(f"/patients/{practice.patient.pk}/").content.decode()
    assert "Export the whole record" in chart
    nurse_chart = client_for(practice.nurse).get(f"/patients/{practice.patient.pk}/")
    assert "Export the whole record" not in nurse_chart.content.decode()


def test_every_reference_in_the_bundle_resolves_to_a_resource_in_it(practice, course):
    bundle = patient_bundle(practice.patient)

    urls = {entry["fullUrl"] for entry in bundle["entry"]}
    references = set(_references(bundle))
    assert references, "the bundle refers to its resources"
    assert references <= urls


def _references(value):
    if isinstance(value, dict):
        if isinstance(value.get("reference"), str):
            yield value["reference"]
        for item in value.values():
            yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


def test_each_set_of_answers_leaves_with_the_questionnaire_it_answers(practice, course):
    bundle = patient_bundle(practice.patient)

    [asked] = _resources(bundle, "Questionnaire")
    [answered] = _resources(bundle, "QuestionnaireResponse")
    assert answered["questionnaire"] == f"{asked['url']}|{asked['version']}"
    questions = {item["linkId"]: item for item in asked["item"]}
    assert answered["item"]
    for item in answered["item"]:
        [answer] = item["answer"]
        question = questions[item["linkId"]]
        if question["type"] == "choice":
            offered = [option["valueCoding"] for option in question["answerOption"]]
            assert answer["valueCoding"] in offered, item["linkId"]
    about_site = [
        i for i in answered["item"] if "the treatment area" in questions[i["linkId"]]["text"]
    ]
    assert about_site
    assert all("submental" in item["text"] for item in about_site)
    assert answered["extension"][0]["valueString"] == "submental"
