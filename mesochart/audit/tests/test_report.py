"""The audit report: the clinic's admin sees who did what, filtered and sorted, and nothing of
other clinics.

A patient asks who opened their chart in March; the admin filters the report by period,
member of staff and patient, and sorts it by any of its columns.
"""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mesochart.audit.log import record
from mesochart.audit.models import Action, AuditEvent, Category, Outcome
from mesochart.audit.views import SORTABLE

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

MARCH = {"start": "2024-03-01", "end": "2024-03-31"}
SHOWN_AT = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
ROWS_ONLY = {"HX-Request": "true"}
# This clinic's events of March (see ``march``), newest first.
OURS = [
    "practitioner reads Ana",
    "practitioner updates Brigid",
    "reception registers Brigid",
    "nurse reads Ana",
    "nurse signs in",
]


def _at(day: int, hour: int) -> datetime:
    return datetime(2024, 3, day, hour, tzinfo=UTC)


@pytest.fixture
def brigid(practice):
    return practice.make_patient(practice.clinic, "Brigid", "Nolan", "MC-000002")


@pytest.fixture
def march(practice, brigid):
    """A month of events here, at the sister clinic and in another organisation.

    Returns each event's name by the time it happened, as the report shows it.
    """
    kelly = practice.make_patient(practice.sister_clinic, "Saoirse", "Kelly", "SIS-7")
    here, ana, otto = practice.clinic, practice.patient, practice.other_patient
    practitioner, sister = practice.practitioner, practice.sister_practitioner
    events = [
        ("nurse signs in", _at(1, 8), practice.nurse, Action.SIGN_IN, None, None),
        ("nurse reads Ana", _at(1, 10), practice.nurse, Action.READ, here, ana),
        ("reception registers Brigid", _at(3, 9), practice.reception, Action.CREATE, here, brigid),
        ("practitioner updates Brigid", _at(5, 12), practitioner, Action.UPDATE, here, brigid),
        ("practitioner reads Ana", _at(20, 16), practitioner, Action.READ, here, ana),
        ("sister clinic reads", _at(5, 13), sister, Action.READ, practice.sister_clinic, kelly),
        ("outsider signs in", _at(5, 14), practice.outsider, Action.SIGN_IN, None, None),
        ("outsider reads Otto", _at(5, 15), practice.outsider, Action.READ, otto.clinic, otto),
    ]
    names = {}
    for name, at, actor, action, clinic, patient in events:
        category = Category.AUTHENTICATION if action == Action.SIGN_IN else Category.DEMOGRAPHICS
        with time_machine.travel(at, tick=False):
            record(actor, action, category, clinic=clinic, patient=patient, obj=patient)
        names[at.strftime("%Y-%m-%d %H:%M:%S")] = name
    return names


def _shown(response, names: dict) -> list[str]:
    """The events listed, in the report's order (the admin's own readings of it left out)."""
    return [names[at] for at in SHOWN_AT.findall(response.content.decode()) if at in names]


@pytest.fixture
def admin(practice, client_for):
    return client_for(practice.admin)


@pytest.mark.parametrize("role", ["practitioner", "nurse", "reception"])
def test_only_the_admin_may_read_the_report(practice, client_for, march, role):
    response = client_for(practice.users[role]).get("/audit/", MARCH)

    assert response.status_code == 403
    assert not SHOWN_AT.search(response.content.decode())


def test_someone_not_signed_in_is_sent_to_sign_in(march):
    response = Client().get("/audit/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_the_admin_sees_this_clinics_events_newest_first_and_none_of_other_clinics(admin, march):
    response = admin.get("/audit/", MARCH)

    assert response.status_code == 200
    assert _shown(response, march) == OURS


def test_the_admins_own_reading_pushes_no_event_off_the_report(admin, march):
    """Reading the report adds a row; it must not take the place of the oldest event."""
    response = admin.get("/audit/")

    assert _shown(response, march) == OURS


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (
            {"start": "2024-03-03", "end": "2024-03-05"},
            ["practitioner updates Brigid", "reception registers Brigid"],
        ),
        ({"start": "2024-03-05"}, ["practitioner reads Ana", "practitioner updates Brigid"]),
        ({"end": "2024-03-01"}, ["nurse reads Ana", "nurse signs in"]),
        ({"start": "2024-03-20", "end": "2024-03-20"}, ["practitioner reads Ana"]),
        ({"start": "2024-04-01", "end": "2024-04-30"}, []),
    ],
    ids=["3 to 5 March", "from 5 March", "until 1 March", "one day", "April"],
)
def test_the_report_filters_by_period_with_both_days_included(admin, march, period, expected):
    assert _shown(admin.get("/audit/", period), march) == expected


@pytest.mark.parametrize("username", ["nurse-user", "NURSE-USER"])
def test_the_report_filters_by_member_of_staff(admin, march, username):
    response = admin.get("/audit/", {**MARCH, "user": username})

    assert _shown(response, march) == ["nurse reads Ana", "nurse signs in"]


def test_the_report_filters_by_patient(admin, march, brigid):
    response = admin.get("/audit/", {**MARCH, "patient": brigid.pk})

    assert _shown(response, march) == ["practitioner updates Brigid", "reception registers Brigid"]


def test_the_filters_combine(practice, admin, march):
    response = admin.get(
        "/audit/", {**MARCH, "user": "practitioner-user", "patient": practice.patient.pk}
    )

    assert _shown(response, march) == ["practitioner reads Ana"]


def test_filtering_by_a_patient_of_another_clinic_finds_nothing(practice, admin, march):
    response = admin.get("/audit/", {**MARCH, "patient": practice.other_patient.pk})

    assert response.status_code == 200
    assert _shown(response, march) == []


def test_an_end_before_the_start_is_named_and_lists_nothing_rather_than_everything(admin, march):
    response = admin.get("/audit/", {"start": "2024-03-10", "end": "2024-03-01"})

    assert response.status_code == 200
    assert "End: must be on or after the start date" in response.content.decode()
    assert _shown(response, march) == []


def test_a_date_that_is_no_date_is_named(admin, march):
    response = admin.get("/audit/", {"start": "2024-02-30"})

    assert response.status_code == 200
    assert "Start: " in response.content.decode()
    assert _shown(response, march) == []


def _sorted_by_the_database(march: dict, ordering: str) -> list[str]:
    """Our events in the order the database gives them for ``ordering``, ties newest first."""
    events = AuditEvent.objects.order_by(ordering, "-pk")
    names = (march.get(f"{event.at:%Y-%m-%d %H:%M:%S}") for event in events)
    return [name for name in names if name in OURS]


@pytest.mark.parametrize("direction", ["", "-"], ids=["ascending", "descending"])
@pytest.mark.parametrize("column", list(SORTABLE))
def test_the_report_sorts_by_every_column_both_ways(admin, march, column, direction):
    response = admin.get("/audit/", {**MARCH, "sort": direction + column})

    assert response.status_code == 200
    assert _shown(response, march) == _sorted_by_the_database(march, direction + SORTABLE[column])


def test_sorting_by_time_ascending_really_reverses_the_default(admin, march):
    response = admin.get("/audit/", {**MARCH, "sort": "at"})

    assert _shown(response, march) == list(reversed(OURS))


def test_sorting_by_user_groups_each_persons_events_newest_first(admin, march):
    response = admin.get("/audit/", {**MARCH, "sort": "user"})

    assert _shown(response, march) == [
        "nurse reads Ana",
        "nurse signs in",
        "practitioner reads Ana",
        "practitioner updates Brigid",
        "reception registers Brigid",
    ]


@pytest.mark.parametrize(
    "sort",
    [
        "detail",
        "password",
        "-password",
        "row_hash",
        "actor_id",
        "--at",
        "at; DROP TABLE audit",
        "at'",
    ],
)
def test_a_sort_outside_the_list_is_ignored_and_the_filters_still_apply(admin, march, sort):
    with CaptureQueriesContext(connection) as queries:
        response = admin.get("/audit/", {**MARCH, "user": "nurse-user", "sort": sort})

    assert response.status_code == 200
    assert _shown(response, march) == ["nurse reads Ana", "nurse signs in"]
    orderings = {
        q["sql"].split("ORDER BY")[1].split("LIMIT")[0].strip()
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT")
        and "ORDER BY" in q["sql"]
        and "audit_auditevent" in q["sql"]
    }
    assert orderings == {'"audit_auditevent"."at" DESC, "audit_auditevent"."id" DESC'}


def test_htmx_gets_only_the_rows_and_the_browser_the_whole_page(admin, march):
    rows = admin.get("/audit/", MARCH, headers=ROWS_ONLY)
    page = admin.get("/audit/", MARCH)

    assert _shown(rows, march) == _shown(page, march) == OURS
    assert "<html" not in rows.content.decode()
    assert 'name="start"' not in rows.content.decode()
    assert "<html" in page.content.decode()
    assert 'name="start"' in page.content.decode()


def test_reading_the_report_is_itself_recorded_with_the_filter_used(practice, admin, march):
    admin.get("/audit/", {**MARCH, "user": "nurse-user"})

    [reading] = AuditEvent.objects.filter(category=Category.AUDIT)
    assert (reading.actor_id, reading.action, reading.clinic_id) == (
        practice.admin.pk,
        Action.READ,
        practice.clinic.pk,
    )
    assert reading.detail == {"filter": {**MARCH, "user": "nurse-user"}}
    assert reading.outcome == Outcome.SUCCESS
