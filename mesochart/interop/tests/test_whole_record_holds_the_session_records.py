"""The whole record of a patient (the EHI zip) holds each session record as printed: the
signed one with its hash, a draft marked as not signed; a voided draft is left out. A
session imported from another installation prints as verified by its original signature."""

import io
import zipfile

import pytest
import time_machine
from pypdf import PdfReader

from mesochart.accounts.models import Organisation
from mesochart.interop.ehi import write_patient_archive
from mesochart.interop.fhir.bundle import patient_bundle
from mesochart.interop.importer.actions import import_patient_bundle
from mesochart.testing.sessions import TODAY, Ready
from mesochart.treatments import actions
from mesochart.treatments.models import TreatmentSession
from mesochart.treatments.record_pdf import session_record_pdf

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


@pytest.fixture
def ready(practice):
    with time_machine.travel(TODAY, tick=False):
        yield Ready(practice)


def pdf_text(document: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


def test_the_zip_holds_each_session_record_pdf(practice, ready):
    signed = ready.signed()
    draft = ready.drafted(ad_hoc=True)
    voided = ready.start(ad_hoc=True)
    actions.void_session(ready.membership, voided, reason="started by mistake")
    buffer = io.BytesIO()
    summary = write_patient_archive(practice.patient, buffer)
    with zipfile.ZipFile(buffer) as archive:
        names = {n for n in archive.namelist() if n.startswith("documents/session-")}
        assert names == {
            f"documents/session-{signed.pk}-2026-03-02.pdf",
            f"documents/session-{draft.pk}-2026-03-02.pdf",
        }
        signed_text = pdf_text(archive.read(f"documents/session-{signed.pk}-2026-03-02.pdf"))
        draft_text = pdf_text(archive.read(f"documents/session-{draft.pk}-2026-03-02.pdf"))
        assert "documents/session-" in archive.read("README.md").decode()
    assert signed.content_hash in signed_text.replace("\n", "") and "DCA-001" in signed_text
    assert "DRAFT — NOT SIGNED" in draft_text
    assert summary.documents >= 2


def test_a_session_imported_from_another_installation_prints_as_verified(practice, course):
    receiving = Organisation.objects.create(name="Receiving Practice", slug="receiving")
    imported = import_patient_bundle(receiving, patient_bundle(practice.patient))
    session = TreatmentSession.objects.get(patient=imported.patient)
    text = pdf_text(session_record_pdf(session))
    assert "Verified when this PDF was made" in text
    assert course.content_hash in text.replace("\n", "")
