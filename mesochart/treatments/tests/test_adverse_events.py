"""Adverse events: recorded with type, severity, seriousness, onset, session and lots,
causality, outcome and follow-up dates; the regulator's report is pre-filled (MedWatch 3500
fields) and exported as CSV and PDF, audited."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError

from mesochart.audit.models import AuditEvent
from mesochart.treatments import events

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

BASE = {
    "event_type": "infection",
    "severity": "severe",
    "seriousness": ["intervention"],
    "onset_on": "2026-03-02",
    "causality": "possible",
    "outcome": "recovering",
    "description": "Nodules with discharge at injection sites",
    "actions_taken": "Culture; clarithromycin",
    "follow_up_dates": "2026-03-16, 2026-03-09",
}


def test_an_event_links_the_sessions_lots_and_sorts_follow_ups(practice, ready):
    session = ready.signed()
    event = events.record_event(ready.membership, practice.patient, {**BASE, "session": session.pk})
    assert list(event.lots.all()) == [ready.lot]
    assert event.serious
    assert event.follow_up_dates == ["2026-03-09", "2026-03-16"]


def test_the_report_is_prefilled_and_exported(practice, ready):
    session = ready.signed()
    event = events.record_event(ready.membership, practice.patient, {**BASE, "session": session.pk})
    fields = {(s, n): v for s, n, v in events.report_fields(event)}
    assert fields[("A. Patient", "Age at time of event (years)")] == "40"
    assert fields[("A. Patient", "Sex")] == "Female"
    assert fields[("D. Suspect product 1", "Lot number")] == "DCA-001"
    assert fields[("D. Suspect product 1", "Expiration date")] == "2027-01-31"
    assert fields[("D. Suspect product 1", "Dose (mL administered)")] == "4"
    assert fields[("B. Adverse event", "Outcomes attributed")].startswith("Required intervention")
    text = events.report_csv(ready.membership, event)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["section", "field", "value"]
    pdf = events.report_pdf(ready.membership, event)
    assert pdf.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", object_type="adverseevent").count() == 2


def test_errors_name_the_field(practice, ready):
    with pytest.raises(ValidationError) as refused:
        events.record_event(
            ready.membership,
            practice.patient,
            {**BASE, "event_type": "sneeze", "follow_up_dates": "soon", "onset_on": "2026-04-01"},
        )
    errors = refused.value.message_dict
    assert set(errors) == {"event_type", "follow_up_dates"}
    assert errors["follow_up_dates"] == ["'soon' is not a date (YYYY-MM-DD)"]
    with pytest.raises(ValidationError) as refused:
        events.record_event(ready.membership, practice.patient, {**BASE, "onset_on": "2026-04-01"})
    assert refused.value.message_dict == {"onset_on": ["must not be in the future"]}


def test_another_patients_session_cannot_be_linked(practice, ready):
    session = ready.signed()
    other = practice.make_patient(practice.clinic, "Bea", "Other", "MC-000002")
    with pytest.raises(ValidationError) as refused:
        events.record_event(ready.membership, other, {**BASE, "session": session.pk})
    assert refused.value.message_dict == {"session": ["is not a session of this patient here"]}


def test_the_event_page_records_and_shows_the_report(practice, ready, client_for):
    session = ready.signed()
    client = client_for(practice.nurse)
    url = f"/sessions/patient/{practice.patient.pk}/adverse-events/new/"
    response = client.post(url, {**BASE, "session": session.pk})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "DCA-001" in page and "MedWatch" in page
    timeline = client.get(f"/sessions/patient/{practice.patient.pk}/timeline/").content.decode()
    assert "Adverse event: infection" in timeline


def test_the_form_offers_a_date_picker_and_a_box_per_seriousness_outcome(practice, client_for):
    page = client_for(practice.nurse).get(
        f"/sessions/patient/{practice.patient.pk}/adverse-events/new/"
    )
    html = page.content.decode()
    assert 'type="date" name="onset_on"' in html
    assert html.count('type="checkbox" name="seriousness"') == 7


def test_a_formula_typed_into_the_narrative_reaches_the_csv_as_text(practice, ready):
    """A tab or carriage return before ``=`` is a formula to a spreadsheet too."""
    session = ready.signed()
    typed = '\t=HYPERLINK("http://example.org")'
    event = events.record_event(
        ready.membership,
        practice.patient,
        {**BASE, "session": session.pk, "description": typed, "actions_taken": "=1+1"},
    )
    rows = list(csv.reader(io.StringIO(events.report_csv(ready.membership, event))))
    values = [value for _, _, value in rows[1:]]
    assert not [v for v in values if v.startswith(("=", "\t", "\r", "@", "+"))]
    assert "'=1+1" in values
