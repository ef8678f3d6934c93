"""``mesochart analytics compare``: analyse any CSV with one row per patient.

Pure (no database): reads the file, checks it, and runs `core.stats`. Problems are
`Problem`s that print ``field: rule`` (the command exits 2). Independent groups: Welch's
t-test unless ``--test`` says otherwise (``student``, ``mann-whitney``), one-way ANOVA for
three or more groups. Paired tests (``paired-t``, ``wilcoxon``): ``--value BEFORE,AFTER``,
the test on every row's pair; each group's summary is of its changes (after − before).
"""

import csv
import math
from dataclasses import asdict, dataclass
from pathlib import Path

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
        raise Problem("value", f"line {line}: {column} {text!r} is not a number") from None
    if not math.isfinite(number):
        raise Problem("value", f"line {line}: {column} must be a finite number")
    return number


def read(path: Path, group: str, value: str, test: str | None):
    """Per group, the values (or (before, after) pairs for a paired test)."""
    columns = [c.strip() for c in value.split(",")]
    if test in PAIRED and len(columns) != 2:
        raise Problem("value", "a paired test needs two columns, BEFORE,AFTER")
    if test not in PAIRED and len(columns) != 1:
        raise Problem("value", "name one column (two, BEFORE,AFTER, only for a paired test)")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise Problem("csv", f"cannot be read as UTF-8 text ({error.__class__.__name__})") from None
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    for field, name in [("group", group)] + [("value", c) for c in columns]:
        if name not in header:
            raise Problem(field, f"no column {name!r} in the header ({', '.join(header)})")
    groups: dict[str, list] = {}
    for line, row in enumerate(reader, start=2):
        numbers = [_number((row[c] or "").strip(), line, c) for c in columns]
        name = (row[group] or "").strip()
        if not name:
            raise Problem("group", f"line {line}: the group is empty")
        groups.setdefault(name, []).append(numbers if test in PAIRED else numbers[0])
    if not groups:
        raise Problem("csv", "has no rows under its header")
    return groups


def run(groups: dict[str, list], test: str | None) -> Comparison:
    if test in PAIRED:
        pairs = [pair for rows in groups.values() for pair in rows]
        before, after = [p[0] for p in pairs], [p[1] for p in pairs]
        result = (stats.wilcoxon if test == "wilcoxon" else stats.paired_t)(before, after)
        changes = {name: [a - b for b, a in rows] for name, rows in groups.items()}
    else:
        if test is not None and len(groups) != 2:
            raise Problem("group", f"{test} compares two groups; the file has {len(groups)}")
        if len(groups) < 2:
            raise Problem("group", "needs at least two groups for an independent test")
        result, changes = stats.compare(groups, test), groups
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
    lines = [f"{'group':<30} {'n':>5} {'mean':>9} {'SD':>9}  95 % CI"]
    for g in c.groups:
        ci = f"{_f(g['ci95'][0])} to {_f(g['ci95'][1])}" if g["ci95"] else "–"
        lines.append(f"{g['name']:<30} {g['n']:>5} {_f(g['mean']):>9} {_f(g['sd']):>9}  {ci}")
    lines.append(f"test: {c.test} (assumes: {'; '.join(c.assumptions)})")
    if c.p_value is None:
        lines.append(c.note)
    else:
        lines.append(f"statistic: {_f(c.statistic, 4)}  p-value: {c.p_value:.4g}")
        lines.append(f"effect size: {c.effect_name} {_f(c.effect_size)}")
    return lines
