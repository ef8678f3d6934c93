"""A French practitioner types ``62,5`` kg and ``0,2`` mL per point: the record and the
dose engine hold exactly what ``62.5`` and ``0.2`` give (issue 18)."""

from decimal import Decimal

from django.utils import translation

from mesochart.accounts.models import User
from mesochart.planning import actions
from mesochart.planning.models import Protocol
from mesochart.planning.review import review_plan
from mesochart.testing.patients import edit_form
from mesochart.testing.plans import new_plan, region

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

POINTS = [(x, y) for x in (1.0, 2.0, 3.0) for y in (1.0, 2.0)]
MEASURED = {"width_cm": 12.0, "height_cm": 9.0}


def _enter(practice, client, weight: str, volume: str) -> dict:
    patient = practice.patient
    patient.refresh_from_db()
    answer = client.post(
        f"/patients/{patient.pk}/edit/",
        edit_form(patient, weight_kg=weight, weight_measured_on="2026-01-05"),
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    patient.refresh_from_db()
    plan = practice.plan
    regions = [
        region("neck-submental", "submental", POINTS, volume_ml=volume, depth_mm=4, **MEASURED)
    ]
    actions.save_regions(practice.actor(practice.practitioner), plan, regions)
    return {"weight_kg": patient.weight_kg, "review": review_plan(plan, plan.created_at.date())}


def test_comma_decimals_compute_the_same_totals_as_points(practice, dca_version, client_for):
    User.objects.filter(pk=practice.practitioner.pk).update(language="fr")
    practice.plan = new_plan(practice, "submental-deoxycholic-acid", dca_version)
    client = client_for(practice.practitioner)

    with translation.override("fr"):
        french = _enter(practice, client, "62,5", "0,2")
    english = _enter(practice, client, "62.5", "0.2")

    assert french["weight_kg"] == english["weight_kg"] == Decimal("62.5")
    assert french["review"]["volume_ml"] == english["review"]["volume_ml"] == 1.2
    assert french["review"]["totals"] == english["review"]["totals"]
    assert french["review"]["totals"], "the engine computed per-ingredient totals"


def test_a_french_page_shows_comma_decimals_and_accepts_them(practice, client_for):
    User.objects.filter(pk=practice.practitioner.pk).update(language="fr")
    protocol = Protocol.objects.filter(clinic=None, volume_per_point_ml__isnull=False).first()
    page = client_for(practice.practitioner).get("/patients/")
    assert page.headers["Content-Language"] == "fr"
    with translation.override("fr"):
        from mesochart.planning.forms import ProtocolForm

        form = ProtocolForm(instance=protocol)
        html = str(form["volume_per_point_ml"])
        assert 'inputmode="decimal"' in html
        assert f'value="{str(protocol.volume_per_point_ml).replace(".", ",")}"' in html
