"""An analysis costs the same number of queries at 3 patients and at 200 (issue 17's
benchmark: the count must not grow with the patients), for a grouping read from the
sessions and for one that also reads the products and lots."""

import pytest

from mesochart.analytics import access, analysis
from mesochart.analytics.rows import Query
from mesochart.analytics.tests.conftest import cocktail, cohort
from mesochart.core.change import Missing, TimePoint

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

# The series with their plans, patients and last sessions; the products and lots for those two.
EXPECTED = {"cocktail": 1, "age_band": 1, "lot": 2, "product": 2}


def analyse(membership, grouping: str, missing: Missing) -> None:
    analysis.run(access.series_for(membership), Query("circumference", grouping),
                 TimePoint(28, 7), missing, with_links=True)  # fmt: skip


@pytest.mark.parametrize("missing", list(Missing))
def test_the_query_count_does_not_grow_with_the_patients(
    practice, django_assert_num_queries, django_assert_max_num_queries, missing
):
    membership = practice.actor(practice.practitioner)
    version = cocktail(membership, "Thigh A")
    cohort(membership, version, [-1.0, None, -2.0], tag="few")
    for grouping, queries in EXPECTED.items():
        with django_assert_num_queries(queries):
            analyse(membership, grouping, missing)
    cohort(membership, version, [-1.5, None, 0.5, -2.5] * 50, tag="many")
    for grouping, queries in EXPECTED.items():
        with django_assert_max_num_queries(queries):
            analyse(membership, grouping, missing)
