"""A practitioner compares two cocktails' change in thigh circumference at 4 weeks."""

import pytest
from scipy import stats as sp

from mesochart.analytics import series_table
from mesochart.analytics.tests.conftest import CHANGES_A, CHANGES_B, analysis_url, cocktail, cohort
from mesochart.audit.models import AuditEvent
from mesochart.conftest import signed_in

A = [c for c in CHANGES_A if c is not None]
B = [c for c in CHANGES_B if c is not None]


def api(user, **extra):
    return signed_in(user).get(f"/api/v1/analytics/analysis?rows=true&{analysis_url(**extra)}")


def test_two_cocktails_are_compared_by_welch_with_missing_follow_ups_counted(two_cocktails):
    result = api(two_cocktails.practitioner).json()
    groups = {g["name"]: g for g in result["groups"]}
    assert groups["Thigh A"]["summary"]["n"] == 8 and groups["Thigh A"]["missing"] == 2
    assert groups["Thigh B"]["summary"]["n"] == 9 and groups["Thigh B"]["missing"] == 1
    assert result["between"]["test"] == "Welch's t-test"
    assert result["between"]["p_value"] == pytest.approx(sp.ttest_ind(A, B, equal_var=False).pvalue)
    assert groups["Thigh A"]["responders"]["count"] == sum(c <= -2 for c in A)
    assert result["threshold"]["text"] == "circumference down by at least 2 cm"
    assert "completers only" in result["missing_data"]
    assert "±7 days" in result["time_point"]


def test_carrying_the_last_value_forward_is_named_and_analyses_everyone(two_cocktails):
    result = api(two_cocktails.practitioner, missing="locf").json()
    groups = {g["name"]: g for g in result["groups"]}
    assert groups["Thigh A"]["summary"]["n"] == 10 and groups["Thigh A"]["missing"] == 2
    assert "carried forward" in result["missing_data"]


def test_mann_whitney_on_request(two_cocktails):
    between = api(two_cocktails.practitioner, test="mann-whitney").json()["between"]
    assert between["test"] == "Mann-Whitney U test"
    assert between["p_value"] == pytest.approx(sp.mannwhitneyu(A, B).pvalue)
    assert between["effect_name"] == "rank-biserial correlation"


def test_a_group_below_five_patients_gets_a_sentence_not_a_p_value(two_cocktails):
    membership = two_cocktails.actor(two_cocktails.practitioner)
    cohort(membership, cocktail(membership, "Thigh C"), [-1.0, -2.0, -0.5, -1.5], tag="c")
    result = api(two_cocktails.practitioner, test="student").json()
    small = next(g for g in result["groups"] if g["name"] == "Thigh C")
    assert small["within"]["p_value"] is None
    assert result["between"]["test"] == "one-way ANOVA"  # three groups
    assert result["between"]["p_value"] is None
    assert "fewer than 5 patients" in result["between"]["note"]
    page = signed_in(two_cocktails.practitioner).get(f"/analytics/?{analysis_url()}")
    assert "No test is meaningful with fewer than 5 patients" in page.content.decode()


def test_the_page_shows_plot_table_and_tests_without_names(two_cocktails):
    before = AuditEvent.objects.filter(action="read", category="outcome").count()
    page = signed_in(two_cocktails.practitioner).get(f"/analytics/?{analysis_url()}")
    text = page.content.decode()
    assert page.status_code == 200
    for shown in ("an-plot", "Welch&#x27;s t-test", "Hedges&#x27; g", "Thigh A", "What to expect"):
        assert shown in text
    assert "Person-" not in text and "Named" not in text
    assert "/outcomes/plan/" in text  # a practitioner may open the charts: dots link
    assert AuditEvent.objects.filter(action="read", category="outcome").count() == before + 1


def test_the_csv_has_pseudonymised_keys_and_no_names(two_cocktails, settings):
    client = signed_in(two_cocktails.practitioner)
    body = client.get(f"/analytics/analysis.csv?{analysis_url()}").content.decode()
    head, first, *_ = body.splitlines()
    assert head.startswith("patient_key,group,baseline,follow_up,change,days_since_last_session")
    assert len(first.split(",")[0]) == 16 and "Person" not in body
    # The keys are stored with the series: a new secret takes effect with a rebuild.
    settings.ANALYTICS_PSEUDONYM_KEY = "another secret"
    assert series_table.stale()
    series_table.rebuild()
    again = client.get(f"/analytics/analysis.csv?{analysis_url()}").content.decode()
    assert again.splitlines()[1].split(",")[0] != first.split(",")[0]


def test_a_bad_request_names_the_field_to_the_api_and_its_label_on_the_page(two_cocktails):
    response = api(two_cocktails.practitioner, measure="shoe_size")
    assert response.status_code == 422
    assert response.json()["detail"].startswith("measure: ")
    page = signed_in(two_cocktails.practitioner).get(f"/analytics/?{analysis_url(days=-3)}")
    text = page.content.decode()
    assert page.status_code == 422
    assert "Days after the last session: Ensure this value is greater than or equal to 0." in text
    assert "days: " not in text


def test_baselines_are_filtered_by_date_and_a_reversed_range_is_refused(two_cocktails):
    assert api(two_cocktails.practitioner, date_to="2026-02-01").json()["groups"] == []
    kept = api(two_cocktails.practitioner, date_from="2026-02-20", date_to="2026-02-28").json()
    assert sum(g["summary"]["n"] for g in kept["groups"]) == 17
    refused = api(two_cocktails.practitioner, date_from="2026-03-01", date_to="2026-02-01")
    assert refused.status_code == 422
    assert refused.json()["detail"] == "date_to: must not be before the start date"


@pytest.mark.parametrize("grouping,names", [("sex", {"Female"}), ("age_band", {"40–49"})])
def test_patients_are_grouped_by_who_they_are(two_cocktails, grouping, names):
    groups = api(two_cocktails.practitioner, grouping=grouping).json()["groups"]
    assert {g["name"] for g in groups} == names
