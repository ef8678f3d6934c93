"""The patient's timeline lists plans, sessions, amendments, adverse events, screenings and
consents newest first, with the same number of queries for 2 sessions as for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mesochart.accounts.models import User
from mesochart.planning import actions as planning
from mesochart.planning import approval as planning_approval
from mesochart.testing.plans import new_plan
from mesochart.testing.sessions import TODAY, signed_history, submental
from mesochart.treatments import actions
from mesochart.treatments.models import TreatmentSession
from mesochart.treatments.timeline import timeline

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

HTMX = {"HX-Request": "true"}


def test_everything_is_listed_newest_first(ready):
    session = ready.signed()
    actions.amend_session(ready.nurse, session, {"kind": "addendum", "text": "Called: fine"})
    kinds = [entry.kind for entry in timeline(ready.practice.patient)]
    assert set(kinds) == {"plan", "session", "amendment", "screening", "consent"}
    entries = timeline(ready.practice.patient)
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    (row,) = [e for e in entries if e.kind == "session"]
    assert row.status == "signed"
    assert row.lines == ["Deoxycholic acid injection 10 mg/mL, lot DCA-001, 4 mL drawn"]


@pytest.mark.parametrize("count", [2, 50])
def test_the_query_count_does_not_grow_with_the_history(
    practice, ready, client_for, django_assert_max_num_queries, count
):
    signed_history(ready, count, points=60)
    client = client_for(practice.practitioner)
    url = f"/sessions/patient/{practice.patient.pk}/timeline/"
    # The page's reads: who asks, the patient, one query per kind of entry (plans, sessions,
    # their products and amendments, events and their updates, screenings, consents, photos);
    # its audit read row (a savepoint, lock the chain head, insert, move the head); the
    # session's idle stamp; SQLite's planner statistics kept fresh (`lib/sqlite`). None of
    # them is per entry: 2 sessions and 50 cost the same.
    with django_assert_max_num_queries(23):
        response = client.get(url, headers=HTMX)
    assert response.status_code == 200
    assert response.content.decode().count("tx-entry tx-session") == count


def test_an_entry_is_dated_on_the_clinics_day(practice, ready, client_for):
    """Signed at 21:00 UTC on 1 March is 08:00 on 2 March for a clinic in Sydney."""
    from datetime import UTC, datetime

    practice.clinic.time_zone = "Australia/Sydney"
    practice.clinic.save()
    session = ready.signed()
    evening = datetime(2026, 3, 1, 21, 0, tzinfo=UTC)
    TreatmentSession.objects.filter(pk=session.pk).update(started_at=evening, signed_at=evening)
    page = client_for(practice.nurse).get(
        f"/sessions/patient/{practice.patient.pk}/timeline/", headers=HTMX
    )
    assert (
        '<time datetime="2026-03-02T08:00:00+11:00">2026-03-02 <span class="tx-clock">08:00</span>'
        in page.content.decode()
    )


def test_an_adverse_events_follow_up_is_on_the_timeline_with_what_changed(practice, ready):
    from mesochart.treatments import events

    event = events.record_event(
        ready.membership,
        practice.patient,
        {
            "event_type": "nodule",
            "severity": "moderate",
            "onset_on": "2026-03-02",
            "causality": "probable",
            "outcome": "recovering",
            "session": ready.signed().pk,
        },
    )
    events.follow_up(
        ready.membership, event, {"version": 1, "outcome": "recovered", "note": "Week 6"}
    )
    (entry,) = [e for e in timeline(practice.patient) if e.kind == "follow_up"]
    assert entry.title == "Follow-up of the adverse event: nodule"
    assert entry.detail == "by practitioner-user: Week 6"
    assert entry.lines == ["Outcome: Recovering → Recovered"]


def test_each_approved_plan_offers_its_next_session_at_one_query_for_all(
    practice, ready, client_for, django_assert_num_queries
):
    ready.signed()
    url = f"/sessions/patient/{practice.patient.pk}/timeline/"
    client = client_for(practice.practitioner)
    client.get(url, headers=HTMX)
    with CaptureQueriesContext(connection) as one_plan:
        first = client.get(url, headers=HTMX).content.decode()
    second = new_plan(practice, "submental-deoxycholic-acid", ready.version)
    planning.save_regions(ready.membership, second, submental(10))
    planning.propose_series(ready.membership, second, {"first_date": TODAY})
    planning_approval.approve_plan(ready.membership, second, version=second.version)
    with django_assert_num_queries(len(one_plan)):
        both = client.get(url, headers=HTMX).content.decode()
    assert "Start session 2 (" in first
    assert both.count("Start session 2 (") == 1 and both.count("Start session 1 (") == 1


def test_a_french_practitioner_reads_the_timeline_in_french(practice, ready, client_for):
    session = ready.signed()
    actions.amend_session(ready.nurse, session, {"kind": "addendum", "text": "Appelée : bien"})
    User.objects.filter(pk=practice.practitioner.pk).update(language="fr")

    page = client_for(practice.practitioner).get(
        f"/sessions/patient/{practice.patient.pk}/timeline/", headers=HTMX
    )

    body = page.content.decode()
    assert "Séance : " in body and "Addendum à la séance" in body
    assert ">Signé<" in body  # the badge, not the status code
    assert "prélevés" in body and " drawn" not in body
    assert "Session: " not in body and ">signed<" not in body
