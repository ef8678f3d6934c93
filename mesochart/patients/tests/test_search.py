"""Finding a patient from the one search box: by name, record number or date of birth.

The front desk types however the patient says it: "lopez ana", "Ana Lop", "o suil" for
Ó Súilleabháin, "mc-000001", "12/04/1985". Voided records and other clinics' patients never
come back, on the page or through the API.
"""

from datetime import date

import pytest
from django.db import connection

from mesochart.patients import actions
from mesochart.patients.models import Patient
from mesochart.patients.search import upper_bound
from mesochart.testing.patients import HTMX, ApiCaller

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

# record number: (given name, family name, date of birth, where)
PEOPLE = {
    "MC-000101": ("Aoife", "Ó Súilleabháin", date(1979, 3, 14), "here"),
    "MC-000102": ("Seán", "Ó Briain", date(1990, 7, 1), "here"),
    "MC-000103": ("Analise", "Berg", date(2001, 12, 25), "here"),
    "MC-000104": ("Wei", "李", date(1968, 5, 9), "here"),
    "MC-000105": ("Ana", "Lopes", date(1985, 4, 12), "voided"),
    "MC-000106": ("Ana", "Lorca", date(1985, 4, 12), "sister clinic"),
    "OT-000101": ("Ana", "Lopez", date(1985, 4, 12), "other organisation"),
}
# The fixture's own patient: Ana Lopez, MC-000001, born 1985-04-12, at our clinic.
ANA_LOPEZ = "MC-000001"


@pytest.fixture
def register(practice):
    clinics = {
        "here": practice.clinic,
        "voided": practice.clinic,
        "sister clinic": practice.sister_clinic,
        "other organisation": practice.other_clinic,
    }
    for number, (given, family, born, where) in PEOPLE.items():
        patient = practice.make_patient(clinics[where], given, family, number)
        Patient.objects.filter(pk=patient.pk).update(date_of_birth=born)
        if where == "voided":
            membership = practice.actor(practice.admin)
            actions.void_patient(membership, patient, reason="registered twice")
    return practice


def _found_on_page(client, query: str) -> set[str]:
    """The record numbers of the charts the results link to."""
    body = client.get("/patients/", {"q": query}, headers=HTMX).content.decode()
    charts = Patient.objects.values_list("record_number", "pk")
    return {number for number, pk in charts if f'href="/patients/{pk}/"' in body}


def _found_by_api(api, query: str) -> set[str]:
    return {p["record_number"] for p in api.get("/patients", {"q": query}).json()}


@pytest.fixture(params=["page", "api"])
def find(request, register, client_for):
    """The record numbers a receptionist finds for a query, on the page or through the API."""
    if request.param == "page":
        client = client_for(register.reception)
        return lambda query: _found_on_page(client, query)
    api = ApiCaller(register.reception)
    return lambda query: _found_by_api(api, query)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lop", {ANA_LOPEZ}),
        ("LOPEZ", {ANA_LOPEZ}),
        ("Berg", {"MC-000103"}),
        ("aoi", {"MC-000101"}),
        ("ana", {ANA_LOPEZ, "MC-000103"}),
        ("ana lop", {ANA_LOPEZ}),
        ("lopez ana", {ANA_LOPEZ}),
        ("Lopez, Ana", {ANA_LOPEZ}),
        ("o suil", {"MC-000101"}),
        ("Ó SÚILLEABHÁIN", {"MC-000101"}),
        ("aoife o suil", {"MC-000101"}),
        ("o suilleabhain aoife", {"MC-000101"}),
        ("o", {"MC-000101", "MC-000102"}),
        ("sean o briain", {"MC-000102"}),
        ("李", {"MC-000104"}),
        ("mc-000001", {ANA_LOPEZ}),
        ("MC-000103", {"MC-000103"}),
        ("1985-04-12", {ANA_LOPEZ}),
        ("12/04/1985", {ANA_LOPEZ}),
        ("12.04.1985", {ANA_LOPEZ}),
        ("25/12/2001", {"MC-000103"}),
    ],
)
def test_the_search_box_finds_the_patient_however_the_front_desk_types_it(find, query, expected):
    assert find(query) == expected


@pytest.mark.parametrize("query", ["lopes", "MC-000105", "lorca", "MC-000106", "OT-000101"])
def test_voided_records_and_other_clinics_patients_are_never_found(find, query):
    assert find(query) == set()


def test_a_search_for_something_that_is_no_name_finds_nobody_rather_than_everybody(find):
    assert find("💉") == set()


def test_without_a_query_the_list_holds_the_clinics_current_patients_only(find):
    assert find("") == {ANA_LOPEZ, "MC-000101", "MC-000102", "MC-000103", "MC-000104"}


def test_the_htmx_search_gets_only_the_results_and_the_browser_the_whole_page(register, client_for):
    client = client_for(register.reception)

    fragment = client.get("/patients/", {"q": "lopez"}, headers=HTMX).content.decode()
    page = client.get("/patients/", {"q": "lopez"}).content.decode()

    assert ANA_LOPEZ in fragment and ANA_LOPEZ in page
    assert "<html" not in fragment
    assert 'name="q"' not in fragment
    assert "<html" in page
    assert 'name="q"' in page


def test_the_api_pages_through_results_with_limit_and_offset(register):
    api = ApiCaller(register.reception)

    first = api.get("/patients", {"limit": 2}).json()
    rest = api.get("/patients", {"limit": 2, "offset": 2}).json()
    refused = api.get("/patients", {"limit": 0})

    names = [p["family_name"] for p in first + rest]
    assert names == ["李", "Berg", "Lopez", "Ó Briain"]
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "limit"


@pytest.mark.parametrize(
    ("prefix", "key"),
    [
        ("lopez", "lopez"),
        ("lopez", "lopez garcia"),
        ("o suil", "o suilleabhain"),
        ("o z", "o zuniga"),
        ("zz", "zzyzx"),
        ("mc9", "mc99"),
    ],
)
def test_the_search_range_holds_every_name_with_the_prefix_whatever_the_collation(db, prefix, key):
    """Databases often sort by the locale's rules, which skip punctuation: a range ending in
    'lope{' would sort before 'lopez' there and lose every Lopez."""
    bound = upper_bound(prefix)
    assert prefix <= key and (not bound or key < bound)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                'SELECT %s COLLATE "en-x-icu" <= %s COLLATE "en-x-icu"'
                ' AND (%s = \'\' OR %s COLLATE "en-x-icu" < %s COLLATE "en-x-icu")',
                [prefix, key, bound, key, bound],
            )
            assert cursor.fetchone()[0] is True
