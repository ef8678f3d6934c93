"""How much results vary: summaries of change, responders, and the tests that compare groups.

Plain numbers in (one float per patient: a change from baseline, or a before/after pair),
frozen dataclasses out; scipy computes every test, numpy every summary. Every `TestResult`
names its test, the assumptions it rests on and n per group; with fewer than `MIN_N`
patients in any group it carries no p-value but a sentence saying why (`note`). Its words
are English, marked for the catalogue (`core.words`) and translated where they are shown
(`analytics.words`).

Conventions, so a statistician can check them:
- SD is the sample SD (ddof=1); the 95 % CI of a mean is mean ± t(0.975, n−1)·SD/√n.
- Median and quartiles use numpy's default (linear) interpolation; so does the "what to
  expect" band, the 10th–90th percentile of the changes.
- The responder rate's 95 % interval is Wilson's score interval (z = 1.959964).
- Hedges' g is Cohen's d on the pooled SD times J = 1 − 3/(4·df − 1); for paired data it is
  d_z (mean difference / SD of differences) times the same J with df = n − 1.
- The rank-biserial correlation of Mann-Whitney is 2·U₁/(n₁n₂) − 1 (positive: the first
  group tends higher); of the Wilcoxon signed-rank test (W⁺ − W⁻)/(W⁺ + W⁻) over non-zero
  differences (positive: after tends higher than before).
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

import numpy as np
from scipy import stats as sp

from mesochart.core.words import gettext_noop

# What the statistics take: a list of floats, or the array `_clean` made of one.
Numbers: TypeAlias = Sequence[float] | np.ndarray

MIN_N = 5
TOO_FEW = gettext_noop(
    "No test is meaningful with fewer than {min_n} patients in a group "
    "(smallest group: {smallest}); no p-value is given."
)
# The name of the one "group" of a within-group (paired) test.
PAIRS = gettext_noop("pairs")
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Summary:
    """One group's values (changes): n, mean ± SD, the mean's 95 % CI, median and IQR, and
    the 10th–90th percentile band. Statistics of fewer than two values are None."""

    name: str
    n: int
    mean: float | None
    sd: float | None
    ci95: tuple[float, float] | None
    median: float | None
    q1: float | None
    q3: float | None
    p10: float | None
    p90: float | None


@dataclass(frozen=True)
class Rate:
    """Responders among those analysed, with Wilson's 95 % interval."""

    count: int
    n: int
    rate: float | None
    ci95: tuple[float, float] | None


@dataclass(frozen=True)
class GroupN:
    name: str
    n: int


@dataclass(frozen=True)
class TestResult:
    test: str
    assumptions: tuple[str, ...]
    groups: tuple[GroupN, ...]
    statistic: float | None = None
    df: float | None = None
    p_value: float | None = None
    effect_name: str = ""
    effect_size: float | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)


def _clean(values: Numbers) -> np.ndarray:
    return np.fromiter(values, dtype=float)


def summarise(name: str, values: Sequence[float]) -> Summary:
    data = _clean(values)
    n = len(data)
    if n == 0:
        return Summary(name, 0, None, None, None, None, None, None, None, None)
    mean = float(data.mean())
    q1, median, q3, p10, p90 = (float(x) for x in np.percentile(data, [25, 50, 75, 10, 90]))
    if n < 2:
        return Summary(name, n, mean, None, None, median, q1, q3, p10, p90)
    sd = float(data.std(ddof=1))
    half = float(sp.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
    return Summary(name, n, mean, sd, (mean - half, mean + half), median, q1, q3, p10, p90)


def wilson(count: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson's score interval for ``count`` successes in ``n``."""
    if n == 0:
        return None
    p = count / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (max(0.0, centre - half), min(1.0, centre + half))


def responder_rate(flags: Sequence[bool]) -> Rate:
    n, count = len(flags), sum(1 for f in flags if f)
    return Rate(count, n, count / n if n else None, wilson(count, n))


def _too_few(test: str, assumptions, groups: list[GroupN]) -> TestResult | None:
    smallest = min((g.n for g in groups), default=0)
    if smallest >= MIN_N:
        return None
    note = TOO_FEW.format(min_n=MIN_N, smallest=smallest)
    return TestResult(test, tuple(assumptions), tuple(groups), note=note)


def _j(df: float) -> float:
    return 1 - 3 / (4 * df - 1)


def hedges_g(a: Numbers, b: Numbers) -> float | None:
    x, y = _clean(a), _clean(b)
    n1, n2 = len(x), len(y)
    if n1 < 2 or n2 < 2:
        return None
    pooled = math.sqrt(((n1 - 1) * x.var(ddof=1) + (n2 - 1) * y.var(ddof=1)) / (n1 + n2 - 2))
    if pooled == 0:
        return None
    return float((x.mean() - y.mean()) / pooled * _j(n1 + n2 - 2))


def hedges_g_paired(diffs: Sequence[float]) -> float | None:
    d = _clean(diffs)
    if len(d) < 2 or d.std(ddof=1) == 0:
        return None
    return float(d.mean() / d.std(ddof=1) * _j(len(d) - 1))


PAIRED_T = gettext_noop("paired t-test")
WILCOXON = gettext_noop("Wilcoxon signed-rank test")
WELCH = gettext_noop("Welch's t-test")
STUDENT = gettext_noop("Student's t-test")
MANN_WHITNEY = gettext_noop("Mann-Whitney U test")
ANOVA = gettext_noop("one-way ANOVA")
KRUSKAL = gettext_noop("Kruskal-Wallis H test")

# The effect sizes' names, and the notes of a test that cannot be run on the data.
HEDGES_G_PAIRED = gettext_noop("Hedges' g (paired, d_z)")
HEDGES_G = gettext_noop("Hedges' g")
RANK_BISERIAL = gettext_noop("rank-biserial correlation")
ETA_SQUARED = gettext_noop("eta squared")
EPSILON_SQUARED = gettext_noop("epsilon squared")
SAME_DIFFERENCES = gettext_noop(
    "Every difference is the same: the t-test has no spread to test against."
)
ZERO_DIFFERENCES = gettext_noop(
    "Every difference is zero: the signed-rank test has nothing to rank."
)
SAME_VALUES = gettext_noop(
    "Every value within each group is the same: the t-test has no spread to use."
)

ASSUME_PAIRED_T = (
    gettext_noop("pairs are independent of one another"),
    gettext_noop("the differences (after − before) are roughly normal"),
)
ASSUME_WILCOXON = (
    gettext_noop("pairs are independent of one another"),
    gettext_noop("the differences are symmetric about their median; zero differences are dropped"),
)
ASSUME_WELCH = (
    gettext_noop("groups are independent"),
    gettext_noop("each group's values are roughly normal"),
)
ASSUME_STUDENT = (*ASSUME_WELCH, gettext_noop("the groups have equal variances"))
ASSUME_MW = (
    gettext_noop("groups are independent"),
    gettext_noop("values are at least ordinal; two-sided"),
)
ASSUME_ANOVA = (*ASSUME_STUDENT[:2], gettext_noop("the groups have equal variances"))
ASSUME_KRUSKAL = (
    gettext_noop("groups are independent"),
    gettext_noop("values are at least ordinal"),
)


def paired_t(before: Numbers, after: Numbers) -> TestResult:
    x, y = _clean(before), _clean(after)
    groups = [GroupN(PAIRS, len(x))]
    if (few := _too_few(PAIRED_T, ASSUME_PAIRED_T, groups)) is not None:
        return few
    if len(set((y - x).tolist())) == 1:
        return TestResult(PAIRED_T, ASSUME_PAIRED_T, tuple(groups), note=SAME_DIFFERENCES)
    result = sp.ttest_rel(y, x)
    return TestResult(
        PAIRED_T, ASSUME_PAIRED_T, tuple(groups), float(result.statistic), float(len(x) - 1),
        float(result.pvalue), HEDGES_G_PAIRED, hedges_g_paired(y - x),
    )  # fmt: skip


def wilcoxon(before: Numbers, after: Numbers) -> TestResult:
    x, y = _clean(before), _clean(after)
    groups = [GroupN(PAIRS, len(x))]
    if (few := _too_few(WILCOXON, ASSUME_WILCOXON, groups)) is not None:
        return few
    d = y - x
    nonzero = d[d != 0]
    if len(nonzero) == 0:
        return TestResult(WILCOXON, ASSUME_WILCOXON, tuple(groups), note=ZERO_DIFFERENCES)
    result = sp.wilcoxon(y, x, zero_method="wilcox")
    ranks = sp.rankdata(np.abs(nonzero))
    plus, minus = float(ranks[nonzero > 0].sum()), float(ranks[nonzero < 0].sum())
    return TestResult(
        WILCOXON, ASSUME_WILCOXON, tuple(groups), float(result.statistic), None,
        float(result.pvalue), RANK_BISERIAL, (plus - minus) / (plus + minus),
    )  # fmt: skip


def two_groups(names: tuple[str, str], a, b, test: str = "welch") -> TestResult:
    """Two independent groups: ``welch`` (the default), ``student`` or ``mann-whitney``."""
    x, y = _clean(a), _clean(b)
    groups = [GroupN(names[0], len(x)), GroupN(names[1], len(y))]
    if test == "mann-whitney":
        if (few := _too_few(MANN_WHITNEY, ASSUME_MW, groups)) is not None:
            return few
        result = sp.mannwhitneyu(x, y, alternative="two-sided")
        r = 2 * float(result.statistic) / (len(x) * len(y)) - 1
        return TestResult(
            MANN_WHITNEY, ASSUME_MW, tuple(groups), float(result.statistic), None,
            float(result.pvalue), RANK_BISERIAL, r,
        )  # fmt: skip
    if test not in ("welch", "student"):
        raise ValueError(f"test: must be welch, student or mann-whitney, not {test}")
    name, assumptions = (WELCH, ASSUME_WELCH) if test == "welch" else (STUDENT, ASSUME_STUDENT)
    if (few := _too_few(name, assumptions, groups)) is not None:
        return few
    if len(set(x.tolist())) == 1 and len(set(y.tolist())) == 1:
        return TestResult(name, assumptions, tuple(groups), note=SAME_VALUES)
    result = sp.ttest_ind(x, y, equal_var=test == "student")
    return TestResult(
        name, assumptions, tuple(groups), float(result.statistic), float(result.df),
        float(result.pvalue), HEDGES_G, hedges_g(x, y),
    )  # fmt: skip


def several_groups(named: Mapping[str, Sequence[float]], test: str = "anova") -> TestResult:
    """Three or more independent groups: ``anova`` or ``kruskal``. The effect size is η²
    (ANOVA) or ε² (Kruskal-Wallis: H / (N − 1))."""
    arrays = {name: _clean(values) for name, values in named.items()}
    groups = [GroupN(name, len(values)) for name, values in arrays.items()]
    name, assumptions = (ANOVA, ASSUME_ANOVA) if test == "anova" else (KRUSKAL, ASSUME_KRUSKAL)
    if test not in ("anova", "kruskal"):
        raise ValueError(f"test: must be anova or kruskal, not {test}")
    if (few := _too_few(name, assumptions, groups)) is not None:
        return few
    samples = list(arrays.values())
    total = sum(len(s) for s in samples)
    if test == "anova":
        result = sp.f_oneway(*samples)
        everything = np.concatenate(samples)
        between = sum(len(s) * (s.mean() - everything.mean()) ** 2 for s in samples)
        within = float(((everything - everything.mean()) ** 2).sum())
        effect = float(between / within) if within else None
        df = (len(samples) - 1, total - len(samples))
        return TestResult(
            name, assumptions, tuple(groups), float(result.statistic), float(df[0]),
            float(result.pvalue), ETA_SQUARED, effect, extra={"df_within": df[1]},
        )  # fmt: skip
    result = sp.kruskal(*samples)
    return TestResult(
        name, assumptions, tuple(groups), float(result.statistic), float(len(samples) - 1),
        float(result.pvalue), EPSILON_SQUARED, float(result.statistic) / (total - 1),
    )  # fmt: skip


def compare(named: Mapping[str, Sequence[float]], test: str | None = None) -> TestResult:
    """The test for ``named`` groups of changes: two groups Welch (or ``test``), more than two
    ANOVA (or ``kruskal``); one group the change from zero by the one-sample form of the
    paired t-test (or ``wilcoxon``), which is the paired test on (baseline, follow-up)."""
    names = list(named)
    if len(names) == 1:
        changes = _clean(named[names[0]])
        zeros = np.zeros_like(changes)
        return wilcoxon(zeros, changes) if test == "wilcoxon" else paired_t(zeros, changes)
    if len(names) == 2:
        return two_groups((names[0], names[1]), named[names[0]], named[names[1]], test or "welch")
    several = "kruskal" if test in ("kruskal", "mann-whitney") else "anova"
    return several_groups(named, several)
