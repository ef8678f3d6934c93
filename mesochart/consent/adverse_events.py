"""Adverse events a product's label reports, for the consent text. Sourced figures only.

reference.md ("Adverse events to record") gives label frequencies for one product: the
deoxycholic acid injection (KYBELLA / Belkyra), marginal mandibular nerve injury 4% and
dysphagia 2%. No other label figure is in the reference, so nothing else is shipped: a clinic
writes what it tells patients about other products in its own consent templates.

Keyed by the shipped product's slug: the label describes that product, not an organisation's
own product that happens to share an ingredient.
"""

from dataclasses import dataclass

DCA_LABEL = "[LABEL] Deoxycholic acid injection 10 mg/mL (KYBELLA / Belkyra), NDA 206333"


@dataclass(frozen=True)
class AdverseEvent:
    event: str
    frequency: str
    source: str


LABEL_ADVERSE_EVENTS: dict[str, tuple[AdverseEvent, ...]] = {
    "deoxycholic-acid-10mg-ml": (
        AdverseEvent("Marginal mandibular nerve injury (an uneven smile)", "4%", DCA_LABEL),
        AdverseEvent("Dysphagia (difficulty swallowing)", "2%", DCA_LABEL),
    ),
}


def label_adverse_events(product) -> tuple[AdverseEvent, ...]:
    """The label's adverse events of a shipped ``product`` row; () for any other."""
    if product.organisation_id is not None:
        return ()
    return LABEL_ADVERSE_EVENTS.get(product.slug, ())
