"""Drawn, injected and wasted volumes of a session, per product of its cocktail.

A session's points carry the volume of the mixture injected at each; the cocktail version
says how much of each product goes into the mixture. So the volume of a product injected is
the points' total split in the proportions of the version's components, and what left the
vial must account for it: ``drawn = injected + wasted``, within ``TOLERANCE_ML``.

``TOLERANCE_ML`` is a bookkeeping tolerance, not a clinical limit: the ledger keeps volumes
to 0.001 mL and a split of the points' total rounds each product to that step, so a few
steps of rounding must not block a signature. It is 0.01 mL (ten steps); a practice that
wants another figure changes it here, in one place.

Plain Decimals in and out (millilitres); no Django.
"""

from dataclasses import dataclass
from decimal import Decimal

from mesochart.core.volumes import format_ml

STEP_ML = Decimal("0.001")
TOLERANCE_ML = Decimal("0.01")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Part:
    """One component of a cocktail version: ``volume_ml`` of ``product`` in one mixture."""

    product: str
    volume_ml: Decimal


def split(parts: list[Part], total_ml: Decimal) -> dict[str, Decimal]:
    """``total_ml`` of mixture as mL of each product, in the parts' proportions, each rounded
    down to 0.001 mL and the remainder given to the last part, so the shares add up to the
    total exactly. No part, or a total that is not positive: every share is 0."""
    shares = {part.product: ZERO for part in parts}
    whole = sum((part.volume_ml for part in parts), ZERO)
    total = Decimal(total_ml).quantize(STEP_ML)
    if not parts or whole <= 0 or total <= 0:
        return shares
    given = ZERO
    for part in parts[:-1]:
        share = (total * part.volume_ml / whole).quantize(STEP_ML, rounding="ROUND_FLOOR")
        shares[part.product] += share
        given += share
    shares[parts[-1].product] += total - given
    return shares


@dataclass(frozen=True)
class Line:
    """One product of a session: mL drawn from its lots, wasted, and injected (the points)."""

    product: str
    drawn_ml: Decimal
    wasted_ml: Decimal
    injected_ml: Decimal

    @property
    def difference_ml(self) -> Decimal:
        """What the vial gave minus what the points and the waste account for."""
        return self.drawn_ml - self.wasted_ml - self.injected_ml

    def problem(self, tolerance_ml: Decimal = TOLERANCE_ML) -> str:
        """Why this line does not reconcile, in the page's words; "" when it does."""
        if min(self.drawn_ml, self.wasted_ml, self.injected_ml) < 0:
            return f"{self.product}: a volume is negative ({self.numbers()})"
        if abs(self.difference_ml) <= tolerance_ml:
            return ""
        return (
            f"{self.product}: drawn {format_ml(self.drawn_ml)} is not injected "
            f"{format_ml(self.injected_ml)} + wasted {format_ml(self.wasted_ml)} "
            f"(difference {format_ml(self.difference_ml)}, tolerance {format_ml(tolerance_ml)})"
        )

    def numbers(self) -> str:
        return (
            f"drawn {format_ml(self.drawn_ml)}, injected {format_ml(self.injected_ml)}, "
            f"wasted {format_ml(self.wasted_ml)}"
        )


def reconcile(lines: list[Line], tolerance_ml: Decimal = TOLERANCE_ML) -> list[str]:
    """The problem of each line that does not reconcile, in the lines' order."""
    return [p for p in (line.problem(tolerance_ml) for line in lines) if p]


def prefill(injected_ml: Decimal) -> tuple[Decimal, Decimal]:
    """The drawn and wasted volumes a row starts with: the product's share of the points,
    none wasted (the practitioner corrects both to what really happened)."""
    return max(Decimal(injected_ml), ZERO), ZERO
