"""A refused registration or edit names the field and the rule, the same on the page and the API,
and leaves nothing behind: no patient row, no change, no audit row."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mesochart.audit.models import AuditEvent
from mesochart.patients.models import Patient
from mesochart.testing.patients import ApiCaller, edit_form, new_patient_form

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

TOMORROW = (timezone.localdate() + timedelta(days=1)).isoformat()
YESTERDAY = (timezone.localdate() - timedelta(days=1)).isoformat()

# Each field as the registration form labels it: what the page names, never the field.
LABELS = {
    "breastfeeding_asked_on": "Breastfeeding asked on",
    "date_of_birth": "Date of birth",
    "email": "Email",
    "family_name": "Family name",
    "given_name": "Given name",
    "height_cm": "Height (cm)",
    "pregnancy_asked_on": "Pregnancy asked on",
    "record_number": "Record number",
    "weight_kg": "Weight (kg)",
    "weight_measured_on": "Weight measured on",
}

# (what the clinic calls it, the fields typed, the field named, the rule given)
REFUSALS = [
    (
        "born tomorrow",
        {"date_of_birth": TOMORROW},
        "date_of_birth",
        "must not be in the future",
    ),
    (
        "born before 1900",
        {"date_of_birth": "1899-12-31"},
        "date_of_birth",
        "must be on or after 1900-01-01",
    ),
    (
        "weight without the day it was measured",
        {"weight_kg": "64.5"},
        "weight_measured_on",
        "is required when a weight is given",
    ),
    (
        "weight typed in grams",
        {"weight_kg": "645", "weight_measured_on": YESTERDAY},
        "weight_kg",
        "must be between 1 and 400 kg",
    ),
    (
        "weight below one kilogram",
        {"weight_kg": "0.5", "weight_measured_on": YESTERDAY},
        "weight_kg",
        "must be between 1 and 400 kg",
    ),
    (
        "weight measured tomorrow",
        {"weight_kg": "64.5", "weight_measured_on": TOMORROW},
        "weight_measured_on",
        "must not be in the future",
    ),
    (
        "weight to two decimals",
        {"weight_kg": "64.55", "weight_measured_on": YESTERDAY},
        "weight_kg",
        "has too many decimal places (at most 1)",
    ),
    ("height typed in metres", {"height_cm": "1.7"}, "height_cm", "must be between 30 and 250 cm"),
    ("no given name", {"given_name": ""}, "given_name", "is required"),
    ("a given name of spaces", {"given_name": "   "}, "given_name", "is required"),
    (
        "a family name of invisible characters",
        {"family_name": "\u200b\u200f"},
        "family_name",
        "must not be blank",
    ),
    ("no family name", {"family_name": ""}, "family_name", "is required"),
    (
        "pregnancy answered without the day it was asked",
        {"pregnancy_status": "no"},
        "pregnancy_asked_on",
        "is required when the status is recorded",
    ),
    (
        "pregnancy asked tomorrow",
        {"pregnancy_status": "no", "pregnancy_asked_on": TOMORROW},
        "pregnancy_asked_on",
        "must not be in the future",
    ),
    (
        "breastfeeding answered without the day it was asked",
        {"breastfeeding_status": "yes"},
        "breastfeeding_asked_on",
        "is required when the status is recorded",
    ),
    (
        "a record number already used in this clinic",
        {"record_number": "MC-000001"},
        "record_number",
        "is already used in this organisation",
    ),
    (
        "the same record number typed in lower case",
        {"record_number": "mc-000001"},
        "record_number",
        "is already used in this organisation",
    ),
    (
        "a record number used by the sister clinic",
        {"record_number": "SIS-000007"},
        "record_number",
        "is already used in this organisation",
    ),
    ("an e-mail address without a domain", {"email": "ana@"}, "email", "is not valid"),
]
REFUSAL_IDS = [name for name, *_ in REFUSALS]


def _api_body(changes: dict) -> dict:
    """The same registration as JSON: required fields plus the changes, empty ones left out."""
    base = {
        "given_name": "Brigid",
        "family_name": "Nolan",
        "date_of_birth": "1990-02-03",
        "sex_at_birth": "female",
    }
    return {**base, **changes}


@pytest.fixture
def sister_patient(practice):
    return practice.make_patient(practice.sister_clinic, "Saoirse", "Kelly", "SIS-000007")


def _traces() -> tuple[int, int]:
    return Patient.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize(("name", "changes", "field", "rule"), REFUSALS, ids=REFUSAL_IDS)
def test_the_registration_page_names_the_field_by_its_label_and_keeps_nothing(
    practice, client_for, sister_patient, name, changes, field, rule
):
    client = client_for(practice.practitioner)
    before = _traces()

    response = client.post("/patients/new/", new_patient_form(**changes))

    assert response.status_code == 200
    assert response.content.decode().count(f"{LABELS[field]}: {rule}") == 1
    assert f"{field}: {rule}" not in response.content.decode()
    assert _traces() == before


@pytest.mark.parametrize(("name", "changes", "field", "rule"), REFUSALS, ids=REFUSAL_IDS)
def test_the_api_names_the_same_field_and_rule_and_keeps_nothing(
    practice, sister_patient, name, changes, field, rule
):
    api = ApiCaller(practice.practitioner)
    before = _traces()

    response = api.post("/patients", _api_body(changes))

    assert response.status_code == 422
    assert response.json() == {
        "detail": f"{field}: {rule}",
        "errors": [{"field": field, "rule": rule}],
    }
    assert _traces() == before


@pytest.mark.parametrize(("name", "changes", "field", "rule"), REFUSALS, ids=REFUSAL_IDS)
def test_an_edit_is_refused_the_same_way_and_changes_nothing(
    practice, client_for, sister_patient, name, changes, field, rule
):
    patient = practice.make_patient(practice.clinic, "Brigid", "Nolan", "MC-000555")
    api = ApiCaller(practice.practitioner)
    before = _traces()

    page = client_for(practice.practitioner).post(
        f"/patients/{patient.pk}/edit/", edit_form(patient, **changes)
    )
    api_response = api.patch(f"/patients/{patient.pk}", changes)

    assert page.content.decode().count(f"{LABELS[field]}: {rule}") == 1
    assert api_response.status_code == 422
    assert api_response.json()["errors"] == [{"field": field, "rule": rule}]
    fresh = Patient.objects.get(pk=patient.pk)
    assert (fresh.version, fresh.given_name, fresh.date_of_birth) == (
        1,
        "Brigid",
        patient.date_of_birth,
    )
    assert _traces() == before


@pytest.mark.parametrize("via", ["page", "api"])
def test_a_record_number_used_in_another_organisation_may_be_used_here(practice, client_for, via):
    taken_elsewhere = practice.other_patient.record_number
    if via == "page":
        response = client_for(practice.reception).post(
            "/patients/new/", new_patient_form(record_number=taken_elsewhere)
        )
        assert response.status_code == 302
    else:
        response = ApiCaller(practice.reception).post(
            "/patients", _api_body({"record_number": taken_elsewhere})
        )
        assert response.status_code == 201
    assert Patient.objects.filter(record_number=taken_elsewhere).count() == 2


def test_several_problems_are_all_named_at_once(practice, client_for):
    changes = {"given_name": "", "date_of_birth": TOMORROW}

    page = client_for(practice.reception).post("/patients/new/", new_patient_form(**changes))
    api = ApiCaller(practice.reception).post("/patients", _api_body(changes))

    body = page.content.decode()
    assert "Given name: is required" in body
    assert "Date of birth: must not be in the future" in body
    assert api.json()["errors"] == [
        {"field": "given_name", "rule": "is required"},
        {"field": "date_of_birth", "rule": "must not be in the future"},
    ]


def test_a_registration_leaving_out_pregnancy_and_breastfeeding_records_them_as_not_asked(
    practice,
):
    response = ApiCaller(practice.reception).post("/patients", _api_body({}))

    assert response.status_code == 201
    patient = Patient.objects.get(pk=response.json()["id"])
    assert (patient.pregnancy_status, patient.breastfeeding_status) == ("unknown", "unknown")


def test_an_empty_record_number_takes_the_next_free_one_even_when_typed_by_hand_before(
    practice, client_for
):
    # The fixture's patient holds MC-000001 without having drawn it from the counter.
    response = ApiCaller(practice.reception).post("/patients", _api_body({"record_number": ""}))

    assert response.status_code == 201
    assert response.json()["record_number"] == "MC-000002"


def test_reception_cannot_slip_clinical_data_into_a_registration(practice):
    changes = {"weight_kg": "64.5", "weight_measured_on": YESTERDAY}
    before = _traces()

    response = ApiCaller(practice.reception).post("/patients", _api_body(changes))

    assert response.status_code == 403
    patients, audit_rows = _traces()
    assert (patients, audit_rows) == (before[0], before[1] + 1)  # only the refusal's row
    refused = AuditEvent.objects.latest("pk")
    assert (refused.outcome, refused.detail) == ("denied", {"permission": "patient.clinical.edit"})
