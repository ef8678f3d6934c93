"""Who may analyse: practitioners and admins of the clinic; never another organisation's data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mesochart.analytics import access, analysis
from mesochart.analytics.rows import Query
from mesochart.analytics.tests.conftest import analysis_url, cocktail, cohort
from mesochart.audit.models import AuditEvent
from mesochart.conftest import signed_in
from mesochart.core.change import Missing, TimePoint

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

URLS = ["/analytics/?{q}", "/analytics/analysis.csv?{q}", "/api/v1/analytics/analysis?{q}"]


@pytest.mark.parametrize("url", URLS)
def test_practitioners_and_admins_analyse_and_each_read_is_audited(two_cocktails, url):
    for user in (two_cocktails.practitioner, two_cocktails.admin):
        before = AuditEvent.objects.filter(action="read", actor_id=user.pk).count()
        assert signed_in(user).get(url.format(q=analysis_url())).status_code == 200
        assert AuditEvent.objects.filter(action="read", actor_id=user.pk).count() == before + 1


@pytest.mark.parametrize("url", URLS)
def test_reception_and_nurses_are_refused_and_the_refusal_is_audited(two_cocktails, url):
    for user in (two_cocktails.reception, two_cocktails.nurse):
        assert signed_in(user).get(url.format(q=analysis_url())).status_code == 403
        assert AuditEvent.objects.filter(actor_id=user.pk, outcome="denied").exists()
        reads = AuditEvent.objects.filter(actor_id=user.pk, action="read", outcome="success")
        assert not reads.exists()


def test_another_organisations_outcomes_never_enter_a_result(two_cocktails):
    practice = two_cocktails
    outsider = practice.actor(practice.outsider)
    # Same cocktail name, enormous changes: any leak would move n and the mean.
    cohort(outsider, cocktail(outsider, "Thigh A"), [-40.0] * 12, tag="o")
    mine = signed_in(practice.practitioner).get(f"/api/v1/analytics/analysis?{analysis_url()}")
    group = next(g for g in mine.json()["groups"] if g["name"] == "Thigh A")
    assert group["summary"]["n"] == 8 and group["summary"]["mean"] > -5
    theirs = signed_in(practice.outsider).get(f"/api/v1/analytics/analysis?{analysis_url()}")
    assert [g["summary"]["n"] for g in theirs.json()["groups"]] == [12]
    sister = signed_in(practice.sister_practitioner).get(
        f"/api/v1/analytics/analysis?{analysis_url()}"
    )
    assert sister.json()["groups"] == []


def test_the_query_count_does_not_grow_with_the_patients(practice):
    membership = practice.actor(practice.practitioner)
    version = cocktail(membership, "Thigh A")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            analysis.run(access.series_for(membership), Query("circumference", "product"),
                         TimePoint(28, 7), Missing.COMPLETERS)  # fmt: skip
        return len(captured.captured_queries)

    cohort(membership, version, [-1.0] * 3, tag="x")
    few = queries()
    cohort(membership, version, [-1.0] * 40, tag="y")
    assert queries() == few <= 5
