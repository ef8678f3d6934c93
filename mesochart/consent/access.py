"""The one way in to screening and consent rows: through the patient, then scoped to it.

Every lookup starts from `patients.access.get_patient` (which scopes to the membership's clinic
and checks the role), then finds the row among that patient's own: another clinic's or another
patient's row is simply not found (404). The permission named is checked first, so a role
without it is refused (403) before anything is looked up.
"""

from django.http import Http404

from mesochart.consent.models import Consent, QuestionnaireResponse, Screening
from mesochart.formulary.access import cocktails_for
from mesochart.formulary.models import CocktailVersion
from mesochart.patients.access import get_patient, require

__all__ = [
    "consents_of",
    "get_consent",
    "get_patient",
    "get_response",
    "get_screening",
    "get_version",
    "require",
    "responses_of",
    "screenings_of",
    "versions_for",
]


def _one(queryset, pk, what: str):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"No such {what} for this patient.") from None


def responses_of(membership, patient, permission: str = "screening.collect"):
    """The patient's questionnaire responses at the membership's clinic (a patient fetched
    through `get_patient`)."""
    require(membership, permission, patient=patient)
    return QuestionnaireResponse.objects.filter(patient=patient, clinic=membership.clinic)


def screenings_of(membership, patient, permission: str = "screening.collect"):
    require(membership, permission, patient=patient)
    return Screening.objects.filter(patient=patient, clinic=membership.clinic)


def consents_of(membership, patient, permission: str = "consent.collect"):
    require(membership, permission, patient=patient)
    return Consent.objects.filter(patient=patient, clinic=membership.clinic)


def get_response(membership, patient, pk, permission: str = "screening.collect"):
    require(membership, permission)
    rows = QuestionnaireResponse.objects.filter(patient=patient, clinic=membership.clinic)
    return _one(rows, pk, "questionnaire response")


def get_screening(membership, patient, pk, permission: str = "screening.collect") -> Screening:
    require(membership, permission)
    rows = (
        Screening.objects.filter(patient=patient, clinic=membership.clinic)
        .select_related("cocktail_version__cocktail", "screened_by", "response")
        .prefetch_related("acknowledgements__acknowledged_by")
    )
    return _one(rows, pk, "screening")


def get_consent(membership, patient, pk, permission: str = "consent.collect") -> Consent:
    require(membership, permission)
    rows = Consent.objects.filter(patient=patient, clinic=membership.clinic).select_related(
        "witness", "withdrawn_by", "cocktail_version__cocktail"
    )
    return _one(rows, pk, "consent")


def versions_for(membership):
    """Cocktail versions of the membership's clinic, newest cocktail version first."""
    return (
        CocktailVersion.objects.filter(cocktail__in=cocktails_for(membership))
        .select_related("cocktail")
        .order_by("cocktail__name", "-number")
    )


def get_version(membership, pk) -> CocktailVersion:
    """A cocktail version of the membership's clinic; errors name the field ``cocktail``."""
    try:
        return versions_for(membership).get(pk=pk)
    except (CocktailVersion.DoesNotExist, ValueError, TypeError):
        raise Http404("No such cocktail version in this clinic.") from None
