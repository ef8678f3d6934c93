"""Recording outcome values: what each measure accepts, and bad input refused with
``field: rule`` leaving neither a value nor an audit row."""

from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from mesochart.audit.models import AuditEvent
from mesochart.outcomes import actions
from mesochart.outcomes.tests.conftest import circumference, recorded

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def record(ready, **data):
    base = {"context": "baseline", "measured_on": "2026-03-01", "rater_role": "practitioner"}
    return actions.record_value(ready.membership, ready.plan, base | data)


def test_a_baseline_circumference_is_recorded_with_its_rater_and_audited(ready):
    value = circumference(ready, blinded=True)
    assert (value.value, value.site, value.rater, value.blinded) == (
        Decimal("58.0"), "left thigh, marked", ready.practice.practitioner, True
    )  # fmt: skip
    assert AuditEvent.objects.filter(
        category="outcome", action="create", object_id=str(value.pk)
    ).exists()


def test_the_css_total_and_band_are_computed_from_its_items(ready):
    items = {"A": "2", "B": "2", "C": "1", "D": "1", "E": "2"}
    value = record(ready, measure="css", site="left thigh", items=items)
    assert (value.value, value.band, value.items["A"]) == (Decimal(8), "moderate", 2)


def test_a_css_with_a_missing_item_is_kept_without_a_total(ready):
    value = record(ready, measure="css", site="left thigh", items={"A": 2, "B": 2, "C": 1})
    assert value.value is None
    assert value.band == ""


def test_gais_is_stored_as_a_coded_label_with_its_coding(ready):
    value = record(ready, measure="gais_investigator", level="much_improved", coding="-1-3")
    assert (value.level, value.coding, value.value) == ("much_improved", "-1-3", None)


def test_a_patient_rates_their_own_satisfaction_with_no_staff_rater(ready):
    value = record(ready, measure="satisfaction", value="8", rater_role="patient")
    assert value.rater is None


def test_not_measured_with_a_reason_is_recorded(ready):
    value = record(ready, measure="weight", not_measured_reason="scale broken")
    assert value.value is None


@pytest.mark.parametrize(
    ("data", "field", "rule"),
    [
        ({"measure": "pain", "value": "11"}, "value", "must be at most 10"),
        ({"measure": "sinclair", "level": "6"}, "level", "is not a level of Sinclair"),
        (
            {"measure": "css", "site": "thigh", "items": {"A": 1, "forehead_area": 2}},
            "items.forehead_area",
            "is not an item of Cellulite Severity Scale",
        ),
        (
            {"measure": "css", "site": "thigh", "items": {"A": 4}},
            "items.A",
            "must be between 0 and 3",
        ),
        ({"measure": "weight", "value": "60", "measured_on": "1980-01-01"}, "measured_on",
         "must not be before the patient's birth"),
        ({"measure": "weight", "value": "60", "measured_on": "2026-03-03"}, "measured_on",
         "must not be in the future"),
        ({"measure": "circumference", "value": "58"}, "site",
         "is required for this measure (the marked landmark)"),
        ({"measure": "gais_investigator", "level": "improved"}, "coding",
         "must name the coding variant (1-5, -1-3)"),
        ({"measure": "bmi", "value": "22"}, "measure",
         "is computed from other values, not entered"),
        ({"measure": "weight", "value": "60", "context": "session"}, "session",
         "is required for a value taken at a session"),
        ({"measure": "weight", "value": "60", "session": 999999, "context": "session"}, "session",
         "is not a session of this plan"),
        ({"measure": "css", "site": "thigh", "items": {"A": 1}, "rater_role": "patient"},
         "rater_role", "a patient rates only patient-reported measures"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(ready, data, field, rule):
    audit_rows = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        record(ready, **data)
    assert rule in refused.value.message_dict[field]
    assert not recorded(ready).exists()
    assert AuditEvent.objects.count() == audit_rows


def test_a_baseline_after_the_first_signed_session_is_refused(ready):
    ready.signed()
    with time_machine.travel("2026-03-09", tick=False), pytest.raises(ValidationError) as refused:
        circumference(ready, day="2026-03-09")
    assert refused.value.message_dict["measured_on"] == [
        "a baseline must be before the first session"
    ]


def test_a_follow_up_for_a_plan_of_another_patient_is_refused_over_the_api(ready):
    from mesochart.conftest import Practice, signed_in

    other = Practice.make_patient(ready.practice.clinic, "Bea", "Other", "MC-000002")
    body = {"plan": ready.plan.pk, "measure": "weight", "context": "follow_up",
            "measured_on": "2026-03-01", "value": "60", "rater_role": "practitioner"}  # fmt: skip
    response = signed_in(ready.practice.practitioner).post(
        f"/api/v1/patients/{other.pk}/outcomes", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "plan: is not a plan of this patient"
    assert not recorded(ready).exists()
