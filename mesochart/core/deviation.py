"""Signing the true record when what was administered differs from the plan: a deviation.

The pre-flight checklist still blocks before the needle. Afterwards the record must say what
really happened, so a practitioner may sign the findings of the *dose engine* (and of the
points' placement, and a product outside the cocktail) as a deviation, with a written
justification. Which findings a deviation may cover is decided here, from what the finding
is about:

- **Overridable** (keys ``dose.<rule>…``, ``placement.<rule>…``, ``extra.<product>``): the
  dose engine's findings of either severity — ``block`` (a label's or the clinic's limit:
  volume per injection or session, dose per session or per kg, the interval, the course cap,
  the areas, the depth) and ``warn`` (a paper's) — and where the points lie (an extra area,
  an exclusion zone). They describe quantities and places of what was given: once given, the
  only honest record is the true one, flagged.
- **Absolute** (everything else): the plan's approval, the consent gate's readiness
  (screening, an allergy or other absolute contraindication, consent, the practitioner's
  licence), each lot (another clinic's, held, quarantined or recalled, expired, not enough
  on hand), a cocktail product traced to no lot, no product at all, and a dose engine that
  cannot run (``dose`` alone: no points, a point without a volume, stacked points). These are
  about whether the patient could be treated and what the product was; a written reason
  never makes them true, so no deviation signs past them.

Pure: keys and messages in, a `Judgement` out; no Django.
"""

from collections.abc import Iterable
from dataclasses import dataclass

# A justification shorter than this is not one ("ok", "as discussed").
MIN_JUSTIFICATION_CHARS = 20
OVERRIDABLE_PREFIXES = ("dose.", "placement.", "extra.")

TOO_SHORT = (
    "write what was administered and why it differs from the plan "
    f"(at least {MIN_JUSTIFICATION_CHARS} characters)"
)
NOTHING = "nothing differs from the plan: sign without a deviation"
ABSOLUTE = "cannot be signed as a deviation: {}"


def overridable(key: str) -> bool:
    """Whether a deviation may cover the open checklist item ``key``."""
    return key.startswith(OVERRIDABLE_PREFIXES)


@dataclass(frozen=True)
class Judgement:
    """``covered``: the messages of the findings the deviation signs past; ``absolute``: those
    no deviation covers; ``errors``: {"deviation": [rule]} what is wrong with the deviation
    itself (the caller adds the checklist's own lines); ``allowed``: whether it may be signed."""

    covered: tuple[str, ...]
    absolute: tuple[str, ...]
    errors: dict[str, list[str]]
    allowed: bool

    @property
    def is_deviation(self) -> bool:
        return self.allowed and bool(self.covered)


def judge(open_items: Iterable[tuple[str, str]], justification: str | None) -> Judgement:
    """``open_items``: (key, message) of every checklist item not ok (blocking, or relative
    and unacknowledged); ``justification``: what the practitioner wrote (None or blank:
    signing without a deviation). Signing is allowed when nothing is open, or when only
    overridable findings are and the justification is long enough."""
    items = list(open_items)
    covered = tuple(message for key, message in items if overridable(key))
    absolute = tuple(message for key, message in items if not overridable(key))
    text = (justification or "").strip()
    rules: list[str] = []
    if text and absolute:
        rules.append(ABSOLUTE.format("; ".join(absolute)))
    elif text and not items:
        rules.append(NOTHING)
    elif covered and text and len(text) < MIN_JUSTIFICATION_CHARS:
        rules.append(TOO_SHORT)
    elif covered and not text:
        rules.append(f"is required to sign what differs from the plan: {TOO_SHORT}")
    allowed = not absolute and not rules
    return Judgement(covered, absolute, {"deviation": rules} if rules else {}, allowed)
