"""An analysis as the page, the API and the CSV show it: rows from `rows.series`, numbers from
`core.change` and `core.stats`, words in the reader's language (`words.in_words`). The
`Analysis` dataclass reaches the template and the ninja schema as it is."""

from dataclasses import dataclass

from mesochart.analytics import rows as rows_mod
from mesochart.analytics.words import in_words
from mesochart.core import measures, stats
from mesochart.core.change import (
    MISSING_TEXT,
    THRESHOLDS,
    Missing,
    Row,
    Series,
    Threshold,
    TimePoint,
    analysed,
    responded,
)

# The tests one may ask for, by the name the core gives each.
WITHIN_TESTS = {"paired-t": stats.PAIRED_T, "wilcoxon": stats.WILCOXON}
BETWEEN_TESTS = {
    "welch": stats.WELCH, "student": stats.STUDENT, "mann-whitney": stats.MANN_WHITNEY,
    "anova": stats.ANOVA, "kruskal": stats.KRUSKAL,
}  # fmt: skip


@dataclass(frozen=True)
class Group:
    name: str
    summary: stats.Summary
    missing: int
    responders: stats.Rate | None
    within: stats.TestResult


@dataclass(frozen=True)
class Analysis:
    measure: str
    measure_name: str
    unit: str
    better: str
    grouping: str
    time_point: str
    missing_data: str
    threshold: Threshold | None
    groups: tuple[Group, ...]
    between: stats.TestResult | None
    rows: tuple[Row, ...]


def run(stored, query: rows_mod.Query, point: TimePoint, missing: Missing,
        within_test: str = "paired-t", between_test: str | None = None,
        with_links: bool = False) -> Analysis:  # fmt: skip
    found = rows_mod.series(stored, query, point, missing, with_links)
    return in_words(analyse(found, query, point, missing, within_test, between_test), point)


def analyse(
    found: list[Series],
    query: rows_mod.Query,
    point: TimePoint,
    missing: Missing,
    within_test: str = "paired-t",
    between_test: str | None = None,
) -> Analysis:
    """The statistics of ``found`` (`rows.series`), whatever read them."""
    measure = measures.BY_CODE[query.measure]  # a known code: the query is checked
    analysed_rows, lost = analysed(found, point, missing)
    by_group: dict[str, list[Row]] = {name: [] for name in sorted(lost)}
    for row in analysed_rows:
        by_group[row.group].append(row)
    threshold = THRESHOLDS.get(query.measure)
    groups = tuple(
        _group(name, members, lost[name], threshold, within_test)
        for name, members in by_group.items()
    )
    changes = {g.name: [r.change for r in by_group[g.name]] for g in groups}
    between = stats.compare(changes, between_test) if len(groups) > 1 else None
    return Analysis(
        query.measure, measure.name, measure.unit, str(measure.better), query.grouping,
        point.text, MISSING_TEXT[missing], threshold, groups, between, tuple(analysed_rows),
    )  # fmt: skip


def _group(name, members: list[Row], missing: int, threshold, within_test) -> Group:
    changes = [r.change for r in members]
    rate = None
    if threshold is not None:
        # None (no threshold for the measure) cannot happen here: a threshold is named.
        flags = [bool(responded(threshold.measure, r.baseline, r.follow_up)) for r in members]
        rate = stats.responder_rate(flags)
    before, after = [r.baseline for r in members], [r.follow_up for r in members]
    within = (stats.wilcoxon if within_test == "wilcoxon" else stats.paired_t)(before, after)
    return Group(name, stats.summarise(name, changes), missing, rate, within)


def csv_lines(analysis: Analysis) -> list[list[str]]:
    """The analysed rows for a statistician: pseudonymised key, group, baseline, follow-up,
    change, days since the last session, and whether the value was carried forward."""
    head = ["patient_key", "group", "baseline", "follow_up", "change",
            "days_since_last_session", "carried_forward"]  # fmt: skip
    body = [
        [r.key, r.group, f"{r.baseline:g}", f"{r.follow_up:g}", f"{r.change:g}",
         str(r.days_since_last_session), "yes" if r.carried_forward else "no"]
        for r in analysis.rows
    ]  # fmt: skip
    return [head, *body]
