"""The day and week pages show the booked series, write an audit read row naming the
patients shown, answer htmx with the grid alone, and a drag (the move form over htmx)
answers with the rule that refused it."""

import datetime as dt

from mesochart.audit.models import AuditEvent
from mesochart.testing.scheduling import LONDON, at

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_the_week_shows_the_booked_session_and_audits_the_read(desk, client_for):
    booked = desk.series()
    client = client_for(desk.practice.reception)
    day = booked[0].starts_at.astimezone(LONDON).date()
    response = client.get(f"/schedule/week/?date={day.isoformat()}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ana Lopez" in page and "session 1" in page and "10:00" in page
    assert "calendar-drag.js" in page and "<script>" not in page
    read = AuditEvent.objects.filter(action="read").latest("pk")
    assert read.detail["calendar"] == "week"
    assert read.detail["patients"] == [desk.practice.patient.pk]


def test_htmx_gets_the_grid_alone(desk, client_for):
    desk.consult(at(dt.date(2026, 3, 3), 10))
    client = client_for(desk.practice.reception)
    response = client.get("/schedule/?date=2026-03-03", headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "sc-grid" in page and "<html" not in page and "Ana Lopez" in page


def test_a_drag_too_early_answers_with_the_labels_rule(desk, client_for):
    booked = desk.series()
    client = client_for(desk.practice.reception)
    day = booked[0].starts_at.astimezone(LONDON).date() + dt.timedelta(days=21)  # a Monday
    response = client.post(
        f"/schedule/{booked[1].pk}/move/",
        {"starts_at": f"{day.isoformat()}T10:00"},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert "Not moved" in page and "Start: refused:" in page and "[LABEL]" in page
    assert "starts_at:" not in page  # the page's word for the field, never its name


def test_a_typed_time_is_read_in_the_clinics_zone(desk, client_for):
    client = client_for(desk.practice.reception)
    client.post(
        "/schedule/book/",
        {
            "patient": desk.practice.patient.pk,
            "practitioner": desk.practice.practitioner.pk,
            "type": desk.consultation.pk,
            "starts_at": "2026-04-07T09:00",  # British Summer Time: 08:00 UTC
        },
    )
    (appointment,) = desk.practice.patient.appointments.all()
    assert appointment.starts_at == dt.datetime(2026, 4, 7, 8, tzinfo=dt.UTC)


def test_only_a_practitioner_accepts_a_warning_with_a_reason(desk, client_for):
    from mesochart.formulary.actions import set_clinic_limit
    from mesochart.formulary.models import Product
    from mesochart.testing.plans import DCA

    booked = desk.series()
    set_clinic_limit(
        desk.practitioner,
        Product.objects.get(slug=DCA),
        {"kind": "min_interval_days", "days": 40, "severity": "warn", "source": "Clinic policy 3"},
    )
    day = booked[-1].starts_at.astimezone(LONDON).date() + dt.timedelta(days=3)
    while day.weekday() > 4:
        day += dt.timedelta(days=1)
    form = {"starts_at": f"{day.isoformat()}T11:00", "override_reason": "Travel"}
    reception = client_for(desk.practice.reception)
    assert reception.post(f"/schedule/{booked[-1].pk}/move/", form).status_code == 403
    practitioner = client_for(desk.practice.practitioner)
    assert practitioner.post(f"/schedule/{booked[-1].pk}/move/", form).status_code == 302
    booked[-1].refresh_from_db()
    assert booked[-1].starts_at.astimezone(LONDON).date() == day
