"""A refused planning form comes back with everything that was typed: one bad field, the
others kept (a plan created or edited, a protocol, the clinic's opening days)."""

import pytest

from mesochart.testing.plans import new_plan, protocol
from mesochart.tests.kept import assert_kept

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


def _plan_typed(practice, version, **changes) -> dict:
    return {
        "title": "Jaw line, three sessions",
        "indication": "body_contouring",
        "protocol": protocol("lipolysis-pcdc").pk,
        "cocktail_version": version.pk,
        "first_date": "2026-03-09",
        "notes": "Patient prefers mornings",
        **changes,
    }


def test_a_refused_new_plan_keeps_the_other_fields(practice, client_for, pcdc_version):
    typed = _plan_typed(practice, pcdc_version, first_date="next week")
    response = client_for(practice.practitioner).post(
        f"/plans/patient/{practice.patient.pk}/new/", typed
    )
    body = response.content.decode()
    assert "first_date" in body or "First date" in body
    assert_kept(body, typed, except_=("first_date",))


def test_a_refused_plan_edit_keeps_the_other_fields(practice, client_for, pcdc_version):
    plan = new_plan(practice, "lipolysis-pcdc", pcdc_version)
    typed = {**_plan_typed(practice, pcdc_version, indication="astrology"), "version": 1}
    response = client_for(practice.practitioner).post(f"/plans/{plan.pk}/edit/", typed)
    assert_kept(response.content.decode(), typed, except_=("indication", "version"))


def test_a_refused_protocol_keeps_the_other_fields(practice, client_for):
    typed = {
        "name": "Scalp, monthly",
        "indication": "hair_loss",
        "technique": "nappage",
        "depth_min_mm": "1",
        "depth_max_mm": "2",
        "volume_per_point_ml": "0.05",
        "spacing_cm": "1",
        "needle_gauge": "32",
        "needle_length_mm": "4",
        "maintenance": "Every 3 months",
        "note": "House protocol",
        "phases_text": "four sessions",  # the one bad field
        "references_text": "Clinic notes, 2025",
    }
    response = client_for(practice.practitioner).post("/plans/protocols/new/", typed)
    body = response.content.decode()
    assert "write each phase as sessions x days" in body
    assert_kept(body, typed, except_=("phases_text",))


def test_refused_opening_days_keep_the_ticked_days(practice, client_for):
    typed = {"opening_weekdays": ["1", "3"], "closed_dates": "2026-12-25\nBoxing Day"}
    response = client_for(practice.admin).post("/plans/calendar/", typed)
    body = response.content.decode()
    assert "Boxing Day&#x27; is not a date (YYYY-MM-DD)" in body
    assert_kept(body, typed, except_=("closed_dates",))
