"""Every input that sets the size of the work is bounded, and the error says the bound
(issue 14, Medium 7): one nurse's schedule request once cost 18.6 s of CPU and 235 MB."""

import pytest

from mesochart.core.schedule import MAX_SESSIONS, MAX_SPAN_DAYS
from mesochart.testing.plans import ApiCaller

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


def schedule(practice, **body):
    return ApiCaller(practice.nurse).post("/schedule", {"first_date": "2026-03-02", **body})


def test_a_series_of_a_million_sessions_is_refused_naming_the_bound(practice):
    response = schedule(practice, phases=[{"count": 1_000_000, "every_days": 1}])
    assert response.status_code == 422
    assert response.json()["detail"] == f"phases[0].count: must be at most {MAX_SESSIONS}"


def test_many_phases_adding_up_past_the_session_bound_are_refused(practice):
    response = schedule(practice, phases=[{"count": 60, "every_days": 1}] * 2)
    assert response.json()["detail"] == f"phases: must plan at most {MAX_SESSIONS} sessions"


def test_a_series_spanning_decades_is_refused_naming_the_span(practice):
    response = schedule(practice, phases=[{"count": 10, "every_days": 366}])
    assert response.status_code == 422
    assert response.json()["detail"] == f"phases: must span at most {MAX_SPAN_DAYS} days"


def test_a_series_starting_near_year_9999_is_refused_not_a_server_error(practice):
    response = schedule(practice, first_date="9999-12-01", phases=[{"count": 6, "every_days": 7}])
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "first_date"


def test_a_course_of_weekly_then_monthly_sessions_is_still_proposed(practice):
    response = schedule(
        practice, phases=[{"count": 6, "every_days": 7}, {"count": 3, "every_days": 30}]
    )
    assert response.status_code == 200
    assert len(response.json()["sessions"]) == 9


def test_a_grid_too_dense_to_save_is_refused_naming_the_spacing(practice):
    response = ApiCaller(practice.nurse).post(
        "/grid",
        {
            "view": "neck-submental",
            "region": "submental",
            "spacing_cm": 0.1,
            "scale": {"width_cm": 16.0, "height_cm": 12.0},
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"] == ("spacing_cm: too small for this region (over 5000 points)")


def test_a_grid_target_past_what_a_region_holds_is_refused(practice):
    response = ApiCaller(practice.nurse).post(
        "/grid",
        {
            "view": "neck-submental",
            "region": "submental",
            "spacing_cm": 1.0,
            "target_count": 10**9,
        },
    )
    assert response.json()["detail"] == "target_count: must be at most 5000"


def test_a_protocol_form_with_a_thousand_sessions_says_the_bound(practice):
    from mesochart.planning.forms import ProtocolForm

    form = ProtocolForm({"phases_text": "1000x7"})
    assert not form.is_valid()
    assert form.errors["phases_text"] == [f"at most {MAX_SESSIONS} sessions and 366 days apart"]


def test_a_draft_session_listing_a_region_twice_is_refused(practice):
    from mesochart.treatments.forms import clean_regions

    region = {"view": "neck-submental", "region": "submental", "points": []}
    assert clean_regions([region, region])[1] == ["regions[1].region: is listed twice"]
    too_many = clean_regions([region] * 1000)[1]
    assert too_many[0].startswith("regions: at most ")


def test_a_patient_search_past_its_page_bounds_is_refused_naming_them(practice):
    caller = ApiCaller(practice.reception)
    assert caller.get("/patients?limit=100000").json()["detail"] == (
        "limit: input should be less than or equal to 200"
    )
    beyond_64_bits = caller.get(f"/patients?offset={2**70}")
    assert beyond_64_bits.status_code == 422
    assert beyond_64_bits.json()["errors"][0]["field"] == "offset"
    assert caller.get("/patients?q=" + "a" * 101).json()["errors"][0]["field"] == "q"
