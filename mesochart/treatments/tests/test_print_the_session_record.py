"""The session record printed for the paper file: the chart's points, the products with
lots and expiry, the volumes, the dose engine's totals per ingredient, the amendments, who
signed and when, and the record's SHA-256; a draft is marked DRAFT — NOT SIGNED. Printing is
an audited read; another clinic's user finds nothing and a receptionist is refused."""

import io

import pytest
from pypdf import PdfReader

from mesochart.audit.models import AuditEvent
from mesochart.treatments import actions
from mesochart.treatments.preflight import session_dose
from mesochart.treatments.record_pdf import session_record_pdf

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def pdf_text(document: bytes) -> str:
    reader = PdfReader(io.BytesIO(document))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_signed_record_prints_what_was_signed(practice, ready):
    session = ready.signed(notes="Tolerated well")
    actions.amend_session(
        ready.membership, session, {"kind": "addendum", "text": "Called the next day: fine"}
    )
    session.refresh_from_db()
    text = pdf_text(session_record_pdf(session))
    assert "LOPEZ, Ana" in text and "MC-000001" in text
    assert "DCA-001" in text and "31 Jan 2027" in text  # the lot's expiry, en-GB
    assert "4.000" in text  # drawn and administered, mL
    assert "16 × 12 cm as measured · 20 point(s)" in text  # the chart
    assert "5 cm" in text  # its scale bar
    assert "Called the next day: fine" in text
    assert session.content_hash in text.replace("\n", "")
    assert "Verified when this PDF was made" in text
    assert "DRAFT" not in text


def test_the_totals_are_the_dose_engines(practice, ready):
    session = ready.signed()
    dose = session_dose(session, session.started_at.date())
    [total] = dose.result.totals.values()
    text = pdf_text(session_record_pdf(session))
    assert total.ingredient.name in text
    assert f"{total.amount.magnitude:.4g} mg" in text


def test_a_draft_prints_marked_not_signed(practice, ready):
    draft = ready.drafted()
    text = pdf_text(session_record_pdf(draft))
    assert "DRAFT — NOT SIGNED" in text
    assert "Verified when" not in text


def test_printing_is_an_audited_read(practice, ready, client_for):
    session = ready.signed()
    response = client_for(practice.nurse).get(f"/sessions/{session.pk}/record.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    read = AuditEvent.objects.filter(action="read", object_id=str(session.pk)).last()
    assert read.detail["document"] == "session-record.pdf"
    assert read.patient_id == practice.patient.pk


def test_the_session_page_links_to_the_print(practice, ready, client_for):
    session = ready.signed()
    page = client_for(practice.practitioner).get(f"/sessions/{session.pk}/").content.decode()
    assert f"/sessions/{session.pk}/record.pdf" in page


@pytest.mark.parametrize("who", ["outsider", "sister_practitioner"])
def test_another_clinic_finds_no_record(practice, ready, client_for, who):
    session = ready.signed()
    response = client_for(getattr(practice, who)).get(f"/sessions/{session.pk}/record.pdf")
    assert response.status_code == 404
    assert b"Lopez" not in response.content and b"LOPEZ" not in response.content


def test_reception_may_not_print_a_clinical_record(practice, ready, client_for):
    session = ready.signed()
    response = client_for(practice.reception).get(f"/sessions/{session.pk}/record.pdf")
    assert response.status_code == 403
    assert b"DCA-001" not in response.content
    [refusal] = AuditEvent.objects.filter(action="read", outcome="denied")
    assert refusal.detail["permission"] == "session.view"
    assert not AuditEvent.objects.filter(detail__document="session-record.pdf").exists()


def test_markup_in_the_record_prints_as_written(practice, ready):
    practice.patient.given_name = "Ana <b>"
    practice.patient.save()
    session = ready.signed(notes="<font size=40>big</font> & <br/> small")
    session.patient.refresh_from_db()
    text = pdf_text(session_record_pdf(session))
    assert "<font size=40>big</font> & <br/> small" in text
    assert "LOPEZ, Ana <b>" in text


def test_the_record_prints_the_reconciliation_the_page_shows(practice, ready):
    session = ready.signed()
    text = pdf_text(session_record_pdf(session))
    assert "Drawn, injected and wasted" in text
    # 20 points × 0.2 mL of deoxycholic acid alone: 4 mL drawn, 4 injected, nothing wasted.
    assert "4 mL 4 mL 0 mL 0 mL Reconciles" in text.replace("\n", " ")


def test_a_draft_that_does_not_reconcile_prints_so(practice, ready):
    draft = ready.drafted(drawn="5", wasted="0")
    text = pdf_text(session_record_pdf(draft)).replace("\n", " ")
    assert "5 mL 4 mL 0 mL" in text
    assert "Does not reconcile" in text
