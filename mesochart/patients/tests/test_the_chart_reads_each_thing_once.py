"""What a chart request reads, and reads only once: the signed-in user (not again for the
membership), the memberships (the current one and the clinic switcher's choices in one
query), and the plans panel's columns (never a plan's stored approval record, which holds
the dose engine's whole result)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mesochart.testing.plans import new_plan

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


def _chart_queries(client, patient) -> list[str]:
    client.get(f"/patients/{patient.pk}/")  # the session settles on the first request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/patients/{patient.pk}/")
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def _from(table: str, queries: list[str]) -> list[str]:
    return [sql for sql in queries if f'FROM "{table}"' in sql]


def test_the_chart_reads_the_user_and_the_memberships_once(practice, client_for):
    queries = _chart_queries(client_for(practice.practitioner), practice.patient)
    assert len(_from("accounts_user", queries)) == 1
    assert len(_from("accounts_membership", queries)) == 1


def test_the_plans_panel_reads_no_approval_record(practice, client_for):
    new_plan(practice, title="Submental course")
    client = client_for(practice.practitioner)
    queries = _chart_queries(client, practice.patient)
    assert not [sql for sql in queries if '"planning_plan"."approval_result"' in sql]
    assert "Submental course" in client.get(f"/patients/{practice.patient.pk}/").text
