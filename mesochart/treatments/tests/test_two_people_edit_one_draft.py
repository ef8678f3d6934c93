"""Optimistic locking: a second user saving a draft from a stale version is refused with a
message naming ``version``; the first user's work stays."""

import pytest
from django.core.exceptions import ValidationError

from mesochart.treatments import actions
from mesochart.treatments.models import TreatmentSession

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_a_save_from_a_stale_version_is_refused(ready):
    session = ready.start()
    opened_version = session.version
    nurse_copy = TreatmentSession.objects.get(pk=session.pk)
    actions.save_draft(ready.membership, session, {"notes": "first"}, version=opened_version)
    with pytest.raises(ValidationError) as refused:
        actions.save_draft(ready.nurse, nurse_copy, {"notes": "second"}, version=opened_version)
    (message,) = refused.value.message_dict["version"]
    assert "someone else saved this session" in message
    session.refresh_from_db()
    assert session.notes == "first"


def test_a_save_from_the_current_version_succeeds(ready):
    session = ready.start()
    saved = actions.save_draft(ready.nurse, session, {"notes": "ok"}, version=session.version)
    assert saved.version == 2


def test_field_errors_name_the_field_and_the_rule(ready):
    session = ready.start()
    with pytest.raises(ValidationError) as refused:
        actions.save_draft(
            ready.membership,
            session,
            {"needle_gauge": 50, "products": [{"volume_drawn_ml": "1"}], "regions": "x"},
        )
    errors = refused.value.message_dict
    assert errors["needle_gauge"] == ["must be between 18 G and 34 G"]
    assert errors["products[0].lot"] == ["choose a lot or scan the box"]
    assert errors["regions"] == ["regions: must be a list of regions"]
