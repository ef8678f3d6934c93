"""Each relative finding needs the practitioner's acknowledgement with a written reason, and
the acknowledgement is in the audit log."""

import pytest
from django.core.exceptions import ValidationError

from mesochart.audit.models import AuditEvent
from mesochart.consent import actions
from mesochart.consent.models import Acknowledgement
from mesochart.core.screening_defaults import DEFAULT_RULES
from mesochart.core.screening_rules import Kind
from mesochart.patients.models import Medication
from mesochart.testing.consent import (
    actor_of,
    cocktail,
    measured,
    screen,
)

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db

MEETS = {
    "bleeding_risk_medication": {"anticoagulants": "yes", "medication_names": "Apixaban"},
    "bleeding_disorder": {"bleeding_disorder": "yes"},
    "immunosuppression": {"immunosuppression": "unsure"},
    "active_cancer": {"active_cancer": "yes"},
    "autoimmune_disease": {"autoimmune_disease": "yes"},
    "uncontrolled_diabetes": {"diabetes": "yes", "diabetes_controlled": "no"},
    "keloid_tendency": {"keloid_tendency": "yes"},
    "bmi_over_30_lipolysis": {},  # from the record: 95 kg, 165 cm
    "prior_surgery_at_site": {"prior_surgery_at_site": "yes"},
}


def test_every_relative_default_rule_is_tried_here():
    relative = {rule.key for rule in DEFAULT_RULES if rule.kind == Kind.RELATIVE}
    assert relative == set(MEETS)


@pytest.mark.parametrize("key", sorted(MEETS))
def test_a_relative_finding_holds_the_session_until_acknowledged_with_a_reason(practice, key):
    measured(practice.patient, weight_kg=95 if key == "bmi_over_30_lipolysis" else 62)
    version = cocktail(practice, pcdc_lipolysis=4)
    screening = screen(practice, version, **MEETS[key])
    assert [f.key for f in screening.relative] == [key]
    assert not screening.may_treat()

    acting = actor_of(practice.practitioner)
    with pytest.raises(ValidationError) as blank:
        actions.acknowledge(acting, screening, {"key": key, "reason": "   "})
    assert blank.value.message_dict == {"reason": ["is required: write why you treat despite it"]}

    reason = "Discussed with the patient; benefits outweigh the risk at this dose."
    actions.acknowledge(acting, screening, {"key": key, "reason": reason})
    screening.refresh_from_db()
    assert screening.may_treat()
    assert Acknowledgement.objects.get(screening=screening).reason == reason


def test_the_acknowledgement_is_audited_with_its_reason_and_source(practice):
    version = cocktail(practice, pcdc_lipolysis=4)
    measured(practice.patient)
    screening = screen(practice, version, keloid_tendency="yes")
    actions.acknowledge(
        actor_of(practice.practitioner),
        screening,
        {"key": "keloid_tendency", "reason": "Small papules only; keloid history on the back"},
    )
    event = AuditEvent.objects.filter(object_type="screening", action="update").get()
    assert event.actor_id == practice.practitioner.pk
    assert event.patient_id == practice.patient.pk
    assert event.detail["acknowledged"] == "keloid_tendency"
    assert event.detail["reason"] == "Small papules only; keloid history on the back"
    assert "reference.md" in event.detail["source"]


def test_a_finding_is_acknowledged_once(practice):
    version = cocktail(practice, pcdc_lipolysis=4)
    measured(practice.patient)
    screening = screen(practice, version, keloid_tendency="yes")
    acting = actor_of(practice.practitioner)
    actions.acknowledge(acting, screening, {"key": "keloid_tendency", "reason": "Reviewed"})
    with pytest.raises(ValidationError) as again:
        actions.acknowledge(acting, screening, {"key": "keloid_tendency", "reason": "Again"})
    assert again.value.message_dict == {"key": ["is already acknowledged"]}


def test_a_key_that_is_not_a_finding_is_refused(practice):
    version = cocktail(practice, pcdc_lipolysis=4)
    measured(practice.patient)
    screening = screen(practice, version)
    with pytest.raises(ValidationError) as refused:
        actions.acknowledge(
            actor_of(practice.practitioner), screening, {"key": "pregnancy", "reason": "x"}
        )
    assert refused.value.message_dict == {"key": ["is not a finding of this screening"]}


def test_a_recorded_anticoagulant_counts_even_when_the_patient_answers_no(practice):
    Medication.objects.create(patient=practice.patient, name="Warfarin", anticoagulant=True)
    measured(practice.patient)
    screening = screen(practice, cocktail(practice, pcdc_lipolysis=4), anticoagulants="no")
    assert [f.key for f in screening.relative] == ["bleeding_risk_medication"]
    assert "Warfarin" in screening.relative[0].message


def test_the_acknowledge_page_answers_htmx_with_the_findings(practice, client_for):
    version = cocktail(practice, pcdc_lipolysis=4)
    measured(practice.patient)
    screening = screen(practice, version, keloid_tendency="yes")
    client = client_for(practice.practitioner)
    url = f"/consent/patients/{practice.patient.pk}/screenings/{screening.pk}/acknowledge/"

    refused = client.post(
        url, {"key": "keloid_tendency", "reason": ""}, headers={"HX-Request": "true"}
    )
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "Why you treat despite it: is required: write why you treat despite it" in text
    assert "reason: " not in text

    done = client.post(
        url,
        {"key": "keloid_tendency", "reason": "Reviewed the scars"},
        headers={"HX-Request": "true"},
    )
    assert "Relative · acknowledged" in done.content.decode()
    assert "<html" not in done.content.decode()
