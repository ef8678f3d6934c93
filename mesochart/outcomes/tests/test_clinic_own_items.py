"""A clinic defines its own patient-reported items (FACE-Q is licensed, none is shipped)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mesochart.audit.models import AuditEvent
from mesochart.conftest import signed_in
from mesochart.outcomes import actions, items
from mesochart.outcomes.models import ClinicItem
from mesochart.outcomes.tests.conftest import recorded

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

SHORTS = {
    "slug": "shorts",
    "question": "How confident do you feel in shorts?",
    "response": "scale",
    "better": "higher",
    "maximum": 10,
    "low_anchor": "Not at all",
    "high_anchor": "Completely",
}


def answer(ready, value, day="2026-03-01"):
    data = {
        "measure": "pro.shorts", "context": "follow_up", "measured_on": day,
        "value": value, "rater_role": "patient",
    }  # fmt: skip
    return actions.record_value(ready.membership, ready.plan, data)


def test_a_clinics_shorts_item_is_answered_on_the_tablet_and_appears_on_the_progress_page(ready):
    items.define_item(ready.membership, SHORTS)
    client = signed_in(ready.practice.nurse)
    client.post(f"/outcomes/plan/{ready.plan.pk}/tablet/")
    page = client.get("/consent/tablet/").content.decode()
    assert "How confident do you feel in shorts?" in page
    assert "0 Not at all, 10 Completely" in page
    assert "pro.shorts" in page  # the field's name only, never shown as text
    assert "outcome" not in page.lower().split("<form")[0].split("</head>")[-1]
    done = client.post("/consent/tablet/", {"pro.shorts": "7"})
    assert done.url == "/consent/tablet/"
    value = recorded(ready).get()
    assert (value.measure, value.value, value.rater_role) == ("pro.shorts", 7, "patient")
    assert value.clinic_item.version == 1
    client.post("/consent/tablet/exit/", {"password": "a-long-test-password-1"})
    progress = client.get(f"/outcomes/plan/{ready.plan.pk}/progress/").content.decode()
    assert "How confident do you feel in shorts?" in progress


def test_editing_an_answered_item_makes_a_new_version_the_old_answers_keep_their_question(ready):
    first = items.define_item(ready.membership, SHORTS)
    old = answer(ready, "4")
    second = items.edit_item(ready.membership, first, {"question": "How do you feel in shorts?"})
    assert (second.version, second.supersedes) == (2, first)
    first.refresh_from_db()
    assert first.question == "How confident do you feel in shorts?"
    new = answer(ready, "8", day="2026-03-02")
    old.refresh_from_db()
    assert old.clinic_item == first and new.clinic_item == second
    page = signed_in(ready.practice.practitioner).get(f"/outcomes/plan/{ready.plan.pk}/")
    text = page.content.decode()
    assert "How confident do you feel in shorts?" in text and "How do you feel in shorts?" in text


def test_editing_an_item_nobody_answered_changes_it_in_place(ready):
    first = items.define_item(ready.membership, SHORTS)
    same = items.edit_item(ready.membership, first, {"maximum": 5})
    assert same.pk == first.pk and same.version == 1 and same.maximum == 5


def test_a_retired_item_is_not_offered_but_its_answers_stay(ready):
    row = items.define_item(ready.membership, SHORTS)
    kept = answer(ready, "6")
    items.retire_item(ready.membership, row)
    assert items.own_items(ready.plan) == []
    with pytest.raises(ValidationError) as refused:
        answer(ready, "6", day="2026-03-02")
    assert "measure" in refused.value.message_dict
    kept.refresh_from_db()
    assert kept.clinic_item == row


def test_labelled_levels_are_answered_by_their_level(ready):
    levels = {
        "slug": "confidence", "question": "How do you feel about the area?",
        "response": "levels", "better": "higher", "levels": "Unhappy\nNeutral\nHappy",
    }  # fmt: skip
    items.define_item(ready.membership, levels)
    data = {
        "measure": "pro.confidence", "context": "follow_up", "measured_on": "2026-03-01",
        "rater_role": "patient",
    }  # fmt: skip
    value = actions.record_value(ready.membership, ready.plan, data | {"level": "2"})
    assert value.level == "2"
    with pytest.raises(ValidationError) as refused:
        actions.record_value(ready.membership, ready.plan, data | {"level": "3"})
    assert "level" in refused.value.message_dict


def test_an_answer_outside_the_scale_is_refused_naming_the_value(ready):
    items.define_item(ready.membership, SHORTS)
    with pytest.raises(ValidationError) as refused:
        answer(ready, "11")
    assert refused.value.message_dict["value"] == ["must be at most 10"]


def test_a_bad_definition_names_each_field_and_stores_nothing(ready):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        items.define_item(ready.membership, SHORTS | {"maximum": 0, "high_anchor": ""})
    assert set(refused.value.message_dict) == {"maximum", "high_anchor"}
    assert not ClinicItem.objects.exists() and AuditEvent.objects.count() == before


def test_defining_editing_and_retiring_are_audited(ready):
    row = items.define_item(ready.membership, SHORTS)
    items.edit_item(ready.membership, row, {"maximum": 5})
    items.retire_item(ready.membership, row)
    events = AuditEvent.objects.filter(category="outcome", detail__item="pro.shorts")
    assert list(events.order_by("pk").values_list("action", flat=True)) == [
        "create",
        "update",
        "update",
    ]


def test_another_clinics_item_is_unknown_here(ready):
    outsider = ready.practice.actor(ready.practice.outsider)
    items.define_item(outsider, SHORTS)
    with pytest.raises(ValidationError) as refused:
        answer(ready, "5")
    assert refused.value.message_dict["measure"] == ["is not a known measure"]
    assert items.own_items(ready.plan) == []


@pytest.mark.parametrize("persona", ["reception", "nurse"])
def test_reception_and_nurses_may_not_define_items(ready, persona):
    membership = ready.practice.actor(getattr(ready.practice, persona))
    with pytest.raises(PermissionDenied):
        items.define_item(membership, SHORTS)
    assert not ClinicItem.objects.exists()
