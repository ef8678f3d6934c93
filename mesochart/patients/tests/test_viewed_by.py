"""Opening a chart is recorded, and the chart says who has looked at it.

A patient may ask who has read their record; the chart's "Viewed by" panel answers from
the audit log, and reception, who open charts to book and bill, see no clinical history.
"""

import pytest

from mesochart.audit.models import Action, AuditEvent, Category
from mesochart.patients import actions
from mesochart.testing.patients import ApiCaller, add_history

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def _reads(patient):
    return AuditEvent.objects.filter(patient_id=patient.pk, action=Action.READ).order_by("pk")


@pytest.mark.parametrize(
    ("role", "category"),
    [
        ("admin", Category.CLINICAL),
        ("practitioner", Category.CLINICAL),
        ("nurse", Category.CLINICAL),
        ("reception", Category.DEMOGRAPHICS),
    ],
)
def test_opening_the_chart_records_who_read_it_and_what_they_could_see(
    practice, client_for, role, category
):
    user = practice.users[role]

    client_for(user).get(f"/patients/{practice.patient.pk}/")

    [read] = _reads(practice.patient)
    assert (read.actor_id, read.actor_label, read.clinic_id) == (
        user.pk,
        user.username,
        practice.clinic.pk,
    )
    assert read.category == category


def test_reading_the_chart_through_the_api_is_recorded_too(practice):
    ApiCaller(practice.nurse).get(f"/patients/{practice.patient.pk}")

    assert [r.actor_label for r in _reads(practice.patient)] == ["nurse-user"]


def test_the_chart_lists_everyone_who_opened_it_including_the_reader(practice, client_for):
    client_for(practice.nurse).get(f"/patients/{practice.patient.pk}/")

    body = client_for(practice.admin).get(f"/patients/{practice.patient.pk}/").content.decode()

    viewed_by = body[body.index("Viewed by") :]
    assert "nurse-user" in viewed_by
    assert "admin-user" in viewed_by
    assert "practitioner-user" not in viewed_by


def test_the_chart_shows_the_ten_latest_readers(practice, client_for):
    for n in range(11):
        reader = practice.member(f"locum-{n:02d}", practice.clinic, "nurse")
        actions.record_view(practice.actor(reader), practice.patient)

    body = client_for(practice.admin).get(f"/patients/{practice.patient.pk}/").content.decode()

    viewed_by = body[body.index("Viewed by") :]
    assert "admin-user" in viewed_by
    assert [f"locum-{n:02d}" in viewed_by for n in range(11)] == [False, False] + [True] * 9


def test_a_chart_of_another_clinic_that_is_not_found_records_no_read(practice, client_for):
    response = client_for(practice.admin).get(f"/patients/{practice.other_patient.pk}/")

    assert response.status_code == 404
    assert not _reads(practice.other_patient).exists()


def test_reception_opening_the_chart_sees_no_allergies_medications_or_conditions(
    practice, client_for
):
    history = add_history(practice.patient, "private")

    reception = client_for(practice.reception).get(f"/patients/{practice.patient.pk}/")
    nurse = client_for(practice.nurse).get(f"/patients/{practice.patient.pk}/")

    for item in history.values():
        assert str(item) not in reception.content.decode()
        assert str(item) in nurse.content.decode()
    assert "hives-private" not in reception.content.decode()
    assert "Allergies" not in reception.content.decode()


def test_reception_reading_through_the_api_gets_no_clinical_section(practice):
    add_history(practice.patient, "private")

    body = ApiCaller(practice.reception).get(f"/patients/{practice.patient.pk}").json()

    assert body["clinical"] is None
    assert "private" not in str(body)
