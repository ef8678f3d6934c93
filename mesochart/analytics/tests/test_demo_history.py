"""The demo's synthetic outcome history: two cocktails on one cellulite protocol, 40
patients each, some lost to follow-up; labelled synthetic; loading it again adds nothing."""

from mesochart.analytics import series_table
from mesochart.demo import load_demo
from mesochart.demo.outcome_history import SLUG
from mesochart.interop.signed import verify
from mesochart.outcomes.models import OutcomeValue
from mesochart.patients.models import Patient
from mesochart.planning.models import Plan
from mesochart.treatments.models import TreatmentSession


def test_the_synthetic_history_loads_once_and_says_what_it_is(db):
    load_demo(patients_per_clinic=5, history=True)
    plans = Plan.objects.filter(protocol__slug=SLUG)
    assert plans.count() == 80
    assert plans.values("cocktail_version__cocktail__name").distinct().count() == 2
    assert all("SYNTHETIC" in notes for notes in plans.values_list("notes", flat=True))
    follow_ups = OutcomeValue.objects.filter(plan__in=plans, measure="css", context="follow_up")
    assert 0 < follow_ups.values("plan").distinct().count() < 80  # some were lost
    sessions = TreatmentSession.objects.filter(plan__in=plans)
    assert sessions.count() == 80 * 4 and all(verify(session) for session in sessions)
    assert series_table.stale() == []  # bulk-loaded, its analytics series derived all the same
    counts = (Patient.objects.count(), OutcomeValue.objects.count())
    load_demo(patients_per_clinic=5, history=True)
    assert (Patient.objects.count(), OutcomeValue.objects.count()) == counts


def test_every_plan_page_of_the_demo_opens_for_a_nurse(db, client_for):
    """bench_load found the plan page 500 on the synthetic plans: approved without an
    approver, so "Approved by …" could not be rendered. An approved plan names who and when."""
    from django.contrib.auth import get_user_model

    load_demo(patients_per_clinic=5, history=True)
    nurse = get_user_model().objects.get(username="nurse.okafor")
    client = client_for(nurse)
    approved = Plan.objects.filter(status="approved")
    assert not approved.filter(approved_by=None).exists()
    assert not approved.filter(approved_at=None).exists()
    clinic = nurse.memberships.get().clinic
    for plan in Plan.objects.filter(clinic=clinic, protocol__slug=SLUG)[:3]:
        response = client.get(f"/plans/{plan.pk}/")
        assert response.status_code == 200, plan.pk
        assert "Approved by" in response.content.decode()
