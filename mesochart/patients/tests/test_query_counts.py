"""A long history or a full page of patients costs no more database queries than a short one.

The count is measured on a chart with one allergy, medication, condition and past reader,
and must not grow when each of them is fifty; likewise for one patient on the list against
a full page of them.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mesochart.patients import actions
from mesochart.patients.views import PAGE_SIZE
from mesochart.testing.patients import ApiCaller, add_history

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as context:
        call()
    return len(context.captured_queries)


def _grow_history(practice, patient, times: int) -> None:
    reader = practice.actor(practice.nurse)
    for n in range(times):
        add_history(patient, f"{n:02d}")
        actions.record_view(reader, patient)


@pytest.mark.parametrize("role", ["practitioner", "reception"])
def test_the_chart_costs_the_same_queries_with_fifty_of_everything(
    practice, client_for, django_assert_max_num_queries, role
):
    short = practice.patient
    long = practice.make_patient(practice.clinic, "Brigid", "Nolan", "MC-000500")
    _grow_history(practice, short, 1)
    _grow_history(practice, long, 50)
    client = client_for(practice.users[role])
    client.get(f"/patients/{short.pk}/")  # first request of the session settles it

    baseline = _queries(lambda: client.get(f"/patients/{short.pk}/"))

    with django_assert_max_num_queries(baseline):
        response = client.get(f"/patients/{long.pk}/")
    assert response.status_code == 200
    if role == "practitioner":
        assert "Procaine-49" in response.content.decode()


def test_the_api_chart_costs_the_same_queries_with_fifty_of_everything(
    practice, django_assert_max_num_queries
):
    short = practice.patient
    long = practice.make_patient(practice.clinic, "Brigid", "Nolan", "MC-000500")
    _grow_history(practice, short, 1)
    _grow_history(practice, long, 50)
    api = ApiCaller(practice.practitioner)

    baseline = _queries(lambda: api.get(f"/patients/{short.pk}"))

    with django_assert_max_num_queries(baseline):
        response = api.get(f"/patients/{long.pk}")
    assert len(response.json()["clinical"]["allergies"]) == 50


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_the_list_costs_the_same_queries_for_one_patient_as_for_a_full_page(
    practice, client_for, django_assert_max_num_queries, htmx
):
    headers = {"HX-Request": "true"} if htmx else {}
    client = client_for(practice.reception)
    client.get("/patients/")
    baseline = _queries(lambda: client.get("/patients/", headers=headers))
    for n in range(PAGE_SIZE + 5):
        practice.make_patient(practice.clinic, f"Given{n}", f"Family{n}", f"MC-{n + 100:06d}")

    with django_assert_max_num_queries(baseline):
        response = client.get("/patients/", headers=headers)
    assert response.content.decode().count('href="/patients/') >= PAGE_SIZE


def test_the_api_search_costs_the_same_queries_for_one_patient_as_for_fifty(
    practice, django_assert_max_num_queries
):
    api = ApiCaller(practice.reception)
    baseline = _queries(lambda: api.get("/patients"))
    for n in range(50):
        practice.make_patient(practice.clinic, f"Given{n}", f"Family{n}", f"MC-{n + 100:06d}")

    with django_assert_max_num_queries(baseline):
        response = api.get("/patients")
    assert len(response.json()) == 50
