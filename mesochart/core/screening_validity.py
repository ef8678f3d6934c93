"""Whether a screening lets the practitioner treat: its findings, acknowledgements, validity.

Absolute findings block outright; relative ones need the practitioner's acknowledgement with a
written reason. A completed screening is valid for a configurable number of days (30 by
default) and covers one plan: the cocktail's ingredient and excipient slugs and the treatment
area, captured as a fingerprint. Storing the fingerprint with the screening lets the Django
side tell, without re-running anything, that the plan has moved on.
"""

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from mesochart.core.screening_rules import Kind, ScreeningError

DEFAULT_VALID_DAYS = 30


@dataclass(frozen=True)
class Finding:
    """``unanswered`` lists the questions or facts whose absence made the rule undecidable."""

    key: str
    kind: Kind
    message: str
    evidence: tuple[str, ...]
    source: str
    unanswered: tuple[str, ...] = ()


@dataclass(frozen=True)
class Acknowledgement:
    """The practitioner's written reason for treating despite the relative finding ``key``."""

    key: str
    reason: str


def needs_acknowledgement(
    findings: Iterable[Finding], acknowledgements: Iterable[Acknowledgement]
) -> tuple[Finding, ...]:
    """Relative findings without an acknowledgement that gives a non-blank reason.

    Absolute findings are never returned: they cannot be acknowledged away, only resolved by a
    new screening.
    """
    reasoned = {ack.key for ack in acknowledgements if ack.reason.strip()}
    return tuple(f for f in findings if f.kind == Kind.RELATIVE and f.key not in reasoned)


def may_treat(findings: Sequence[Finding], acknowledgements: Iterable[Acknowledgement]) -> bool:
    """No absolute finding, and every relative one acknowledged with a reason."""
    if any(finding.kind == Kind.ABSOLUTE for finding in findings):
        return False
    return not needs_acknowledgement(findings, acknowledgements)


class ScreeningState(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    STALE = "stale"


@dataclass(frozen=True)
class ScreeningStatus:
    """``valid_until`` is the last day the screening holds; ``expired_on`` the first it no
    longer did (set only when expired)."""

    state: ScreeningState
    valid_until: date
    expired_on: date | None = None


def screening_fingerprint(component_slugs: Iterable[str], area: str) -> str:
    """Stable hash of what the screening screened: ingredient and excipient slugs plus area.

    Order and repeats of slugs do not matter; a different set or area gives a different hash.
    Use ``cocktail.slugs``.
    """
    payload = {
        "area": area.strip().lower(),
        "components": sorted({slug.strip().lower() for slug in component_slugs}),
    }
    digest = hashlib.sha256(json.dumps(payload, separators=(",", ":")).encode()).hexdigest()
    return f"v1:{digest}"


def screening_status(
    completed_on: date,
    fingerprint_at_screening: str,
    current_fingerprint: str,
    today: date,
    valid_days: int = DEFAULT_VALID_DAYS,
) -> ScreeningStatus:
    """Whether a completed screening still covers today's plan.

    Valid through day ``valid_days`` inclusive, counting the completion day as day 0: completed
    on 1 November with 30 days, it holds on 1 December and has expired on 2 December. A changed
    plan makes it stale whatever its age; stale is reported before expired because the
    screening never covered the new plan.
    """
    if valid_days < 1:
        raise ScreeningError("valid_days", "must be at least 1")
    if completed_on > today:
        raise ScreeningError("completed_on", "is after today")
    valid_until = completed_on + timedelta(days=valid_days)
    if fingerprint_at_screening != current_fingerprint:
        return ScreeningStatus(ScreeningState.STALE, valid_until)
    if today > valid_until:
        return ScreeningStatus(ScreeningState.EXPIRED, valid_until, valid_until + timedelta(days=1))
    return ScreeningStatus(ScreeningState.VALID, valid_until)
