"""The demo practice's signed plan has synthetic outcome values its progress page draws."""

from mesochart.accounts.models import Membership
from mesochart.conftest import signed_in
from mesochart.demo import load_demo
from mesochart.outcomes.models import OutcomeValue

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_the_demo_plan_has_a_baseline_and_values_at_its_session(db):
    load_demo(patients_per_clinic=12)
    values = OutcomeValue.objects.all()
    assert {v.context for v in values} == {"baseline", "session"}
    assert values.filter(measure="pain", rater__isnull=True).exists()
    plan = values.first().plan
    load_demo(patients_per_clinic=12)  # idempotent
    assert OutcomeValue.objects.count() == len(values)
    practitioner = Membership.objects.filter(clinic=plan.clinic, role="practitioner").first()
    page = signed_in(practitioner.user).get(f"/outcomes/plan/{plan.pk}/progress/")
    assert "0.5 mm less than at baseline" in page.content.decode()
