"""Screening and consent tables, one module per subject."""

from mesochart.consent.models.consent import (
    Consent,
    ConsentTemplate,
    ConsentTemplateVersion,
    PhotoConsent,
    TemplateScope,
)
from mesochart.consent.models.screening import (
    Acknowledgement,
    CollectionMode,
    QuestionnaireResponse,
    Screening,
    ScreeningPolicy,
)

__all__ = [
    "Acknowledgement",
    "CollectionMode",
    "Consent",
    "ConsentTemplate",
    "ConsentTemplateVersion",
    "PhotoConsent",
    "QuestionnaireResponse",
    "Screening",
    "ScreeningPolicy",
    "TemplateScope",
]
