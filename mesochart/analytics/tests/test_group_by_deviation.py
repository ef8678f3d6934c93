"""Sessions signed as a deviation from their plan are a grouping of the analysis: the
practice sees how many plans' last session deviated, and their change beside the others'."""

from mesochart.analytics.tests.conftest import analysis_url
from mesochart.conftest import signed_in
from mesochart.treatments.models import TreatmentSession

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_the_analysis_groups_plans_by_whether_their_last_session_deviated(two_cocktails):
    deviated = TreatmentSession.objects.order_by("pk")[:3]
    TreatmentSession.objects.filter(pk__in=[s.pk for s in deviated]).update(
        deviation_justification="More volume given than planned, see the notes.",
        deviation_findings=["Thigh A: more than the label's volume per injection."],
    )
    client = signed_in(two_cocktails.practitioner)
    result = client.get(f"/api/v1/analytics/analysis?{analysis_url(grouping='deviation')}").json()
    groups = {g["name"]: g for g in result["groups"]}
    assert set(groups) == {"as planned", "with a deviation"}
    deviating = groups["with a deviation"]
    assert deviating["summary"]["n"] + deviating["missing"] == 3
    page = client.get(f"/analytics/?{analysis_url(grouping='deviation')}").content.decode()
    assert "with a deviation" in page and "Deviation from the plan" in page
