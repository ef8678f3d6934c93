"""A clinic adds its own screening rules as data; rules the engine cannot read are refused,
naming the field, and a clinic rule never replaces a sourced default."""

import json

import pytest
from django.core.exceptions import ValidationError

from mesochart.audit.models import AuditEvent
from mesochart.consent import actions
from mesochart.consent.models import ScreeningPolicy
from mesochart.testing.consent import actor_of, cocktail, measured, screen

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db

RECENT_TREATMENT = {
    "key": "recent_treatment_at_site",
    "kind": "relative",
    "source": "Clinic policy, 2026 (MKT: our own protocol)",
    "message": "Treated at the site before",
    "when": {"op": "answer_equals", "question": "recent_treatment_at_site", "value": "yes"},
}


def _save(practice, rules, valid_days=30, user=None):
    return actions.save_policy(
        actor_of(user or practice.practitioner),
        {"valid_days": valid_days, "rules": json.dumps(rules)},
    )


def test_a_clinic_rule_is_applied_in_screening(practice):
    _save(practice, {"rules": [RECENT_TREATMENT]})
    measured(practice.patient)
    screening = screen(
        practice, cocktail(practice, pcdc_lipolysis=4), recent_treatment_at_site="yes"
    )
    assert [f.key for f in screening.relative] == ["recent_treatment_at_site"]
    assert screening.relative[0].source.startswith("Clinic policy")


@pytest.mark.parametrize(
    ("rules", "field", "rule"),
    [
        (
            {"rules": [{**RECENT_TREATMENT, "when": {"op": "like"}}]},
            "rules[0].when.op",
            "unknown operator 'like'",
        ),
        (
            {"rules": [{**RECENT_TREATMENT, "source": " "}]},
            "rules[0].source",
            "cite the source of the rule",
        ),
        (
            {"rules": [{**RECENT_TREATMENT, "key": "pregnancy"}]},
            "rules[0].key",
            "rule 'pregnancy' already exists",
        ),
        (
            {"rules": [{**RECENT_TREATMENT, "kind": "maybe"}]},
            "rules[0].kind",
            "expected 'absolute' or 'relative', got 'maybe'",
        ),
        ([], "rules", "expected an object"),
    ],
)
def test_invalid_rules_are_refused_naming_the_field(practice, rules, field, rule):
    with pytest.raises(ValidationError) as refused:
        _save(practice, rules)
    assert refused.value.message_dict == {field: [rule]}
    assert not ScreeningPolicy.objects.exists()


def test_rules_that_are_not_json_are_refused(practice):
    with pytest.raises(ValidationError) as refused:
        actions.save_policy(
            actor_of(practice.practitioner), {"valid_days": 30, "rules": "{rules: [}"}
        )
    assert list(refused.value.message_dict) == ["rules"]
    assert refused.value.message_dict["rules"][0].startswith("is not valid JSON")


def test_the_validity_period_is_bounded(practice):
    with pytest.raises(ValidationError) as refused:
        _save(practice, {"rules": []}, valid_days=0)
    assert refused.value.message_dict == {"valid_days": ["must be at least 1"]}


def test_saving_the_policy_is_audited_with_before_and_after(practice):
    _save(practice, {"rules": []}, valid_days=14)
    _save(practice, {"rules": [RECENT_TREATMENT]}, valid_days=21)
    last = AuditEvent.objects.filter(object_type="screeningpolicy").order_by("pk").last()
    assert last.detail["before"] == {"valid_days": 14, "rules": {"rules": []}}
    assert last.detail["after"]["valid_days"] == 21


def test_the_policy_page_names_the_rules_field_and_the_path_in_what_was_typed(practice, client_for):
    bad = {"rules": [{**RECENT_TREATMENT, "when": {"op": "like"}}]}
    page = client_for(practice.admin).post(
        "/consent/policy/", {"valid_days": "30", "rules": json.dumps(bad)}
    )
    assert page.status_code == 200
    refusal = "Clinic rules (JSON): rules[0].when.op: unknown operator &#x27;like&#x27;"
    assert refusal in page.content.decode()
