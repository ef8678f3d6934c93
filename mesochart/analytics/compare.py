"""``mesochart analytics compare``: analyse any CSV with one row per patient.

No database: reads the file, checks it, and runs `core.stats`. Problems are `Problem`s that
print ``field: rule`` (the command exits 2), the rule in the console's language; so is the
table (`as_text`), while ``--json`` keeps the core's English words. Independent groups: Welch's
t-test unless ``--test`` says otherwise (``student``, ``mann-whitney``), one-way ANOVA for
three or more groups. Paired tests (``paired-t``, ``wilcoxon``): ``--value BEFORE,AFTER``,
the test on every row's pair; each group's summary is of its changes (after − before).
"""

import csv
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from django.utils.translation import gettext

from mesochart.core import stats

TESTS = ("welch", "student", "mann-whitney", "paired-t", "wilcoxon")
PAIRED = ("paired-t", "wilcoxon")


class Problem(Exception):
    def __init__(self, field: str, rule: str):
        super().__init__(f"{field}: {rule}")
        self.field, self.rule = field, rule


@dataclass(frozen=True)
class Comparison:
    test: str
    statistic: float | None
    p_value: float | None
    effect_size: float | None
    effect_name: str
    assumptions: list[str]
    note: str
    groups: list[dict]


def _number(text: str, line: int, column: str) -> float:
    try:
        number = float(text)
    except ValueError:
        rule = gettext("line %(line)s: %(column)s %(text)r is not a number")
        raise Problem("value", rule % {"line": line, "column": column, "text": text}) from None
    if not math.isfinite(number):
        rule = gettext("line %(line)s: %(column)s must be a finite number")
        raise Problem("value", rule % {"line": line, "column": column})
    return number


def read(path: Path, group: str, value: str, test: str | None):
    """Per group, the values (or (before, after) pairs for a paired test)."""
    columns = [c.strip() for c in value.split(",")]
    if test in PAIRED and len(columns) != 2:
        raise Problem("value", gettext("a paired test needs two columns, BEFORE,AFTER"))
    if test not in PAIRED and len(columns) != 1:
        rule = gettext("name one column (two, BEFORE,AFTER, only for a paired test)")
        raise Problem("value", rule)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        rule = gettext("cannot be read as UTF-8 text (%(error)s)")
        raise Problem("csv", rule % {"error": error.__class__.__name__}) from None
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    for field, name in [("group", group)] + [("value", c) for c in columns]:
        if name not in header:
            rule = gettext("no column %(name)r in the header (%(header)s)")
            raise Problem(field, rule % {"name": name, "header": ", ".join(header)})
    groups: dict[str, list] = {}
    for line, row in enumerate(reader, start=2):
        numbers = [_number((row[c] or "").strip(), line, c) for c in columns]
        name = (row[group] or "").strip()
        if not name:
            raise Problem("group", gettext("line %(line)s: the group is empty") % {"line": line})
        groups.setdefault(name, []).append(numbers if test in PAIRED else numbers[0])
    if not groups:
        raise Problem("csv", gettext("has no rows under its header"))
    return groups


def run(
    groups: dict[str, list],
    test: str | None,
    in_words: Callable[[stats.TestResult], stats.TestResult] | None = None,
) -> Comparison:
    """The test on ``groups``; ``in_words`` (`analytics.words.test_in_words`) puts its words
    in the reader's language, for the table."""
    if test in PAIRED:
        pairs = [pair for rows in groups.values() for pair in rows]
        before, after = [p[0] for p in pairs], [p[1] for p in pairs]
        result = (stats.wilcoxon if test == "wilcoxon" else stats.paired_t)(before, after)
        changes = {name: [a - b for b, a in rows] for name, rows in groups.items()}
    else:
        if test is not None and len(groups) != 2:
            rule = gettext("%(test)s compares two groups; the file has %(count)s")
            raise Problem("group", rule % {"test": test, "count": len(groups)})
        if len(groups) < 2:
            raise Problem("group", gettext("needs at least two groups for an independent test"))
        result, changes = stats.compare(groups, test), groups
    if in_words is not None:
        result = in_words(result)
    summaries = [stats.summarise(name, values) for name, values in changes.items()]
    return Comparison(
        result.test, result.statistic, result.p_value, result.effect_size, result.effect_name,
        list(result.assumptions), result.note,
        [{"name": s.name, "n": s.n, "mean": s.mean, "sd": s.sd,
          "ci95": list(s.ci95) if s.ci95 else None} for s in summaries],
    )  # fmt: skip


def as_json(comparison: Comparison) -> dict:
    return asdict(comparison)


def _f(x: float | None, digits: int = 3) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def as_text(c: Comparison) -> list[str]:
    """The table a person reads, in the console's language (`run` with ``in_words``)."""
    group, mean, sd, ci95 = gettext("group"), gettext("mean"), gettext("SD"), gettext("95 % CI")
    lines = [f"{group:<30} {'n':>5} {mean:>9} {sd:>9}  {ci95}"]
    for g in c.groups:
        ci = "–"
        if g["ci95"]:
            ci = gettext("%(low)s to %(high)s") % {"low": _f(g["ci95"][0]),
                                                   "high": _f(g["ci95"][1])}  # fmt: skip
        lines.append(f"{g['name']:<30} {g['n']:>5} {_f(g['mean']):>9} {_f(g['sd']):>9}  {ci}")
    said = {"test": c.test, "assumptions": "; ".join(c.assumptions)}
    lines.append(gettext("test: %(test)s (assumes: %(assumptions)s)") % said)
    if c.p_value is None:
        lines.append(c.note)
    else:
        numbers = {"statistic": _f(c.statistic, 4), "p": f"{c.p_value:.4g}"}
        lines.append(gettext("statistic: %(statistic)s  p-value: %(p)s") % numbers)
        effect = {"name": c.effect_name, "size": _f(c.effect_size)}
        lines.append(gettext("effect size: %(name)s %(size)s") % effect)
    return lines
