"""Who may open and change which chart, on every page and endpoint.

Every role of the clinic is tried on every patient page, every patients API endpoint and
the audit report, against a patient of the clinic, of a sister clinic of the same
organisation, and of another organisation. What each role may do comes from
``roles.PERMISSIONS``: a role without the permission is refused (403) wherever the patient
is; a patient outside the clinic is not found (404); and no refusal ever shows the
patient's name, record number, date of birth or history.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client

from mesochart.accounts.roles import Role, allows
from mesochart.patients import actions
from mesochart.patients.models import Allergy, Condition, Medication, Patient
from mesochart.testing.patients import (
    HTMX,
    ApiCaller,
    add_history,
    edit_form,
    new_patient_form,
)

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

OWN, SISTER, OTHER_ORG = "own clinic", "sister clinic", "other organisation"


@dataclass
class Chart:
    patient: Patient
    items: dict

    def secrets(self) -> list[str]:
        """Everything on this chart that must never reach someone refused it."""
        born = self.patient.date_of_birth
        return [
            self.patient.given_name,
            self.patient.family_name,
            self.patient.record_number,
            born.isoformat(),
            born.strftime("%d/%m/%Y"),
            self.items["allergy"].substance,
            self.items["medication"].name,
            self.items["condition"].name,
        ]

    def state(self) -> tuple:
        """What a refused write must leave as it was."""
        patient = Patient.objects.get(pk=self.patient.pk)
        return (
            patient.version,
            patient.phone,
            patient.voided_at,
            *(
                model.objects.filter(patient=patient, voided_at=None).count()
                for model in (Allergy, Medication, Condition)
            ),
        )


@pytest.fixture
def charts(practice) -> dict[str, Chart]:
    """A patient with history in our clinic, in the sister clinic and in another organisation,
    each opened once by someone who works where the patient is registered."""
    people = {
        OWN: (practice.clinic, "Ysolde", "Tarkington", "OWN-424242", date(1971, 9, 23)),
        SISTER: (
            practice.sister_clinic,
            "Wilhelmina",
            "Fairweather",
            "SIS-535353",
            date(1962, 11, 7),
        ),
        OTHER_ORG: (
            practice.other_clinic,
            "Octavia",
            "Blackthorne",
            "OTH-646464",
            date(1955, 1, 30),
        ),
    }
    local_staff = {
        OWN: practice.admin,
        SISTER: practice.sister_practitioner,
        OTHER_ORG: practice.outsider,
    }
    charts = {}
    for where, (clinic, given, family, number, born) in people.items():
        patient = practice.make_patient(clinic, given, family, number)
        Patient.objects.filter(pk=patient.pk).update(date_of_birth=born)
        patient.refresh_from_db()
        actions.record_view(practice.actor(local_staff[where]), patient)
        charts[where] = Chart(patient, add_history(patient, family))
    return charts


@dataclass(frozen=True)
class Endpoint:
    name: str
    permission: str
    call: Callable  # (client or ApiCaller, Chart) -> response
    success: int
    api: bool = False
    # "chart": the URL names one patient; "listing": shows patients it finds; "new": neither.
    scope: str = "chart"


def _page_void_item(kind):
    def call(client, chart):
        item = chart.items[kind]
        return client.post(
            f"/patients/{chart.patient.pk}/{kind}/{item.pk}/void/", {"reason": "entered in error"}
        )

    return call


def _page_add_item(kind, data):
    def call(client, chart):
        return client.post(f"/patients/{chart.patient.pk}/{kind}/", data)

    return call


def _api_add_item(kinds, data):
    def call(api, chart):
        return api.post(f"/patients/{chart.patient.pk}/{kinds}", data)

    return call


PAGES = [
    Endpoint(
        "patient list", "patient.view", lambda c, ch: c.get("/patients/"), 200, scope="listing"
    ),
    Endpoint(
        "search fragment",
        "patient.view",
        lambda c, ch: c.get("/patients/", {"q": ch.patient.family_name}, headers=HTMX),
        200,
        scope="listing",
    ),
    Endpoint(
        "register page", "patient.create", lambda c, ch: c.get("/patients/new/"), 200, scope="new"
    ),
    Endpoint(
        "register",
        "patient.create",
        lambda c, ch: c.post("/patients/new/", new_patient_form(given_name="Newcomer")),
        302,
        scope="new",
    ),
    Endpoint("chart", "patient.view", lambda c, ch: c.get(f"/patients/{ch.patient.pk}/"), 200),
    Endpoint(
        "edit page", "patient.edit", lambda c, ch: c.get(f"/patients/{ch.patient.pk}/edit/"), 200
    ),
    Endpoint(
        "edit",
        "patient.edit",
        lambda c, ch: c.post(
            f"/patients/{ch.patient.pk}/edit/", edit_form(ch.patient, phone="+44 20 7946 0000")
        ),
        302,
    ),
    Endpoint(
        "void",
        "patient.void",
        lambda c, ch: c.post(f"/patients/{ch.patient.pk}/void/", {"reason": "registered twice"}),
        302,
    ),
    Endpoint(
        "add allergy",
        "patient.clinical.edit",
        _page_add_item("allergy", {"substance": "Latex", "severity": "mild"}),
        302,
    ),
    Endpoint(
        "add medication",
        "patient.clinical.edit",
        _page_add_item("medication", {"name": "Aspirin", "dose": "75 mg"}),
        302,
    ),
    Endpoint(
        "add condition",
        "patient.clinical.edit",
        _page_add_item("condition", {"name": "Eczema"}),
        302,
    ),
    Endpoint("void allergy", "patient.clinical.edit", _page_void_item("allergy"), 302),
    Endpoint("void medication", "patient.clinical.edit", _page_void_item("medication"), 302),
    Endpoint("void condition", "patient.clinical.edit", _page_void_item("condition"), 302),
    Endpoint(
        "audit report",
        "audit.view",
        lambda c, ch: c.get("/audit/", {"patient": ch.patient.pk}),
        200,
        scope="listing",
    ),
]

API_ENDPOINTS = [
    Endpoint(
        "API search",
        "patient.view",
        lambda a, ch: a.get("/patients", {"q": ch.patient.family_name}),
        200,
        api=True,
        scope="listing",
    ),
    Endpoint(
        "API register",
        "patient.create",
        lambda a, ch: a.post(
            "/patients",
            {
                "given_name": "Newcomer",
                "family_name": "Nolan",
                "date_of_birth": "1990-02-03",
                "sex_at_birth": "female",
            },
        ),
        201,
        api=True,
        scope="new",
    ),
    Endpoint(
        "API read", "patient.view", lambda a, ch: a.get(f"/patients/{ch.patient.pk}"), 200, api=True
    ),
    Endpoint(
        "API update",
        "patient.edit",
        lambda a, ch: a.patch(f"/patients/{ch.patient.pk}", {"phone": "+44 20 7946 0000"}),
        200,
        api=True,
    ),
    Endpoint(
        "API void",
        "patient.void",
        lambda a, ch: a.post(f"/patients/{ch.patient.pk}/void", {"reason": "registered twice"}),
        200,
        api=True,
    ),
    Endpoint(
        "API add allergy",
        "patient.clinical.edit",
        _api_add_item("allergies", {"substance": "Latex"}),
        201,
        api=True,
    ),
    Endpoint(
        "API add medication",
        "patient.clinical.edit",
        _api_add_item("medications", {"name": "Aspirin"}),
        201,
        api=True,
    ),
    Endpoint(
        "API add condition",
        "patient.clinical.edit",
        _api_add_item("conditions", {"name": "Eczema"}),
        201,
        api=True,
    ),
]

ENDPOINTS = PAGES + API_ENDPOINTS


def _cases():
    for endpoint in ENDPOINTS:
        places = [OWN] if endpoint.scope == "new" else [OWN, SISTER, OTHER_ORG]
        for role in Role:
            for where in places:
                yield pytest.param(endpoint, role, where, id=f"{endpoint.name}-{role}-{where}")


def _expected_status(endpoint: Endpoint, role: str, where: str) -> int:
    """Another clinic's chart is not found whatever the role; then the role decides."""
    if endpoint.scope == "chart" and where != OWN:
        return 404
    if not allows(role, endpoint.permission):
        return 403
    return endpoint.success


def _caller(endpoint: Endpoint, user, client_for):
    return ApiCaller(user) if endpoint.api else client_for(user)


def _text(response) -> str:
    return response.content.decode()


def _assert_shows_nothing_of(chart: Chart, body: str, searched_for: str = "") -> None:
    """No secret of the chart in the body, beyond the words the caller searched for."""
    body = body.lower().replace(searched_for.lower(), "") if searched_for else body.lower()
    leaked = [secret for secret in chart.secrets() if secret.lower() in body]
    assert leaked == []


@pytest.mark.parametrize(("endpoint", "role", "where"), list(_cases()))
def test_each_role_reaches_only_what_its_permissions_and_clinic_allow(
    practice, charts, client_for, endpoint, role, where
):
    chart = charts[where]
    before = chart.state()

    response = endpoint.call(_caller(endpoint, practice.users[role], client_for), chart)

    expected = _expected_status(endpoint, role, where)
    assert response.status_code == expected
    body = _text(response)
    if expected in (403, 404):
        _assert_shows_nothing_of(chart, body)
        assert chart.state() == before
    elif endpoint.name == "audit report":
        assert (f'href="/patients/{chart.patient.pk}/"' in body) == (where == OWN)
    elif endpoint.scope == "listing" and where != OWN:
        _assert_shows_nothing_of(chart, body, searched_for=chart.patient.family_name)
    elif endpoint.scope == "listing":
        assert chart.patient.record_number in body
    elif endpoint.name in ("chart", "API read"):
        assert chart.patient.record_number in body
        clinical = allows(role, "patient.clinical.view")
        assert (chart.items["allergy"].substance in body) == clinical
        assert (chart.items["medication"].name in body) == clinical
        assert (chart.items["condition"].name in body) == clinical
    elif endpoint.name in ("edit page", "register page"):
        assert (chart.patient.record_number in body) == (endpoint.name == "edit page")
        assert ('name="weight_kg"' in body) == allows(role, "patient.clinical.edit")
    elif endpoint.scope == "chart":
        assert chart.state() != before


@pytest.mark.parametrize(
    "endpoint",
    [pytest.param(e, id=e.name) for e in ENDPOINTS],
)
def test_someone_not_signed_in_is_sent_to_sign_in_or_refused_by_the_api(charts, endpoint):
    chart = charts[OWN]
    before = chart.state()

    response = endpoint.call(ApiCaller.anonymous() if endpoint.api else Client(), chart)

    if endpoint.api:
        assert response.status_code == 401
        assert response.json()["detail"] == "authentication required"
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/?next=")
    _assert_shows_nothing_of(chart, _text(response))
    assert chart.state() == before


@pytest.mark.parametrize(
    "persona", ["sister_practitioner", "outsider"], ids=["sister clinic", "other organisation"]
)
@pytest.mark.parametrize(
    "endpoint",
    [pytest.param(e, id=e.name) for e in ENDPOINTS if e.scope == "chart"],
)
def test_a_practitioner_of_another_clinic_does_not_find_our_patient(
    practice, charts, client_for, persona, endpoint
):
    chart = charts[OWN]
    before = chart.state()
    user = getattr(practice, persona)

    response = endpoint.call(_caller(endpoint, user, client_for), chart)

    assert response.status_code == 404
    _assert_shows_nothing_of(chart, _text(response))
    assert chart.state() == before


def test_reception_cannot_change_clinical_data_through_the_edit_page_or_the_api(
    practice, client_for
):
    ana = practice.patient
    clinical = {"weight_kg": "64.5", "weight_measured_on": "2024-03-01", "pregnancy_status": "no"}

    page = client_for(practice.reception).post(
        f"/patients/{ana.pk}/edit/", edit_form(ana, phone="+44 1", **clinical)
    )
    api = ApiCaller(practice.reception).patch(f"/patients/{ana.pk}", clinical)

    assert page.status_code == 302  # the demographic change is saved, the rest ignored
    assert api.status_code == 403
    saved = Patient.objects.get(pk=ana.pk)
    assert (saved.phone, saved.weight_kg, saved.pregnancy_status) == ("+44 1", None, "unknown")


def test_reception_cannot_register_a_patient_with_clinical_data(practice, client_for):
    form = new_patient_form(weight_kg="64.5", weight_measured_on="2024-03-01")

    response = client_for(practice.reception).post("/patients/new/", form)

    assert response.status_code == 403
    assert not Patient.objects.filter(given_name="Brigid").exists()
