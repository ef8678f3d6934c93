"""The session page: start from the timeline, enter a lot by scanning, see the checklist,
sign, add an addendum; errors read ``field: rule``; the timeline is a fragment for htmx and
a page otherwise."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mesochart.testing.sessions import GTIN, signed_history
from mesochart.treatments import actions
from mesochart.treatments.models import TreatmentSession
from mesochart.treatments.recall import recall_rows

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

HTMX = {"HX-Request": "true"}


def test_start_scan_sign_and_amend_through_the_pages(practice, ready, client_for):
    client = client_for(practice.practitioner)
    timeline = client.get(f"/sessions/patient/{practice.patient.pk}/timeline/", headers=HTMX)
    assert "Start session 1" in timeline.content.decode()
    started = client.post(f"/sessions/plan/{ready.plan.pk}/start/")
    session = TreatmentSession.objects.get()
    assert started["Location"] == f"/sessions/{session.pk}/"
    page = client.get(started["Location"]).content.decode()
    assert "Pre-flight checklist" in page and "No product recorded" in page

    data = {
        "version": session.version,
        "lot": [""],
        "barcode": [f"(01){GTIN}(17)270131(10)DCA-001"],
        "drawn": ["4"],
        "wasted": ["0"],
        "needle_gauge": "30",
        "notes": "Tolerated well",
        "then": "sign",
    }
    confirm = client.post(f"/sessions/{session.pk}/save/", data)
    assert confirm.status_code == 200 and "What you are signing" in confirm.content.decode()
    signed = client.post(
        f"/sessions/{session.pk}/sign/",
        {"confirm": "1", "reauthentication": "a-long-test-password-1"},
    )
    assert signed.status_code == 302, signed.content.decode()[:2000]
    session.refresh_from_db()
    assert (session.status, session.notes) == ("signed", "Tolerated well")
    page = client.get(f"/sessions/{session.pk}/").content.decode()
    assert session.content_hash in page and "locked" in page

    client.post(f"/sessions/{session.pk}/amend/", {"kind": "addendum", "text": "Called: fine"})
    page = client.get(f"/sessions/{session.pk}/").content.decode()
    assert "Called: fine" in page and "amended" in page
    timeline = client.get(f"/sessions/patient/{practice.patient.pk}/timeline/")
    body = timeline.content.decode()
    assert "<!doctype" in body.lower()
    assert "Addendum to the session" in body and "signed" in body


def test_a_bad_scan_and_a_stale_version_are_shown_by_their_labels(practice, ready, client_for):
    client = client_for(practice.practitioner)
    session = ready.start()
    response = client.post(
        f"/sessions/{session.pk}/save/",
        {"version": session.version, "lot": [""], "barcode": ["junk"], "drawn": ["1"]},
    )
    assert response.status_code == 422
    assert "Barcode: is not a GS1 code" in response.content.decode()
    assert "products[0].barcode" not in response.content.decode()
    response = client.post(f"/sessions/{session.pk}/save/", {"version": 99, "notes": "x"})
    assert response.status_code == 422
    assert "Version: someone else saved this session" in response.content.decode()


def test_the_patient_page_shows_the_timeline(practice, ready, client_for):
    page = client_for(practice.nurse).get(f"/patients/{practice.patient.pk}/").content.decode()
    assert 'id="tx-timeline"' in page
    assert "Start session 1 (2 Mar 2026, 09:00)" in page
    assert "Screening: body contouring / fat reduction, Submental area" in page
    page = client_for(practice.reception).get(f"/patients/{practice.patient.pk}/").content.decode()
    assert "tx-timeline" not in page


def test_the_session_page_queries_do_not_grow_with_points_or_history(
    practice, ready, client_for, django_assert_max_num_queries
):
    """The chart editor reads the session's points from its one row and the plan's
    measurements in one query; the checklist reads the signed history in one."""
    client = client_for(practice.practitioner)
    session = ready.start()
    client.get(f"/sessions/{session.pk}/")  # warm the per-process figure cache
    grid = [[float(x), float(y)] for y in range(-10, 10) for x in range(-10, 10)]  # 1 cm apart
    counts = []
    for earlier in (0, 3):
        signed_history(ready, earlier - TreatmentSession.objects.filter(status="signed").count())
        for points in (20, 400):
            regions = [dict(session.regions[0], points=grid[:points])]
            session = actions.save_draft(ready.membership, session, {"regions": regions})
            with django_assert_max_num_queries(30) as captured:
                response = client.get(f"/sessions/{session.pk}/")
            page = response.content.decode()
            assert response.status_code == 200
            assert f"[{grid[points - 1][0]}, {grid[points - 1][1]}]" in page
            if points == 20:  # within the label: the engine says what it considered
                assert f"{earlier} earlier signed session(s) considered" in page
            counts.append(len(captured.captured_queries))
    assert len(set(counts)) == 1, counts


def test_the_editor_and_the_checklist_share_one_read_of_the_plans_regions_and_the_lots(
    practice, ready, client_for
):
    client = client_for(practice.practitioner)
    session = ready.drafted()
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/sessions/{session.pk}/").content.decode()
    assert "Pre-flight checklist" in page and "DCA-001" in page
    statements = [query["sql"] for query in captured.captured_queries]
    assert sum('FROM "planning_planregion"' in sql for sql in statements) == 1
    assert sum(sql.startswith('SELECT "treatments_sessionproduct"."id"') for sql in statements) == 1
    assert not any(sql.startswith('SELECT "accounts_clinic"') for sql in statements)


def test_a_wrongly_charted_area_is_corrected_on_the_page_and_recalled_as_corrected(
    practice, ready, client_for
):
    session = ready.signed()
    client = client_for(practice.practitioner)
    assert 'value="areas"' in client.get(f"/sessions/{session.pk}/").content.decode()
    correction = {"kind": "correction", "text": "Areas", "field": "areas"}
    refused = client.post(
        f"/sessions/{session.pk}/amend/", {**correction, "value": " , ", "reason": "charted"}
    )
    assert "Areas: name at least one treated area" in refused.content.decode()
    client.post(
        f"/sessions/{session.pk}/amend/",
        {**correction, "value": "jowls, submental", "reason": "charted the wrong area"},
    )
    (row,) = recall_rows(practice.org.pk, "DCA-001")
    assert row.areas == "jowls, submental"
