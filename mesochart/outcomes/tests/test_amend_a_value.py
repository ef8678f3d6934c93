"""Values are amended, never overwritten: the original stays, the amendment says why."""

import pytest
from django.core.exceptions import ValidationError

from mesochart.audit.models import AuditEvent
from mesochart.outcomes import actions
from mesochart.outcomes.tests.conftest import circumference, recorded

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_an_amendment_is_a_new_row_and_the_original_stays(ready):
    original = circumference(ready, "58.0")
    amended = actions.amend_value(
        ready.membership, original, {"value": "57.5", "amend_reason": "tape slipped"}
    )
    original.refresh_from_db()
    assert str(original.value) == "58.00"
    assert (amended.amends, amended.amend_reason, amended.site) == (
        original, "tape slipped", "left thigh, marked"
    )  # fmt: skip
    assert list(recorded(ready).current()) == [amended]
    assert AuditEvent.objects.filter(action="update", object_id=str(amended.pk)).exists()


def test_an_amendment_needs_a_reason_and_a_value_is_amended_once(ready):
    original = circumference(ready)
    with pytest.raises(ValidationError) as refused:
        actions.amend_value(ready.membership, original, {"value": "57"})
    assert "amend_reason" in refused.value.message_dict
    actions.amend_value(ready.membership, original, {"value": "57", "amend_reason": "typo"})
    with pytest.raises(ValidationError) as again:
        actions.amend_value(ready.membership, original, {"value": "56", "amend_reason": "typo"})
    assert again.value.message_dict["amends"] == [
        "this value was already amended; amend the latest"
    ]


def test_an_amendment_is_checked_like_a_new_value(ready):
    original = circumference(ready)
    with pytest.raises(ValidationError) as refused:
        actions.amend_value(ready.membership, original, {"value": "-1", "amend_reason": "x"})
    assert refused.value.message_dict["value"] == ["must be at least 0"]
    assert recorded(ready).count() == 1


def test_a_level_is_amended_from_the_values_page_and_the_original_stays_listed(ready):
    from mesochart.conftest import signed_in

    original = actions.record_value(ready.membership, ready.plan, {
        "measure": "sinclair", "context": "baseline", "measured_on": "2026-03-01",
        "level": "3", "rater_role": "practitioner"})  # fmt: skip
    client = signed_in(ready.practice.practitioner)
    page = client.get(f"/outcomes/plan/{ready.plan.pk}/").content.decode()
    assert 'aria-label="Amended level"' in page
    response = client.post(
        f"/outcomes/value/{original.pk}/amend/", {"level": "2", "amend_reason": "re-rated"}
    )
    assert response.status_code == 302
    assert recorded(ready).current().get().level == "2"
    page = client.get(f"/outcomes/plan/{ready.plan.pk}/").content.decode()
    assert "amends an earlier value: re-rated" in page
    assert '<span class="badge">amended</span>' in page  # the original, still listed


def test_a_css_is_amended_item_by_item_from_the_values_page_and_its_total_recomputed(ready):
    from mesochart.conftest import signed_in

    original = actions.record_value(ready.membership, ready.plan, {
        "measure": "css", "context": "baseline", "measured_on": "2026-03-01",
        "site": "left thigh", "items": {"A": 3, "B": 2, "C": 2, "D": 2, "E": 2},
        "rater_role": "practitioner"})  # fmt: skip
    client = signed_in(ready.practice.practitioner)
    page = client.get(f"/outcomes/plan/{ready.plan.pk}/").content.decode()
    assert 'name="item:css:A" value="3"' in page  # the form starts from the items as rated
    assert 'aria-label="Amended Number of evident depressions"' in page
    items = {f"item:css:{code}": score for code, score in zip("ABCDE", "22222", strict=True)}
    response = client.post(
        f"/outcomes/value/{original.pk}/amend/",
        {"measure": "css", "amend_reason": "item A re-rated in daylight", **items},
    )
    assert response.status_code == 302
    amended = recorded(ready).current().get()
    assert (amended.value, amended.band, amended.amends) == (10, "moderate", original)
    assert amended.items == dict.fromkeys("ABCDE", 2)
