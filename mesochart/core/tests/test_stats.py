"""core.stats against scipy on fixed data, against a published table, and by property."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as sp

from mesochart.core import stats

A = [-3.1, -2.4, -1.0, -2.2, -0.5, -1.8, -2.9, -0.7, -1.5, -2.0]
B = [-1.2, 0.4, -0.9, -0.3, 0.8, -1.1, 0.0, -0.6, 0.2, -1.4, -0.2]
C = [-2.5, -2.6, -0.1, -1.9, -3.3, -1.2]

# Student (1908), "The probable error of a mean", Biometrika 6:1-25, p. 20: additional hours
# of sleep of ten patients on two hypnotics (the data Cushny and Peebles published, as
# reproduced in R's datasets::sleep, e.g. csv/datasets/sleep.csv of the GitHub repository
# vincentarelbundock/Rdatasets, whose R output prints t = -4.0621, df = 9, p-value = 0.002833
# for the groups taken the other way round). Student reports a mean difference of 1.58 hours, and
# the paired t-test of these pairs gives t = 4.0621 on 9 df, p = 0.002833.
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def test_summary_matches_numpy_and_the_t_interval():
    s = stats.summarise("A", A)
    data = np.array(A)
    assert s.n == 10
    assert s.mean == pytest.approx(data.mean())
    assert s.sd == pytest.approx(data.std(ddof=1))
    lo, hi = sp.t.interval(0.95, 9, loc=data.mean(), scale=sp.sem(data))
    assert s.ci95 == pytest.approx((lo, hi))
    assert (s.q1, s.median, s.q3) == pytest.approx(tuple(np.percentile(data, [25, 50, 75])))
    assert (s.p10, s.p90) == pytest.approx(tuple(np.percentile(data, [10, 90])))


def test_student_1908_sleep_table_is_reproduced():
    result = stats.paired_t(SLEEP_1, SLEEP_2)
    assert result.test == "paired t-test"
    assert result.statistic == pytest.approx(4.0621, abs=1e-4)
    assert result.df == 9
    assert result.p_value == pytest.approx(0.002833, abs=1e-6)
    diffs = np.subtract(SLEEP_2, SLEEP_1)
    assert stats.summarise("d", diffs).mean == pytest.approx(1.58)


def test_moments_of_a_constructed_sample_give_the_reported_t():
    # Change scores built to have exactly mean -1.5 and SD 1.2 (n = 20): the one-sample t
    # is then -1.5 / (1.2 / sqrt(20)) by construction, whatever the shape.
    z = np.linspace(-1, 1, 20)
    z = (z - z.mean()) / z.std(ddof=1)
    changes = -1.5 + 1.2 * z
    result = stats.compare({"one protocol": changes})
    assert result.statistic == pytest.approx(-1.5 / (1.2 / math.sqrt(20)))
    assert result.p_value == pytest.approx(2 * sp.t.sf(abs(result.statistic), 19))


# A randomised, placebo-controlled trial in melasma, Table 1 ("Demographics and results"),
# Indian J Dermatol 2022;67(4):454-458, doi:10.4103/ijd.ijd_120_21,
# https://pmc.ncbi.nlm.nih.gov/articles/PMC9792010/table/T1 : per arm n, the mean ± SD of
# the change from baseline (a fall in mMASI or melanin index reported as positive) and the
# between-group P value, as printed. The table does not name its test; Student's t on
# these moments gives every P value it prints, Welch's does not (0.024 for the first).
MELASMA_TABLE = [
    # (what, tranexamic acid (mean, SD, n), placebo (mean, SD, n), P as printed)
    ("mMASI, ITT, 12 weeks", (7.92, 1.93, 9), (4.46, 3.26, 8), "0.016"),
    ("mMASI, ITT, 24 weeks", (8.26, 2.68, 9), (4.44, 3.61, 8), "0.025"),
    ("mMASI, per protocol, 12 weeks", (7.54, 2.05, 7), (5.10, 2.93, 7), "0.096"),
    ("mMASI, per protocol, 24 weeks", (7.97, 3.02, 7), (5.07, 3.39, 7), "0.12"),
    ("melanin index, ITT, 12 weeks", (32.37, 54.02, 9), (26.83, 33.59, 8), "0.81"),
    ("melanin index, ITT, 24 weeks", (26.44, 37.72, 9), (-6.50, 34.52, 8), "0.081"),
    ("melanin index, per protocol, 12 weeks", (31.76, 61.77, 7), (30.67, 34.34, 7), "0.97"),
    ("melanin index, per protocol, 24 weeks", (24.14, 42.38, 7), (-7.43, 37.18, 7), "0.16"),
]


def with_moments(mean: float, sd: float, n: int) -> np.ndarray:
    """n change scores whose mean and SD (n - 1) are exactly ``mean`` and ``sd``."""
    z = np.linspace(-1, 1, n)
    return mean + sd * (z - z.mean()) / z.std(ddof=1)


def as_printed(p: float, printed: str) -> str:
    return f"{p:.{len(printed.split('.')[1])}f}"


@pytest.mark.parametrize(("what", "treated", "placebo", "printed"), MELASMA_TABLE)
def test_a_published_trial_table_is_reproduced_from_its_moments(what, treated, placebo, printed):
    a, b = with_moments(*treated), with_moments(*placebo)
    assert stats.summarise("TA", a).mean == pytest.approx(treated[0])
    assert stats.summarise("TA", a).sd == pytest.approx(treated[1])
    result = stats.two_groups(("tranexamic acid", "placebo"), a, b, test="student")
    assert [g.n for g in result.groups] == [treated[2], placebo[2]]
    assert as_printed(result.p_value, printed) == printed, what


def test_the_same_table_is_not_welchs_so_the_test_named_matters():
    (_what, treated, placebo, printed) = MELASMA_TABLE[0]
    welch = stats.two_groups(("TA", "placebo"), with_moments(*treated), with_moments(*placebo))
    assert welch.test.lower().startswith("welch")
    assert as_printed(welch.p_value, printed) != printed


def test_wilcoxon_matches_scipy_and_names_its_effect():
    result = stats.wilcoxon(SLEEP_1, SLEEP_2)
    ref = sp.wilcoxon(SLEEP_2, SLEEP_1)
    assert result.statistic == pytest.approx(ref.statistic)
    assert result.p_value == pytest.approx(ref.pvalue)
    assert result.effect_name == "rank-biserial correlation"
    assert 0 < result.effect_size <= 1


@pytest.mark.parametrize("test,equal_var", [("welch", False), ("student", True)])
def test_two_group_t_tests_match_scipy(test, equal_var):
    result = stats.two_groups(("A", "B"), A, B, test)
    ref = sp.ttest_ind(A, B, equal_var=equal_var)
    assert result.statistic == pytest.approx(ref.statistic)
    assert result.p_value == pytest.approx(ref.pvalue)
    assert result.df == pytest.approx(ref.df)
    assert [(g.name, g.n) for g in result.groups] == [("A", 10), ("B", 11)]


def test_welch_is_the_default_for_two_groups():
    assert stats.compare({"A": A, "B": B}).test == "Welch's t-test"


def test_hedges_g_against_the_textbook_formula():
    n1, n2 = len(A), len(B)
    var_a, var_b = np.var(A, ddof=1), np.var(B, ddof=1)
    pooled = math.sqrt(((n1 - 1) * var_a + (n2 - 1) * var_b) / (n1 + n2 - 2))
    d = (np.mean(A) - np.mean(B)) / pooled
    assert stats.hedges_g(A, B) == pytest.approx(d * (1 - 3 / (4 * (n1 + n2) - 9)))


def test_mann_whitney_matches_scipy_with_rank_biserial():
    result = stats.two_groups(("A", "B"), A, B, "mann-whitney")
    ref = sp.mannwhitneyu(A, B, alternative="two-sided")
    assert result.statistic == pytest.approx(ref.statistic)
    assert result.p_value == pytest.approx(ref.pvalue)
    assert result.effect_size == pytest.approx(2 * ref.statistic / (10 * 11) - 1)


def test_anova_and_kruskal_match_scipy():
    anova = stats.compare({"A": A, "B": B, "C": C})
    assert anova.test == "one-way ANOVA"
    assert anova.p_value == pytest.approx(sp.f_oneway(A, B, C).pvalue)
    kruskal = stats.compare({"A": A, "B": B, "C": C}, "kruskal")
    assert kruskal.statistic == pytest.approx(sp.kruskal(A, B, C).statistic)
    assert kruskal.p_value == pytest.approx(sp.kruskal(A, B, C).pvalue)


def test_wilson_interval_of_a_published_rate():
    # Wilson (1927) as tabulated by Newcombe (1998), Stat Med 17:857, Table I: 81/263 gives
    # 0.2553 to 0.3662.
    lo, hi = stats.wilson(81, 263)
    assert (lo, hi) == pytest.approx((0.2553, 0.3662), abs=1e-4)
    rate = stats.responder_rate([True] * 81 + [False] * 182)
    assert rate.rate == pytest.approx(81 / 263)


def test_a_group_below_five_gets_a_sentence_not_a_p_value():
    result = stats.compare({"A": A, "small": [-1.0, -2.0, 0.5, -0.3]})
    assert result.p_value is None
    assert result.statistic is None
    assert "fewer than 5 patients" in result.note
    assert [g.n for g in result.groups] == [10, 4]


def test_every_result_names_its_test_and_assumptions():
    for test in ("welch", "student", "mann-whitney"):
        result = stats.compare({"A": A, "B": B}, test)
        assert result.test and result.assumptions and result.effect_name


finite = st.floats(min_value=-50, max_value=50, allow_nan=False, width=32)


@given(st.lists(finite, min_size=2, max_size=40))
def test_the_interval_contains_the_mean_and_the_band_the_median(values):
    s = stats.summarise("g", values)
    assert s.ci95[0] <= s.mean + 1e-9 and s.mean - 1e-9 <= s.ci95[1]
    assert s.p10 <= s.median + 1e-9 <= s.p90 + 2e-9


@given(st.integers(0, 500), st.integers(1, 500))
def test_wilson_stays_within_zero_and_one_and_holds_the_rate(count, n):
    count = min(count, n)
    lo, hi = stats.wilson(count, n)
    assert 0 <= lo <= count / n + 1e-12 and count / n - 1e-12 <= hi <= 1


@given(st.lists(finite, min_size=5, max_size=30), st.lists(finite, min_size=5, max_size=30))
def test_swapping_groups_flips_the_sign_of_the_effect(a, b):
    g1, g2 = stats.hedges_g(a, b), stats.hedges_g(b, a)
    if g1 is not None:
        assert g1 == pytest.approx(-g2)


def test_identical_differences_get_a_sentence_not_nan():
    result = stats.paired_t([60.0] * 6, [59.0] * 6)
    assert result.p_value is None and "no spread" in result.note
