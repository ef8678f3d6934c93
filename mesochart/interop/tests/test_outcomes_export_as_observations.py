"""Every outcome value leaves as an Observation: a composite's total with its items as
components, units in UCUM, who rated, when, the plan it serves and the session it was taken
at; a value not measured says why; an amended value and the value amending it both leave,
linked by a Provenance. A clinic's own items carry their definition."""

from mesochart.interop.fhir.bundle import patient_bundle
from mesochart.interop.fhir.codes import LOCAL, UCUM
from mesochart.interop.fhir.outcomes import CLINIC_ITEM
from mesochart.interop.tests.validators import medplum_problems

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def _resources(bundle, kind):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _coded(bundle, code):
    return [o for o in _resources(bundle, "Observation") if o["code"]["coding"][0]["code"] == code]


def _url(resource):
    return {"reference": f"urn:uuid:{resource['id']}"}


def test_every_value_leaves_as_an_observation_both_validators_accept(practice, rated, tmp_path):
    bundle = patient_bundle(practice.patient)

    observations = _resources(bundle, "Observation")
    assert len(observations) == practice.patient.outcome_values.count()
    assert medplum_problems([bundle], tmp_path) == []


def test_a_css_total_has_its_items_as_components_and_the_session_it_was_taken_at(practice, rated):
    bundle = patient_bundle(practice.patient)
    [procedure] = _resources(bundle, "Procedure")
    [plan] = _resources(bundle, "CarePlan")

    complete, partial = _coded(bundle, "css")
    assert complete["valueQuantity"] == {
        "value": 10.0, "unit": "points", "system": UCUM, "code": "{score}",
    }  # fmt: skip
    assert [c["valueInteger"] for c in complete["component"]] == [2] * 5
    assert complete["component"][0]["code"]["coding"][0]["code"] == "css.A"
    assert complete["interpretation"] == [{"text": "moderate"}]
    assert complete["partOf"] == [_url(procedure)] and complete["basedOn"] == [_url(plan)]
    assert complete["bodySite"] == {"text": "left thigh"}
    assert complete["effectiveDateTime"] == "2026-03-02"
    assert "partOf" not in partial  # a follow-up, at no session
    assert partial["dataAbsentReason"]["coding"][0]["code"] == "unknown"
    assert [c.get("valueInteger") for c in partial["component"]] == [1, 1, None, None, None]
    assert partial["component"][2]["dataAbsentReason"]["coding"][0]["code"] == "not-asked"


def test_who_rated_is_the_performer_and_a_patients_rating_is_a_survey(practice, rated):
    bundle = patient_bundle(practice.patient)
    [patient] = _resources(bundle, "Patient")

    [pain] = _coded(bundle, "pain")
    [gais] = _coded(bundle, "gais_investigator")
    assert pain["performer"] == [_url(patient)]
    assert pain["category"][0]["coding"][0]["code"] == "survey"
    assert gais["performer"][0]["reference"] != _url(patient)["reference"]
    assert gais["valueCodeableConcept"]["coding"][0] == {
        "system": f"{LOCAL}/measure-level", "code": "gais_investigator.improved",
        "display": "Improved",
    }  # fmt: skip
    extensions = {e["url"].rsplit("/", 1)[1]: e for e in gais["extension"]}
    assert extensions["blinded"]["valueBoolean"] is True
    assert extensions["ordinal-coding"]["valueCode"] == "1-5"


def test_a_value_not_measured_says_why(practice, rated):
    [weight] = [
        o for o in _coded(patient_bundle(practice.patient), "weight") if "dataAbsentReason" in o
    ]

    assert weight["dataAbsentReason"] == {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                "code": "not-performed",
            }
        ],
        "text": "scale broken",
    }
    assert "valueQuantity" not in weight


def test_an_amended_value_and_its_amendment_are_linked_by_a_provenance(practice, rated):
    bundle = patient_bundle(practice.patient)

    original, amended = _coded(bundle, "circumference")
    assert (original["status"], amended["status"]) == ("final", "amended")
    assert amended["valueQuantity"]["value"] == 90.5
    [provenance] = [p for p in _resources(bundle, "Provenance") if p["target"] == [_url(amended)]]
    assert provenance["entity"] == [{"role": "revision", "what": _url(original)}]
    assert provenance["reason"] == [{"text": "misread"}]


def test_a_clinics_own_items_carry_their_definition(practice, rated):
    scale, levels = _coded(patient_bundle(practice.patient), "clinic-item")

    assert scale["code"]["text"] == "How confident do you feel in shorts?"
    assert scale["valueQuantity"]["value"] == 7
    assert levels["valueCodeableConcept"] == {"text": "A lot"}
    [definition] = [e for e in levels["extension"] if e["url"] == CLINIC_ITEM]
    parts = [
        (p["url"], next(v for k, v in p.items() if k != "url")) for p in definition["extension"]
    ]
    assert ("slug", "mirror") in parts and ("level", "Somewhat") in parts
