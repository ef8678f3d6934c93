"""The API's group summary is `core.stats.Summary` itself: every field of the dataclass is in
the answer, with the dataclass's value, and in the OpenAPI document, so a field added to the
core cannot be dropped from the API on the way."""

import dataclasses

from mesochart.analytics import access, analysis
from mesochart.analytics.rows import Query
from mesochart.analytics.tests.conftest import analysis_url
from mesochart.api import api
from mesochart.conftest import signed_in
from mesochart.core import stats
from mesochart.core.change import Missing, TimePoint

FIELDS = [f.name for f in dataclasses.fields(stats.Summary)]


def test_every_summary_field_reaches_the_answer_with_its_value(two_cocktails):
    url = f"/api/v1/analytics/analysis?{analysis_url()}"
    answer = signed_in(two_cocktails.practitioner).get(url).json()
    membership = two_cocktails.actor(two_cocktails.practitioner)
    expected = analysis.run(access.series_for(membership), Query("circumference"),
                            TimePoint(28, 7), Missing.COMPLETERS)  # fmt: skip
    assert len(answer["groups"]) == len(expected.groups) == 2
    for shown, group in zip(answer["groups"], expected.groups, strict=True):
        assert list(shown["summary"]) == FIELDS
        for name in FIELDS:
            value = getattr(group.summary, name)
            assert shown["summary"][name] == (list(value) if isinstance(value, tuple) else value)


def test_the_openapi_document_describes_every_summary_field():
    document = api.get_openapi_schema()
    group = document["components"]["schemas"]["GroupOut"]["properties"]["summary"]
    name = group["$ref"].rsplit("/", 1)[1]
    summary = document["components"]["schemas"][name]
    assert list(summary["properties"]) == FIELDS
    assert set(summary["required"]) == set(FIELDS)
