"""Issue 12 defect 8: a session recorded after the fact (a late entry) carries the real time
it was performed beside when it was entered and signed; it may not be in the future, earlier
than the practice's late-entry bound (30 days, house policy), before the plan's approval or
at a time no consent covered it; its lots and doses are judged on the day it was performed;
the page, the PDF, the timeline, the API and the FHIR export say "late entry"; audited."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from mesochart.audit.models import AuditEvent
from mesochart.consent.models import Consent
from mesochart.interop.fhir.bundle import patient_bundle
from mesochart.interop.fhir.codes import LATE_ENTRY
from mesochart.interop.signed import verify
from mesochart.testing.plans import ApiCaller
from mesochart.testing.sessions import Ready, proof, receive
from mesochart.treatments import actions
from mesochart.treatments.models import LotUse, SessionProduct, TreatmentSession
from mesochart.treatments.record_pdf import session_record_pdf
from mesochart.treatments.tests.test_print_the_session_record import pdf_text
from mesochart.treatments.timeline import timeline

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

# The plan approved, the patient screened and consented on 10 February at 09:00 UTC; the
# session is entered on 2 March at 12:00 UTC, eleven days after it was performed.
PREPARED = datetime(2026, 2, 10, 9, tzinfo=UTC)
ENTERED = datetime(2026, 3, 2, 12, tzinfo=UTC)
PERFORMED = "2026-02-20T15:30"  # the clinic's time (UTC in the tests' clinic)
WHY = "Paper notes from the satellite room; the tablet was down that afternoon."


@pytest.fixture
def late(practice):
    with time_machine.travel(PREPARED, tick=False):
        ready = Ready(practice)
    with time_machine.travel(ENTERED, tick=False):
        yield ready


def start_late(ready, performed=PERFORMED, reason=WHY, **data):
    return ready.start(performed_at=performed, late_entry_reason=reason, **data)


def sign(ready, session):
    return actions.sign_session(ready.membership, session, reauthentication=proof(ready.membership))


def draft_late(ready, lot=None, **data):
    session = start_late(ready, **data)
    rows = [{"lot": (lot or ready.lot).pk, "volume_drawn_ml": "4", "volume_wasted_ml": "0"}]
    return actions.save_draft(ready.membership, session, {"products": rows})


def test_a_late_entry_keeps_when_it_was_performed_entered_and_signed(late):
    session = sign(late, draft_late(late))
    assert session.is_late_entry and session.late_entry_reason == WHY
    assert session.performed_at == datetime(2026, 2, 20, 15, 30, tzinfo=UTC)
    assert session.created_at == ENTERED and session.signed_at == ENTERED
    # The recall dates the lot's use when it was given, not when it was typed in.
    (use,) = LotUse.objects.filter(session=session)
    assert (use.administered_at, use.day) == (session.performed_at, date(2026, 2, 20))
    started = AuditEvent.objects.get(
        action="create", object_type="treatmentsession", object_id=str(session.pk)
    )
    assert started.detail["late_entry"] is True and started.detail["reason"] == WHY
    signed = AuditEvent.objects.filter(
        action="update", object_type="treatmentsession", object_id=str(session.pk)
    ).last()
    assert signed.detail["late_entry"] is True


def test_a_session_recorded_live_is_not_a_late_entry(late):
    session = late.start()
    assert not session.is_late_entry
    assert session.started_at == session.created_at == ENTERED


@pytest.mark.parametrize(
    ("performed", "rule"),
    [
        ("2026-03-02T12:30", "must not be in the future"),
        (
            "2026-01-30T10:00",  # 31 days before the entry
            "must be within the last 30 days (the practice's late-entry policy)",
        ),
        ("2026-02-10T08:00", "must not be before the plan was approved (10 Feb 2026 09:00)"),
        ("yesterday", "is not a date and time (YYYY-MM-DD HH:MM)"),
    ],
)
def test_a_performed_time_out_of_bounds_is_refused(late, performed, rule):
    with pytest.raises(ValidationError) as refused:
        start_late(late, performed)
    assert refused.value.message_dict == {"performed_at": [rule]}
    assert not TreatmentSession.objects.exists()


def test_the_bound_is_the_practices_setting(late, settings):
    settings.LATE_ENTRY_MAX_DAYS = 5
    with pytest.raises(ValidationError) as refused:
        start_late(late)
    assert refused.value.message_dict["performed_at"] == [
        "must be within the last 5 days (the practice's late-entry policy)"
    ]


def test_a_late_entry_needs_its_reason(late):
    with pytest.raises(ValidationError) as refused:
        start_late(late, reason="  ")
    assert refused.value.message_dict == {
        "late_entry_reason": ["is required: say why the session is recorded after the fact"]
    }


def test_a_time_before_the_consent_was_signed_is_refused(late):
    Consent.objects.update(signed_at=datetime(2026, 2, 21, 9, tzinfo=UTC))
    with pytest.raises(ValidationError) as refused:
        start_late(late)
    assert refused.value.message_dict == {
        "performed_at": ["no signed consent covering this plan was in force at that time"]
    }


def test_a_time_after_the_consent_was_withdrawn_is_refused(late):
    Consent.objects.update(withdrawn_at=datetime(2026, 2, 15, 9, tzinfo=UTC))
    with pytest.raises(ValidationError) as refused:
        start_late(late)
    assert "no signed consent" in refused.value.message_dict["performed_at"][0]


def test_signing_past_the_bound_is_refused(late):
    session = draft_late(late)
    later = ENTERED + timedelta(days=25)
    with time_machine.travel(later, tick=False), pytest.raises(ValidationError) as refused:
        sign(late, session)
    assert refused.value.message_dict["performed_at"] == [
        "must be within the last 30 days (the practice's late-entry policy)"
    ]
    session.refresh_from_db()
    assert session.status == "draft"


def test_a_lot_is_judged_in_date_on_the_day_performed(late, practice):
    with time_machine.travel(PREPARED, tick=False):
        short = receive(practice, lot_number="DCA-SHORT", expires_on=date(2026, 2, 28))
    session = sign(late, draft_late(late, lot=short))  # in date on 20 February
    assert session.signed
    live = late.start(ad_hoc=True)
    rows = [{"lot": short.pk, "volume_drawn_ml": "4", "volume_wasted_ml": "0"}]
    live = actions.save_draft(late.membership, live, {"products": rows})
    blocking = [i.message for i in actions.checklist(live).blocking]
    assert "lot DCA-SHORT expired on 2026-02-28" in blocking


def test_the_dose_engine_reads_the_history_as_it_stood_when_performed(late, practice):
    """A session signed on 25 January: 26 days before the late entry (inside the label's
    month), 36 before the day it is typed in. The interval is judged on the performed day."""
    earlier = TreatmentSession.objects.create(
        clinic=practice.clinic,
        patient=practice.patient,
        plan=late.plan,
        cocktail_version=late.version,
        practitioner=practice.practitioner,
        created_by=practice.practitioner,
        status="signed",
        started_at=datetime(2026, 1, 25, 10, tzinfo=UTC),
        signed_by=practice.practitioner,
        signed_at=datetime(2026, 1, 25, 10, tzinfo=UTC),
        content_hash="a" * 64,
    )
    SessionProduct.objects.create(
        session=earlier, product=late.lot.product, lot=late.lot, volume_drawn_ml=4
    )
    late_one = draft_late(late, ad_hoc=True)
    interval = [i for i in actions.checklist(late_one) if "interval" in i.key]
    assert interval and not interval[0].ok
    live = late.drafted(ad_hoc=True)
    assert not [i for i in actions.checklist(live) if "interval" in i.key and not i.ok]


def test_the_record_timeline_pdf_api_and_fhir_say_late_entry(late, practice, client_for):
    session = sign(late, draft_late(late))
    client = client_for(practice.practitioner)
    page = client.get(f"/sessions/{session.pk}/").content.decode()
    assert "late entry" in page
    assert "performed 20 Feb 2026 15:30, entered 2 Mar 2026 12:00, signed 2 Mar 2026 12:00" in page
    assert WHY in page
    (entry,) = [e for e in timeline(practice.patient) if e.kind == "session"]
    assert entry.late_entry and entry.day == "2026-02-20"
    assert "late entry: performed 20 Feb 2026 15:30, entered 2 Mar 2026 12:00" in entry.detail
    html = client.get(f"/sessions/patient/{practice.patient.pk}/timeline/").content.decode()
    assert "tx-late-flag" in html
    text = pdf_text(session_record_pdf(session)).replace("\n", " ")
    assert "LATE ENTRY" in text and "Entered" in text and WHY in text
    api = client.get(f"/api/v1/sessions/{session.pk}").json()
    assert api["late_entry"] is True and api["late_entry_reason"] == WHY
    assert api["performed_at"].startswith("2026-02-20T15:30")
    assert api["entered_at"].startswith("2026-03-02T12:00")
    assert api["signed_at"].startswith("2026-03-02T12:00")
    listed = client.get(f"/api/v1/patients/{practice.patient.pk}/timeline").json()
    assert [e["late_entry"] for e in listed if e["kind"] == "session"] == [True]
    bundle = patient_bundle(practice.patient)  # each resource checked by fhir.resources
    (resource,) = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Procedure"
    ]
    assert resource["performedDateTime"].startswith("2026-02-20T15:30")
    (extension,) = [e for e in resource["extension"] if e["url"] == LATE_ENTRY]
    parts = {part["url"]: part for part in extension["extension"]}
    assert parts["reason"]["valueString"] == WHY
    assert parts["entered"]["valueDateTime"].startswith("2026-03-02T12:00")


def test_the_reason_is_covered_by_the_signature(late):
    session = sign(late, draft_late(late))
    assert verify(session)
    TreatmentSession.objects.filter(pk=session.pk).update(late_entry_reason="edited")
    session.refresh_from_db()
    assert not verify(session)


def test_the_page_starts_a_late_entry_and_names_a_refusal_by_its_label(late, practice, client_for):
    client = client_for(practice.practitioner)
    url = f"/sessions/plan/{late.plan.pk}/start/"
    refused = client.post(url, {"performed_at": "2026-03-03T09:00", "late_entry_reason": WHY})
    assert refused.status_code == 302
    chart = client.get(refused["Location"]).content.decode()
    assert "Performed at: must not be in the future" in chart
    assert "performed_at:" not in chart
    started = client.post(url, {"performed_at": PERFORMED, "late_entry_reason": WHY})
    session = TreatmentSession.objects.get()
    assert started["Location"] == f"/sessions/{session.pk}/"
    assert session.is_late_entry


def test_another_clinic_and_reception_cannot_start_a_late_entry(late, practice, client_for):
    url = f"/sessions/plan/{late.plan.pk}/start/"
    data = {"performed_at": PERFORMED, "late_entry_reason": WHY}
    assert client_for(practice.outsider).post(url, data).status_code == 404
    assert client_for(practice.reception).post(url, data).status_code in (302, 403)
    assert not TreatmentSession.objects.exists()


def test_a_late_entry_before_a_signed_session_asks_for_a_reason(late):
    """Signed on 1 March, live; the late entry is performed on 20 February, before it."""
    with time_machine.travel(datetime(2026, 3, 1, 10, tzinfo=UTC), tick=False):
        late.signed()
    session = draft_late(late, ad_hoc=True)
    (item,) = [i for i in actions.checklist(session) if i.key == "late_entry.signed_after"]
    assert item.needs_acknowledgement
    assert "before 1 signed session(s) (2026-03-01)" in item.message
    assert not [i for i in actions.checklist(late.start(ad_hoc=True)) if "late_entry" in i.key]


def test_the_api_starts_a_late_entry_and_refuses_with_field_and_rule(late, practice):
    api = ApiCaller(practice.practitioner)
    path = f"/plans/{late.plan.pk}/sessions"
    refused = api.post(path, {"performed_at": "2026-03-05T09:00", "late_entry_reason": WHY})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "performed_at", "rule": "must not be in the future"}
    ]
    started = api.post(
        path, {"performed_at": "2026-02-20T15:30:00+00:00", "late_entry_reason": WHY}
    )
    assert started.status_code == 201
    body = started.json()
    assert body["late_entry"] is True and body["performed_at"].startswith("2026-02-20T15:30")


def test_a_session_recorded_after_a_signed_late_entry_is_judged_with_it(late):
    """The late entry, performed on 20 February, is signed on 2 March; a session drafted live
    that day, ten days on, is inside the label's interval from it and the checklist says so."""
    sign(late, draft_late(late, ad_hoc=True))
    live = late.drafted(ad_hoc=True)
    interval = [i for i in actions.checklist(live) if "interval" in i.key]
    assert interval and not interval[0].ok
