"""The patient rates pain, satisfaction and their GAIS on the tablet, in patient mode."""

from mesochart.audit.models import AuditEvent
from mesochart.conftest import signed_in
from mesochart.outcomes.tests.conftest import recorded

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_the_patient_rates_their_own_items_at_a_session(ready):
    session = ready.signed()
    created_before = AuditEvent.objects.filter(category="outcome", action="create").count()
    client = signed_in(ready.practice.nurse)
    start = client.post(f"/outcomes/plan/{ready.plan.pk}/tablet/", {"session": session.pk})
    assert start.url == "/consent/tablet/"
    assert client.get(f"/outcomes/plan/{ready.plan.pk}/").url == "/consent/tablet/"  # locked
    page = client.get("/consent/tablet/").content.decode()
    assert "Pain: 0 none" in page
    assert "Ana" in page and "MC-000001" not in page
    done = client.post(
        "/consent/tablet/", {"pain": "2", "satisfaction": "9", "gais_subject": "much_improved"}
    )
    assert done.url == "/consent/tablet/"  # the thank-you, still in patient mode
    values = {v.measure: v for v in recorded(ready).all()}
    assert set(values) == {"pain", "satisfaction", "gais_subject"}
    assert all(v.rater is None and v.rater_role == "patient" for v in values.values())
    assert values["gais_subject"].coding == "1-5"
    assert values["pain"].session == session
    created = AuditEvent.objects.filter(category="outcome", action="create").count()
    assert created == created_before + 3
    assert client.get(f"/outcomes/plan/{ready.plan.pk}/").url == "/consent/tablet/"
    back = client.post("/consent/tablet/exit/", {"password": "a-long-test-password-1"})
    assert back.url == f"/patients/{ready.practice.patient.pk}/"
    assert client.get(f"/outcomes/plan/{ready.plan.pk}/").status_code == 200  # unlocked


def test_a_wrong_answer_on_the_tablet_stores_none_of_them(ready):
    client = signed_in(ready.practice.nurse)
    client.post(f"/outcomes/plan/{ready.plan.pk}/tablet/")
    response = client.post("/consent/tablet/", {"pain": "3", "satisfaction": "11"})
    assert response.status_code == 422
    assert not recorded(ready).exists()


def test_reception_and_another_clinic_cannot_hand_over_the_tablet(ready):
    url = f"/outcomes/plan/{ready.plan.pk}/tablet/"
    assert signed_in(ready.practice.reception).post(url).status_code == 403
    assert signed_in(ready.practice.outsider).post(url).status_code == 404
