"""The session check a plan's series and a session's pre-flight share, on any points."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesochart.core.limits import LimitKind
from mesochart.core.reference import load_shipped_products
from mesochart.core.session_check import (
    RegionPoints,
    Unready,
    session_findings,
    smallest_gap_cm,
    summarise,
    unready,
)

PRODUCTS = load_shipped_products()
DAY = date(2026, 11, 3)
SLUGS = sorted(PRODUCTS)


def grid(columns: int, rows: int, spacing: float) -> tuple[tuple[float, float], ...]:
    return tuple((c * spacing, r * spacing) for c in range(columns) for r in range(rows))


def region(xy, volume=0.1, depth=4.0, name="submental", spacing=1.0) -> RegionPoints:
    return RegionPoints(name, spacing, tuple(xy), (depth,) * len(xy), (volume,) * len(xy))


@given(
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=2, max_value=12),
    st.floats(min_value=0.2, max_value=3.0),
)
def test_a_grid_laid_at_a_spacing_reads_as_that_spacing(columns, rows, spacing):
    assert smallest_gap_cm(grid(columns, rows, spacing)) == round(spacing, 2)


@given(
    st.lists(st.tuples(st.integers(0, 40), st.floats(0.01, 0.5)), min_size=1, max_size=4),
)
def test_the_summary_counts_every_point_and_adds_every_volume(regions):
    parts = [region(grid(n, 1, 1.0), volume, name=f"r{i}") for i, (n, volume) in enumerate(regions)]
    summary = summarise(parts)
    assert summary.points == sum(n for n, _ in regions)
    assert summary.volume_ml == pytest.approx(sum(n * v for n, v in regions), abs=1e-5)
    assert summary.without_volume == 0


@given(st.booleans(), st.integers(0, 5), st.booleans(), st.booleans(), st.sampled_from(SLUGS))
def test_points_are_checked_only_when_nothing_is_missing(
    with_cocktail, count, stacked, volumes_given, slug
):
    xy = list(grid(count, 1, 1.0))
    if stacked and xy:
        xy.append(xy[0])
    volumes = tuple([0.1] * len(xy)) if volumes_given else tuple([None] * len(xy))
    summary = summarise([RegionPoints("submental", 1.0, tuple(xy), (4.0,) * len(xy), volumes)])
    cocktail = [(slug, 1.0)] if with_cocktail else []
    reasons = unready(summary, cocktail)
    assert (Unready.NO_COCKTAIL in reasons) is not with_cocktail
    assert (Unready.NO_POINTS in reasons) is (not xy)
    assert (Unready.NO_VOLUME in reasons) is (bool(xy) and not volumes_given)
    assert (Unready.STACKED in reasons) is (stacked and bool(xy) and len(xy) > 1)


def test_points_that_cannot_be_checked_are_refused_not_passed():
    summary = summarise([region(())])
    with pytest.raises(ValueError, match="no_points"):
        session_findings(summary, [region(())], [(SLUGS[0], 1.0)], PRODUCTS, 70.0, DAY, (), "x")


@given(st.floats(min_value=0.02, max_value=3.0))
def test_the_largest_point_alone_judges_the_volume_per_injection(largest):
    """Fifty points at 0.1 mL and one at ``largest``: the per-injection limit of the
    deoxycholic acid label is judged on that one point, never on the mean."""
    dca = "deoxycholic-acid-10mg-ml"
    xy = grid(51, 1, 1.0)
    volumes = (0.1,) * 50 + (largest,)
    regions = [RegionPoints("submental", 1.0, xy, (4.0,) * 51, volumes)]
    summary = summarise(regions)
    checked = session_findings(summary, regions, [(dca, 1.0)], PRODUCTS, 70.0, DAY, (), "x")
    even = [RegionPoints("submental", 1.0, xy, (4.0,) * 51, (largest,) * 51)]
    alone = session_findings(summarise(even), even, [(dca, 1.0)], PRODUCTS, 70.0, DAY, (), "x")

    def per_injection(check):
        return [f for f in check.findings if f.rule is LimitKind.VOLUME_PER_INJECTION]

    assert bool(per_injection(checked)) is bool(per_injection(alone))
