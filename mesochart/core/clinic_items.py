"""A clinic's own patient-reported items, as data: the rules of a definition and the
`core.measures.Measure` it becomes, so recording, the tablet, the progress page and
analytics treat it like any shipped numeric or ordinal measure.

FACE-Q is licensed (© MSKCC), so none of its items is shipped; a clinic writes its own.
A definition is either a 0–N scale with an anchor label at each end, or 2–10 labelled
levels (ranked in the order given, the first rank 0). Codes are ``pro.<slug>``; every version
of one item shares the code, so a series runs across versions.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from mesochart.core.measures import Better, Kind, Level, Measure

PREFIX = "pro."
MAX_SCALE = 100
MIN_LEVELS, MAX_LEVELS = 2, 10
MAX_QUESTION = 300
MAX_LABEL = 80
SLUG = re.compile(r"^[a-z][a-z0-9_]{0,29}$")
SCALE, LEVELS = "scale", "levels"


@dataclass(frozen=True)
class ItemDefinition:
    slug: str
    question: str
    response: str  # SCALE or LEVELS
    better: str  # a `Better` value
    maximum: int | None = None  # SCALE: the scale runs 0..maximum
    low_anchor: str = ""
    high_anchor: str = ""
    levels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    field: str
    rule: str


def check(item: ItemDefinition) -> list[Finding]:
    """Every rule the definition breaks, ``field: rule``; empty when it may be saved."""
    found = []
    if not SLUG.match(item.slug or ""):
        rule = "must be 1–30 lower-case letters, digits or _, a letter first"
        found.append(Finding("slug", rule))
    question = (item.question or "").strip()
    if not question:
        found.append(Finding("question", "is required"))
    elif len(question) > MAX_QUESTION:
        found.append(Finding("question", f"must be at most {MAX_QUESTION} characters"))
    if item.better not in {b.value for b in Better}:
        found.append(Finding("better", "must be lower, higher or none"))
    if item.response == SCALE:
        found += _check_scale(item)
    elif item.response == LEVELS:
        found += _check_levels(item)
    else:
        found.append(Finding("response", "must be scale or levels"))
    return found


def _check_scale(item: ItemDefinition) -> list[Finding]:
    found = []
    if item.maximum is None or not 1 <= item.maximum <= MAX_SCALE:
        found.append(Finding("maximum", f"must be a whole number from 1 to {MAX_SCALE}"))
    for name in ("low_anchor", "high_anchor"):
        label = (getattr(item, name) or "").strip()
        if not label:
            found.append(Finding(name, "is required for a scale (the words at that end)"))
        elif len(label) > MAX_LABEL:
            found.append(Finding(name, f"must be at most {MAX_LABEL} characters"))
    if item.levels:
        found.append(Finding("levels", "are not given for a scale"))
    return found


def _check_levels(item: ItemDefinition) -> list[Finding]:
    labels = [(label or "").strip() for label in item.levels]
    if not MIN_LEVELS <= len(labels) <= MAX_LEVELS:
        return [Finding("levels", f"must be {MIN_LEVELS} to {MAX_LEVELS} labels")]
    if any(not label or len(label) > MAX_LABEL for label in labels):
        return [Finding("levels", f"each label must be 1 to {MAX_LABEL} characters")]
    if len({label.casefold() for label in labels}) != len(labels):
        return [Finding("levels", "must all differ")]
    if item.maximum is not None:
        return [Finding("maximum", "is not given for labelled levels")]
    return []


def to_measure(item: ItemDefinition, version: int) -> Measure:
    """The measure this definition records as (the caller has checked it)."""
    measure = partial(
        Measure,
        code=PREFIX + item.slug,
        name=item.question.strip(),
        better=Better(item.better),
        source=f"the clinic's own item, version {version} (not a validated scale)",
        patient_reported=True,
    )
    if item.response == SCALE:
        maximum = Decimal(item.maximum or 0)
        return measure(kind=Kind.QUANTITY, unit="points", minimum=Decimal(0), maximum=maximum)
    levels = tuple(Level(str(rank), label.strip(), rank) for rank, label in enumerate(item.levels))
    return measure(kind=Kind.ORDINAL, levels=levels)
