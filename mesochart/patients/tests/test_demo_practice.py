"""The demo practice shows the product: stock, cocktails, opening days, plans, screenings, a
signed consent and a signed session, all written through the actions (so audited, with a
chain that verifies), dated from the clinic's today, and loaded again without changing or
recording anything."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from mesochart.accounts.models import Clinic
from mesochart.audit.log import verify
from mesochart.audit.models import AuditEvent
from mesochart.consent.models import Consent, Screening
from mesochart.demo import DemoLogin, load_demo
from mesochart.formulary.models import CocktailVersion, Lot, StockMovement
from mesochart.patients.models import Patient
from mesochart.planning.models import ClinicCalendar, Plan, PlanSession
from mesochart.treatments.models import Amendment, LotUse, TreatmentSession
from mesochart.treatments.recall import recall_rows

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db
TODAY = date(2027, 3, 10)  # a Wednesday, a day the practice is open


def _counts() -> dict[str, int]:
    models = (
        Patient,
        Lot,
        StockMovement,
        CocktailVersion,
        ClinicCalendar,
        Plan,
        PlanSession,
        Screening,
        Consent,
        TreatmentSession,
        LotUse,
        Amendment,
        AuditEvent,
    )
    return {model.__name__: model.objects.count() for model in models}


@time_machine.travel(TODAY)
def test_loading_the_demo_twice_changes_nothing_and_records_nothing():
    created = []
    logins = load_demo(progress=created.append)
    first = _counts()
    assert sum(created) == 92 == first["Patient"]  # 40 + 40, and 12 in Lyon

    assert load_demo(progress=created.append) == logins
    assert _counts() == first
    assert sum(created) == 92
    assert DemoLogin("dr.rivera", "Practitioner", "Harbour Street", True) in logins


@time_machine.travel(TODAY)
def test_the_demo_is_audited_and_its_chain_verifies():
    load_demo()
    report = verify()
    assert report.ok, report.problem
    assert report.checked == AuditEvent.objects.count() > 0
    plan = Plan.objects.get(title="Submental fat, deoxycholic acid")
    assert AuditEvent.objects.filter(object_type="plan", object_id=str(plan.pk)).count() >= 4


@time_machine.travel(TODAY)
def test_the_demo_practice_has_stock_near_and_past_expiry_in_each_clinic():
    load_demo()
    from mesochart.demo.lyon import LYON

    english = Clinic.objects.filter(organisation__slug="demo-practice").exclude(name=LYON)
    for clinic in english:  # Lyon's stock: test_the_french_clinic_can_run_a_session
        lots = Lot.objects.filter(clinic=clinic)
        assert lots.values("product").distinct().count() >= 7
        assert lots.filter(expires_on__lt=TODAY).count() == 1
        soon = lots.filter(expires_on__gte=TODAY, expires_on__lte=TODAY + timedelta(days=30))
        assert soon.count() == 1
        assert StockMovement.objects.filter(lot__clinic=clinic).exclude(kind="received").exists()
        assert ClinicCalendar.objects.get(clinic=clinic).closed_dates
    assert CocktailVersion.objects.filter(cocktail__name="Abdomen PC/DC", number=2).count() == 2


@time_machine.travel(TODAY)
def test_the_demo_plans_are_charted_scheduled_approved_screened_and_consented():
    load_demo()
    plans = Plan.objects.filter(clinic__name="Harbour Street")
    assert plans.values("patient").distinct().count() == plans.count() == 5
    approved = plans.filter(status="approved")
    assert approved.count() == 3
    assert set(approved.values_list("approved_by__username", flat=True)) == {"dr.rivera"}
    assert plans.filter(status="draft").exists()
    for plan in plans:
        assert all(region.points for region in plan.regions.all())
        assert plan.sessions.first().date >= TODAY
        assert not plan.approved or not plan.approval_result["dose"]["blocked"]
    assert Screening.objects.filter(patient__clinic__name="Harbour Street").count() == 3
    (consent,) = Consent.objects.filter(clinic__name="Harbour Street")
    assert consent.signature_png.startswith(b"\x89PNG")
    assert consent.patient.plans.get().approved
    reviewed = Patient.objects.filter(no_known_allergies=True)
    assert reviewed.exists()
    assert all(p.allergies_reviewed_on <= TODAY for p in reviewed)


def test_a_small_demo_loads_with_fewer_plans():
    load_demo(patients_per_clinic=5)
    assert Patient.objects.count() == 15  # Harbour Street, Riverside and Lyon
    assert Plan.objects.count() < 5


@time_machine.travel(TODAY)
def test_the_consented_plans_first_session_is_signed_and_its_lot_recalls_the_patient():
    load_demo()
    (session,) = TreatmentSession.objects.all()
    assert session.status == "signed" and session.plan_session.index == 0
    assert session.plan.title == "Submental fat, deoxycholic acid"
    assert session.amendments.get().kind == "addendum"
    (row,) = recall_rows(session.clinic.organisation_id, "DEMO-HS-DCA")
    assert (row.patient_id, row.session_date) == (session.patient_id, TODAY)
    assert row.volume_administered_ml == sum(
        len(region["points"]) * Decimal(str(region["volume_ml"])) for region in session.regions
    )


@time_machine.travel(TODAY)
def test_the_demo_clinic_has_written_its_submental_aftercare_sheet():
    from mesochart.planning.models import AftercareSheet

    load_demo()
    (sheet,) = AftercareSheet.objects.all()
    assert (sheet.clinic.name, sheet.protocol.slug, sheet.version) == (
        "Harbour Street",
        "submental-deoxycholic-acid",
        1,
    )
    assert sheet.text.startswith("Demo text, synthetic")


@time_machine.travel(TODAY)
def test_the_demo_has_a_french_clinic_with_french_patients_and_consent_wording():
    from mesochart.consent.models import ConsentTemplateVersion
    from mesochart.demo.lyon import LYON

    logins = load_demo(patients_per_clinic=20)
    lyon = Clinic.objects.get(name=LYON)
    assert lyon.time_zone == "Europe/Paris"
    assert DemoLogin("dr.girard", "Practitioner", LYON, True) in logins
    patients = Patient.objects.filter(clinic=lyon)
    assert patients.count() == 12
    assert set(patients.values_list("language", flat=True)) == {"fr"}
    versions = ConsentTemplateVersion.objects.filter(template__clinic=lyon)
    assert versions.count() == 3 and {v.language for v in versions} == {"fr"}
    assert all(v.is_intact() for v in versions)
    assert versions.filter(title__startswith="Consentement au traitement du mélasma").exists()


@time_machine.travel(TODAY)
def test_the_french_clinic_can_run_a_session_from_its_stock_and_approved_plan():
    from mesochart.consent.readiness import session_readiness
    from mesochart.demo.lyon import LYON

    load_demo(patients_per_clinic=20)
    lyon = Clinic.objects.get(name=LYON)
    lots = Lot.objects.filter(clinic=lyon)
    assert lots.filter(lot_number="DEMO-LY-DCA", expires_on__gt=TODAY).exists()
    (plan,) = Plan.objects.filter(clinic=lyon)
    assert plan.title == "Graisse sous-mentonnière, acide désoxycholique"
    assert plan.approved and plan.approved_by.username == "dr.girard"
    assert plan.patient.language == "fr" and plan.cocktail_version.cocktail.clinic == lyon
    (consent,) = Consent.objects.filter(clinic=lyon)
    assert consent.document.startswith("CONSENTEMENT ÉCLAIRÉ")  # signed in French
    readiness = session_readiness(plan.patient, plan, plan.approved_by, on=TODAY + timedelta(7))
    assert readiness.ready, readiness.missing
