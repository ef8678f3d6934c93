"""The treatment plan printed: its chart with the grid points, the protocol, the cocktail
version with its ingredients, the series with its dates and the dose check stored at
approval. Printing is an audited read; another clinic's user finds nothing and a
receptionist is refused."""

import io

import pytest
import time_machine
from pypdf import PdfReader

from mesochart.audit.models import AuditEvent
from mesochart.planning.plan_pdf import plan_pdf
from mesochart.testing.plans import new_plan
from mesochart.testing.sessions import TODAY, Ready

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


@pytest.fixture
def ready(practice):
    """An approved submental plan with its series (the session tests' patient)."""
    with time_machine.travel(TODAY, tick=False):
        yield Ready(practice)


def pdf_text(document: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


def test_the_approved_plan_prints_its_chart_protocol_cocktail_series_and_check(practice, ready):
    plan = ready.plan
    text = pdf_text(plan_pdf(plan, practice.clinic))
    flat = text.replace("\n", " ")
    assert "LOPEZ, Ana" in text and plan.title in flat
    assert "Submental area · 16 × 12 cm as measured · 20 point(s)" in text
    assert "cm" in text  # the scale bar
    assert plan.protocol.name in flat and plan.protocol.phases_text() in flat
    assert "Kybella v1" in text and "Deoxycholic acid (10 mg/mL)" in flat
    for session in plan.sessions.all():
        assert session.date.strftime("%-d %b %Y") in text  # English dates: "2 Mar 2026"
    dose = plan.approval_result["dose"]
    [total] = dose["totals"]
    assert f"{total['amount']['value']:.4g} {total['amount']['unit']}" in text
    assert "checked on 2 Mar 2026" in flat  # TODAY, as the patient's language writes it
    assert "NOT APPROVED" not in text


def test_a_draft_plan_is_marked_not_approved(practice):
    plan = new_plan(practice)
    text = pdf_text(plan_pdf(plan, practice.clinic))
    assert "DRAFT — NOT APPROVED" in text and "no stored check" in text


def test_printing_is_an_audited_read_linked_from_the_plan_page(practice, ready, client_for):
    client = client_for(practice.nurse)
    page = client.get(f"/plans/{ready.plan.pk}/").content.decode()
    assert f"/plans/{ready.plan.pk}/plan.pdf" in page
    response = client.get(f"/plans/{ready.plan.pk}/plan.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    read = AuditEvent.objects.get(detail__document="plan.pdf")
    assert (read.action, read.patient_id, read.object_id) == (
        "read",
        practice.patient.pk,
        str(ready.plan.pk),
    )


@pytest.mark.parametrize("who", ["outsider", "sister_practitioner"])
def test_another_clinic_finds_no_plan(practice, ready, client_for, who):
    response = client_for(getattr(practice, who)).get(f"/plans/{ready.plan.pk}/plan.pdf")
    assert response.status_code == 404
    assert b"Lopez" not in response.content and b"LOPEZ" not in response.content


def test_reception_may_not_print_a_plan(practice, ready, client_for):
    response = client_for(practice.reception).get(f"/plans/{ready.plan.pk}/plan.pdf")
    assert response.status_code == 403
    assert b"LOPEZ" not in response.content
    assert not AuditEvent.objects.filter(detail__document="plan.pdf").exists()
