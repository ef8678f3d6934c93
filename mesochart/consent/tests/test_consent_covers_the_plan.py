"""A consent covers its indication and the products it names until it is withdrawn; the
document names the patient, the plan and the label's adverse events; consent to marketing
photographs is separate and is no until the patient says yes."""

import pytest
from django.core.exceptions import ValidationError

from mesochart.audit.models import AuditEvent
from mesochart.consent import actions
from mesochart.consent.facts import Target
from mesochart.consent.models import PhotoConsent
from mesochart.consent.readiness import session_readiness
from mesochart.testing.consent import (
    actor_of,
    cocktail,
    next_version,
    sign,
    template,
)

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


def _consent_item(practice, version, indication="lipolysis"):
    ready = session_readiness(
        practice.patient, Target(version, "submental", indication), practice.practitioner
    )
    return next(item for item in ready if item.key == "consent")


def test_the_document_names_the_patient_the_plan_and_the_labels_adverse_events(practice):
    template(practice)
    template(practice, "deoxycholic-acid-10mg-ml", scope="product", title="Deoxycholic acid")
    consent = sign(practice, cocktail(practice, "Chin", deoxycholic_acid_10mg_ml=2))
    document = consent.document
    assert "Patient: Ana LOPEZ" in document
    assert "Record number: MC-000001" in document
    assert "Cocktail: Chin, version 1" in document
    assert "Deoxycholic acid injection 10 mg/mL: 2 mL" in document
    assert "Marginal mandibular nerve injury (an uneven smile), 4%" in document
    assert "Dysphagia (difficulty swallowing), 2%" in document
    assert "NDA 206333" in document
    assert "Deoxycholic acid (version 1)" in document


def test_no_label_figures_are_invented_for_products_without_them(practice):
    template(practice)
    consent = sign(practice, cocktail(practice, pcdc_lipolysis=4))
    section = consent.document.split("2. SIDE EFFECTS")[1].split("3. ALTERNATIVES")[0]
    assert "%" not in section
    assert "None of the products in this cocktail has adverse-event figures" in consent.document


def test_a_consent_needs_a_template_for_the_indication(practice):
    with pytest.raises(ValidationError) as refused:
        sign(practice, cocktail(practice, pcdc_lipolysis=4), indication="cellulite")
    assert refused.value.message_dict["indication"][0].startswith(
        "has no consent template at this clinic for 'Cellulite'"
    )


def test_a_consent_covers_its_indication_and_products_only(practice):
    template(practice)
    version = cocktail(practice, pcdc_lipolysis=4)
    sign(practice, version)
    assert _consent_item(practice, version).ok
    assert not _consent_item(practice, version, indication="cellulite").ok
    wider = next_version(practice, version, pcdc_lipolysis=4, lidocaine_1pct=0.5)
    assert not _consent_item(practice, wider).ok


def test_withdrawal_is_recorded_and_ends_validity(practice):
    template(practice)
    version = cocktail(practice, pcdc_lipolysis=4)
    consent = sign(practice, version)
    actions.withdraw_consent(
        actor_of(practice.reception), consent, {"reason": "Changed her mind by phone"}
    )
    consent.refresh_from_db()
    assert consent.withdrawn_by == practice.reception
    item = _consent_item(practice, version)
    assert not item.ok
    assert item.message == "Consent to lipolysis was withdrawn: no valid consent"
    event = AuditEvent.objects.get(object_type="consent", action="update")
    assert event.detail == {"withdrawn": True, "reason": "Changed her mind by phone"}
    with pytest.raises(ValidationError):
        actions.withdraw_consent(actor_of(practice.nurse), consent, {"reason": "Again"})


def test_the_signature_records_who_when_witness_and_device(practice):
    template(practice)
    consent = sign(practice, cocktail(practice, pcdc_lipolysis=4))
    assert consent.signer_name == "Ana Lopez"
    assert consent.witness == practice.reception
    assert consent.user_agent == "Mozilla/5.0 (iPad) tests"
    assert bytes(consent.signature_png).startswith(b"\x89PNG")
    assert consent.product_slugs == ["pcdc-lipolysis"]


def test_marketing_photos_are_no_unless_the_patient_says_yes(practice):
    template(practice)
    assert not PhotoConsent.current(practice.patient)
    sign(practice, cocktail(practice, pcdc_lipolysis=4))
    assert not PhotoConsent.current(practice.patient)
    actions.record_photo_consent(actor_of(practice.nurse), practice.patient, {"granted": "yes"})
    assert PhotoConsent.current(practice.patient)
    actions.record_photo_consent(actor_of(practice.nurse), practice.patient, {"granted": "no"})
    assert not PhotoConsent.current(practice.patient)


def test_saying_yes_to_photos_when_signing_does_not_change_the_treatment_consent(practice):
    template(practice)
    consent = sign(practice, cocktail(practice, pcdc_lipolysis=4), photo_marketing=True)
    assert PhotoConsent.current(practice.patient)
    assert "photograph" not in consent.document.lower()
