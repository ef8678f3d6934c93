"""A value one character past its column, typed on a page of each app, comes back as the
form's own refusal (the field by its label on the page, and the rule; nothing written), never
as a 500. PostgreSQL is where it matters: it refuses a string past a column's length where
SQLite would store it."""

import re

import pytest
import time_machine

from mesochart.accounts.models import ApiToken
from mesochart.consent.models import QuestionnaireResponse
from mesochart.formulary.models import Lot
from mesochart.outcomes.models import OutcomeValue
from mesochart.planning.models import Plan
from mesochart.testing.consent import clear_answers
from mesochart.testing.sessions import TODAY, Ready
from mesochart.treatments.models import TreatmentSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(practice):
    with time_machine.travel(TODAY, tick=False):
        yield Ready(practice)


def _refused(response, label: str, limit: int) -> None:
    """The page came back with the form's refusal of the field labelled ``label``, naming
    the limit."""
    page = response.content.decode()
    assert response.status_code in (200, 422), page[:500]
    assert re.search(rf"{re.escape(label)}: [^<]*at most {limit} characters", page), page


def test_planning_a_too_long_plan_title(practice, client_for):
    url = f"/plans/patient/{practice.patient.pk}/new/"
    response = client_for(practice.practitioner).post(
        url, {"title": "t" * 201, "indication": "other"}
    )
    _refused(response, "Title", 200)
    assert not Plan.objects.exists()


def test_formulary_a_too_long_lot_number(practice, client_for):
    data = {"product": "lidocaine-1pct", "lot_number": "L" * 65, "expires_on": "2027-03-01"}
    response = client_for(practice.nurse).post(
        "/formulary/lots/receive/", {**data, "quantity_ml": "20"}
    )
    _refused(response, "Lot number", 64)
    assert not Lot.objects.exists()


def test_consent_a_too_long_treatment_area(practice, client_for):
    response = client_for(practice.nurse).post(
        f"/consent/patients/{practice.patient.pk}/questionnaire/",
        {"area": "a" * 101, **clear_answers()},
    )
    _refused(response, "Area", 100)
    assert not QuestionnaireResponse.objects.exists()


def test_outcomes_a_too_long_marked_site(ready, client_for):
    data = {"measure": "pain", "context": "baseline", "measured_on": "2026-03-01",
            "value": "3", "rater_role": "patient", "site": "s" * 201}  # fmt: skip
    before = OutcomeValue.objects.count()
    response = client_for(ready.practice.nurse).post(f"/outcomes/plan/{ready.plan.pk}/", data)
    _refused(response, "Site (marked landmark)", 200)
    assert OutcomeValue.objects.count() == before


def test_treatments_a_too_long_anaesthesia(ready, client_for):
    session = ready.start()
    response = client_for(ready.practice.practitioner).post(
        f"/sessions/{session.pk}/save/", {"version": session.version, "anaesthesia": "a" * 201}
    )
    _refused(response, "Anaesthesia", 200)
    assert TreatmentSession.objects.get(pk=session.pk).anaesthesia == ""


def test_accounts_a_too_long_token_name(practice, client_for):
    response = client_for(practice.nurse).post("/accounts/tokens/", {"name": "n" * 101})
    _refused(response, "Name", 100)
    assert not ApiToken.objects.exists()
