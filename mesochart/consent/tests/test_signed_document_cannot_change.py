"""The signed document is stored exactly, with its SHA-256: altering the stored text, its hash
or the template it came from afterwards is detected, and a new template version leaves
consents already signed as they were."""

import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from mesochart.consent import actions
from mesochart.consent.document import prepare, sha256_text
from mesochart.consent.facts import Target
from mesochart.consent.models import Consent, ConsentTemplateVersion
from mesochart.testing.consent import (
    actor_of,
    cocktail,
    sign,
    signature_data_url,
    template,
)

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(practice):
    template(practice)
    return sign(practice, cocktail(practice, pcdc_lipolysis=4))


def test_a_signed_consent_verifies(signed):
    assert signed.document_sha256 == sha256_text(signed.document)
    assert actions.verify(signed).ok


def test_altering_the_stored_text_is_detected(signed):
    Consent.objects.filter(pk=signed.pk).update(
        document=signed.document.replace("Swelling", "No side effects")
    )
    result = actions.verify(Consent.objects.get(pk=signed.pk))
    assert result.problems == ["document: does not match its SHA-256; the stored text changed"]


def test_altering_the_text_and_its_hash_together_is_caught_by_the_audit_log(signed):
    forged = signed.document.replace("Swelling", "No side effects")
    Consent.objects.filter(pk=signed.pk).update(
        document=forged, document_sha256=sha256_text(forged)
    )
    result = actions.verify(Consent.objects.get(pk=signed.pk))
    assert result.problems == [
        "document_sha256: differs from the audit log's record of the signing"
    ]


def test_altering_the_template_afterwards_is_detected(signed):
    ConsentTemplateVersion.objects.update(risks="Nothing to worry about.")
    result = actions.verify(Consent.objects.get(pk=signed.pk))
    assert len(result.problems) == 1
    assert result.problems[0].startswith("template: Lipolysis consent v1 was altered")


def test_a_new_template_version_does_not_alter_a_signed_consent(practice, signed):
    before = signed.document
    template(practice, risks="Swelling, bruising, and rarely skin ulceration.")
    consent = Consent.objects.get(pk=signed.pk)
    assert consent.document == before
    assert [v.number for v in consent.template_versions.all()] == [1]
    assert actions.verify(consent).ok
    # The next consent is made from version 2.
    newer = sign(practice, consent.cocktail_version)
    assert "rarely skin ulceration" in newer.document
    assert [v.number for v in newer.template_versions.all()] == [2]


def test_a_document_changed_after_it_was_shown_cannot_be_signed(practice):
    template(practice)
    version = cocktail(practice, pcdc_lipolysis=4)
    acting = actor_of(practice.reception)
    target = Target(version, "submental", "lipolysis")
    shown = prepare(acting.clinic, practice.patient, target, acting.clinic.today())
    template(practice, aftercare="New aftercare advice.")
    with pytest.raises(ValidationError) as refused:
        actions.sign_consent(
            acting,
            practice.patient,
            target=target,
            data={
                "signer_name": "Ana Lopez",
                "signature": signature_data_url(),
                "document_sha256": shown.sha256,
            },
        )
    assert refused.value.message_dict == {
        "document_sha256": [
            "the document changed after it was shown: read the new version before signing"
        ]
    }
    assert not Consent.objects.exists()


def test_an_empty_signature_is_refused(practice):
    template(practice)
    with pytest.raises(ValidationError) as refused:
        sign(practice, cocktail(practice, pcdc_lipolysis=4), signature=signature_data_url(False))
    assert refused.value.message_dict == {"signature": ["is empty: sign in the box"]}


def test_the_pdf_shows_the_patient_the_signature_and_the_hash(practice, signed, client_for):
    client = client_for(practice.nurse)
    url = f"/consent/patients/{practice.patient.pk}/consents/{signed.pk}/pdf/"
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Ana LOPEZ" in text
    assert signed.document_sha256 in text
    assert "Signed by (typed name)" in text
    assert any(page.images for page in reader.pages), "the signature image is in the PDF"
    printed = client.get(url + "?print=1")
    assert printed["Content-Disposition"].startswith("inline;")


def test_the_pdf_says_when_verification_fails(practice, signed, client_for):
    Consent.objects.filter(pk=signed.pk).update(document=signed.document + "tampered\n")
    response = client_for(practice.nurse).get(
        f"/consent/patients/{practice.patient.pk}/consents/{signed.pk}/pdf/"
    )
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "does not match its SHA-256" in text
