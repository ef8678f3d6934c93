"""The aftercare sheet a clinic writes per protocol and hands to a patient after a session:
admins and practitioners write it, an edit adds a version and never overwrites one that was
printed, errors are the form's own words, and the printed sheet names the patient, the day,
the clinic and the version. The generic starting text holds no clinical figure."""

import io
import re

import pytest
from pypdf import PdfReader

from mesochart.audit.models import AuditEvent
from mesochart.planning import aftercare
from mesochart.planning.models import AftercareSheet

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

ADVICE = "Keep the area clean.\nCall us if it gets hot or swollen."


def pdf_text(document: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


@pytest.fixture
def protocol(ready):
    return ready.plan.protocol


def edit_url(protocol) -> str:
    return f"/plans/protocols/{protocol.pk}/aftercare/"


def test_the_shipped_start_holds_no_clinical_figure():
    assert not re.search(r"\d", str(aftercare.DEFAULT_TEXT))


def test_a_practitioner_writes_the_sheet_and_each_edit_is_a_new_version(
    practice, ready, protocol, client_for
):
    client = client_for(practice.practitioner)
    page = client.get(edit_url(protocol)).content.decode()
    assert "generic start" in page
    saved = client.post(edit_url(protocol), {"text": ADVICE, "version": "0"})
    assert saved.status_code == 302
    client.post(edit_url(protocol), {"text": ADVICE + "\nNo sauna.", "version": "1"})
    first, second = AftercareSheet.objects.order_by("version")
    assert (first.version, first.text) == (1, ADVICE)  # what was printed stays as it was
    assert (second.version, second.updated_by) == (2, practice.practitioner)
    assert aftercare.current(practice.clinic, protocol) == second
    audited = AuditEvent.objects.filter(object_type="aftercaresheet").order_by("pk")
    assert [(a.action, a.detail["version"]) for a in audited] == [("create", 1), ("update", 2)]


def test_errors_are_shown_in_the_forms_words(practice, ready, protocol, client_for):
    client = client_for(practice.admin)
    empty = client.post(edit_url(protocol), {"text": "  ", "version": "0"})
    assert empty.status_code == 422
    assert "Aftercare advice for the patient: write the advice the patient takes home" in (
        empty.content.decode()
    )
    client.post(edit_url(protocol), {"text": ADVICE, "version": "0"})
    same = client.post(edit_url(protocol), {"text": ADVICE, "version": "1"})
    assert "is the same as version 1" in same.content.decode()
    stale = client.post(edit_url(protocol), {"text": "Other advice", "version": "0"})
    assert "someone saved version 1 since you opened this page" in stale.content.decode()
    assert AftercareSheet.objects.count() == 1


@pytest.mark.parametrize("who", ["nurse", "reception"])
def test_only_admins_and_practitioners_write_it(practice, ready, protocol, client_for, who):
    client = client_for(getattr(practice, who))
    assert client.get(edit_url(protocol)).status_code == 403
    assert client.post(edit_url(protocol), {"text": ADVICE, "version": "0"}).status_code == 403
    assert not AftercareSheet.objects.exists()


def test_another_clinics_sheet_is_its_own(practice, ready, protocol, client_for):
    client_for(practice.outsider).post(edit_url(protocol), {"text": "Theirs", "version": "0"})
    assert aftercare.current(practice.clinic, protocol) is None
    client_for(practice.practitioner).post(edit_url(protocol), {"text": ADVICE, "version": "0"})
    assert aftercare.current(practice.clinic, protocol).text == ADVICE


def test_the_printed_sheet_names_the_patient_the_day_the_clinic_and_the_version(
    practice, ready, protocol, client_for
):
    practice.clinic.address = "1 Main Street\nTestville"
    practice.clinic.save()
    aftercare.save_sheet(ready.membership, protocol, {"text": ADVICE, "version": 0})
    session = ready.signed(aftercare="Ice packs as shown.")
    response = client_for(practice.nurse).get(f"/sessions/{session.pk}/aftercare.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Ana Lopez" in text and "2 Mar 2026" in text
    assert "Main Street" in text and "1 Main Street" in text and "Testville" in text
    assert "Keep the area clean." in text and "Call us if it gets hot or swollen." in text
    assert "Ice packs as shown." in text
    assert "version 1" in text
    read = AuditEvent.objects.get(detail__document="aftercare.pdf")
    assert (read.action, read.patient_id, read.detail["version"]) == (
        "read",
        practice.patient.pk,
        1,
    )


def test_without_a_sheet_the_generic_advice_prints_marked_as_such(practice, ready):
    session = ready.signed()
    from mesochart.treatments.aftercare_pdf import aftercare_pdf

    text = pdf_text(aftercare_pdf(session, None))
    assert "the clinic has not written its sheet" in text


def test_printing_it_is_refused_to_reception_and_other_clinics(practice, ready, client_for):
    session = ready.signed()
    url = f"/sessions/{session.pk}/aftercare.pdf"
    assert client_for(practice.reception).get(url).status_code == 403
    response = client_for(practice.outsider).get(url)
    assert response.status_code == 404 and b"Lopez" not in response.content


def test_another_clinics_own_protocol_is_not_found(practice, client_for):
    from mesochart.planning.models import Protocol

    theirs = Protocol.objects.create(
        clinic=practice.other_clinic, slug="theirs", name="Their own", indication="other"
    )
    client = client_for(practice.practitioner)
    assert client.get(edit_url(theirs)).status_code == 404
    assert client.post(edit_url(theirs), {"text": ADVICE, "version": "0"}).status_code == 404
    assert not AftercareSheet.objects.exists()


def test_markup_in_the_sheet_prints_as_written(practice, ready, protocol):
    from mesochart.treatments.aftercare_pdf import aftercare_pdf

    sheet = aftercare.save_sheet(
        ready.membership, protocol, {"text": "Use <b>no</b> creams & lotions", "version": 0}
    )
    text = pdf_text(aftercare_pdf(ready.signed(), sheet))
    assert "Use <b>no</b> creams & lotions" in text
