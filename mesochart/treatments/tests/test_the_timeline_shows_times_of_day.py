"""The timeline gives each entry its time of day at the clinic where the record has one
(a session, a consent, a follow-up), and only the day where it holds a day (an event's
onset, a screening's date); the next session of a series is offered with its time."""

from datetime import UTC, datetime

from mesochart.treatments import events
from mesochart.treatments.models import TreatmentSession
from mesochart.treatments.timeline import timeline

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

HTMX = {"HX-Request": "true"}


def test_a_session_has_its_time_and_an_onset_only_its_day(practice, ready):
    session = ready.signed()
    afternoon = datetime(2026, 3, 2, 14, 5, tzinfo=UTC)  # London: 14:05 in March
    TreatmentSession.objects.filter(pk=session.pk).update(started_at=afternoon, signed_at=afternoon)
    data = {
        "event_type": "nodule",
        "severity": "mild",
        "onset_on": "2026-03-02",
        "causality": "possible",
        "outcome": "recovering",
        "session": session.pk,
    }
    events.record_event(ready.membership, practice.patient, data)
    entries = {e.kind: e for e in timeline(practice.patient)}
    assert (entries["session"].day, entries["session"].clock) == ("2026-03-02", "14:05")
    assert entries["adverse_event"].clock == ""
    assert entries["consent"].timed and entries["screening"].clock == ""


def test_the_page_prints_the_time_and_offers_the_next_session_at_its_time(
    practice, ready, client_for
):
    ready.plan.sessions.update(start_time="15:45")
    page = client_for(practice.nurse).get(
        f"/sessions/patient/{practice.patient.pk}/timeline/", headers=HTMX
    )
    body = page.content.decode()
    assert "Start session 1 (2 Mar 2026, 15:45)" in body
    assert '<span class="tx-clock">' in body
