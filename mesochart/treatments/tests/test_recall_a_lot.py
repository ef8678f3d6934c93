"""A recall finds every patient and signed session that received a lot, in every clinic of
the organisation and none of another; it is exportable as CSV and is itself audited."""

import csv
import importlib
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from click.testing import CliRunner
from django.apps import apps
from django.utils import timezone

from mesochart.audit.models import AuditEvent
from mesochart.cli import main
from mesochart.testing.plans import ApiCaller
from mesochart.testing.sessions import proof, receive, signed_history
from mesochart.treatments import actions
from mesochart.treatments.models import LotUse, SessionProduct, TreatmentSession
from mesochart.treatments.recall import recall_rows, run_recall

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def _signed_elsewhere(ready, clinic, patient, lot, practitioner, started_at=None):
    """A signed session of another clinic, written directly with its uses as signing writes
    them: the recall only reads."""
    session = TreatmentSession.objects.create(
        clinic=clinic,
        patient=patient,
        plan=ready.plan,
        cocktail_version=ready.version,
        practitioner=practitioner,
        status="signed",
        started_at=started_at or timezone.now(),
        signed_at=ready.plan.approved_at,
        signed_by=practitioner,
        content_hash="f" * 64,
        areas=["abdomen"],
        created_by=practitioner,
    )
    row = SessionProduct.objects.create(
        session=session, product=lot.product, lot=lot, volume_drawn_ml=2, volume_wasted_ml=0
    )
    LotUse.objects.bulk_create(LotUse.for_signed(session, [row], clinic.time_zone))
    return session


@pytest.fixture
def spread(practice, ready):
    """DCA-001 used at the main clinic (signed, and a draft), at the sister clinic of the
    same organisation, and a lot of the same number at another organisation."""
    here = ready.signed()
    ready.drafted()
    sister_patient = practice.make_patient(practice.sister_clinic, "Sara", "Sister", "SC-1")
    sister_lot = receive(practice, user=practice.sister_practitioner)
    there = _signed_elsewhere(
        ready, practice.sister_clinic, sister_patient, sister_lot, practice.sister_practitioner
    )
    foreign_lot = receive(practice, user=practice.outsider)
    _signed_elsewhere(
        ready, practice.other_clinic, practice.other_patient, foreign_lot, practice.outsider
    )
    return here, there


def test_the_recall_finds_exactly_the_organisations_patients(practice, spread):
    here, there = spread
    rows = recall_rows(practice.org.pk, "DCA-001")
    assert sorted(r.session_id for r in rows) == sorted([here.pk, there.pk])
    assert {r.record_number for r in rows} == {"MC-000001", "SC-1"}
    row = next(r for r in rows if r.session_id == here.pk)
    assert (row.areas, str(row.volume_administered_ml), row.clinic) == (
        "submental",
        "4.000",
        "Main Street",
    )
    assert practice.other_patient.pk not in {r.patient_id for r in rows}
    assert "Secret" not in repr(rows)


def test_the_recall_is_audited(practice, spread):
    run_recall(practice.actor(practice.practitioner), "DCA-001")
    event = AuditEvent.objects.filter(category="treatment", action="export").latest("pk")
    assert event.detail == {"recall": "DCA-001", "rows": 2, "patients": 2, "format": "json"}


def test_the_api_returns_rows_and_csv(practice, spread):
    api = ApiCaller(practice.practitioner)
    body = api.get("/lots/DCA-001/recall").json()
    assert body["count"] == 2
    response = api.get("/lots/DCA-001/recall?format=csv")
    assert response["Content-Type"] == "text/csv"
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["record_number"] for r in table} == {"MC-000001", "SC-1"}
    assert all(r["phone"] is not None for r in table)


def test_another_organisation_sees_only_its_own(practice, spread):
    body = ApiCaller(practice.outsider).get("/lots/DCA-001/recall").json()
    assert body["count"] == 1
    assert "LOPEZ" not in json.dumps(body)
    assert {r["record_number"] for r in body["rows"]} == {"OT-000001"}


@pytest.mark.parametrize("role", ["nurse", "reception"])
def test_roles_without_recall_are_refused(practice, spread, role):
    response = ApiCaller(getattr(practice, role)).get("/lots/DCA-001/recall")
    assert response.status_code == 403
    assert "MC-000001" not in response.content.decode()


def test_the_console_command_prints_json_and_writes_csv(practice, spread, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["recall", "DCA-001", "--organisation", "test-practice", "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)["rows"]) == 2
    target = tmp_path / "recall.csv"
    result = runner.invoke(
        main, ["recall", "DCA-001", "--organisation", "test-practice", "--csv", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert target.read_text().count("DCA-001") == 2
    assert AuditEvent.objects.filter(actor_label="console", action="export").count() == 2


def test_the_console_needs_an_organisation_when_there_are_several(practice, spread):
    result = CliRunner().invoke(main, ["recall", "DCA-001"])
    assert result.exit_code == 2


def _signed_in_sydney_at_8_am(practice, ready):
    """A session of the sister clinic, moved to Sydney, at 08:00 on 2 March there (21:00 on
    1 March in UTC), with DCA-001 of its own stock."""
    practice.sister_clinic.time_zone = "Australia/Sydney"
    practice.sister_clinic.save()
    patient = practice.make_patient(practice.sister_clinic, "Sara", "Sister", "SC-1")
    lot = receive(practice, user=practice.sister_practitioner)
    evening = datetime(2026, 3, 1, 21, 0, tzinfo=UTC)
    _signed_elsewhere(
        ready, practice.sister_clinic, patient, lot, practice.sister_practitioner, evening
    )


def test_a_session_is_dated_on_its_clinics_day_not_in_utc(practice, ready):
    """08:00 on 2 March in Sydney is 21:00 on 1 March in UTC: the recall says 2 March."""
    _signed_in_sydney_at_8_am(practice, ready)
    (row,) = recall_rows(practice.org.pk, "DCA-001")
    assert row.session_date == date(2026, 3, 2)


def test_a_session_whose_areas_were_corrected_is_recalled_with_the_corrected_areas(practice, ready):
    session = ready.signed()
    for areas in (["jowls"], ["jowls", "submental"]):
        actions.amend_session(
            ready.membership,
            session,
            {
                "kind": "correction",
                "text": "Areas",
                "reason": "charted the wrong area",
                "changes": {"areas": areas},
            },
        )
    (row,) = recall_rows(practice.org.pk, "DCA-001")
    assert row.areas == "jowls, submental"


def test_a_long_recall_is_paged_on_screen_and_whole_in_the_csv(practice, ready, client_for):
    signed_history(ready, 120)
    browser = client_for(practice.practitioner)
    first = browser.get("/sessions/recall/", {"lot": "DCA-001"}).content.decode()
    assert "1 patient, 120 sessions" in first
    assert first.count("<tr><td>") == 100
    assert "Rows 1–100 of 120" in first
    second = browser.get("/sessions/recall/", {"lot": "DCA-001", "page": 2}).content.decode()
    assert second.count("<tr><td>") == 20
    csv_rows = browser.get("/sessions/recall/", {"lot": "DCA-001", "format": "csv"})
    assert len(list(csv.reader(io.StringIO(csv_rows.content.decode())))) == 121


def _sign_two_lots(ready, practice):
    second = receive(practice, lot_number="DCA-002")
    rows = [
        {"lot": ready.lot.pk, "volume_drawn_ml": "2", "volume_wasted_ml": "0.5"},
        {"lot": second.pk, "volume_drawn_ml": "2.75", "volume_wasted_ml": "0.25"},
    ]
    draft = actions.save_draft(ready.membership, ready.start(ad_hoc=True), {"products": rows})
    return actions.sign_session(ready.membership, draft, reauthentication=proof(ready.membership))


def test_a_session_of_two_lots_is_recalled_under_each_with_what_each_gave(practice, ready):
    session = _sign_two_lots(ready, practice)
    (first,) = recall_rows(practice.org.pk, "DCA-001")
    (second,) = recall_rows(practice.org.pk, "DCA-002")
    assert first.session_id == second.session_id == session.pk
    assert (first.volume_administered_ml, first.volume_wasted_ml) == (
        Decimal("1.500"),
        Decimal("0.500"),
    )
    assert (second.volume_administered_ml, second.volume_wasted_ml) == (
        Decimal("2.500"),
        Decimal("0.250"),
    )


def test_sessions_signed_before_the_recall_kept_its_own_rows_are_still_found(practice, ready):
    """The migration that brought `LotUse` records the uses of the sessions already signed
    exactly as signing records them: same rows, same days, same order."""
    signed_history(ready, 2)
    _sign_two_lots(ready, practice)
    _signed_in_sydney_at_8_am(practice, ready)
    signed = {number: recall_rows(practice.org.pk, number) for number in ("DCA-001", "DCA-002")}
    LotUse.objects.all().delete()
    assert recall_rows(practice.org.pk, "DCA-001") == []

    migration = importlib.import_module("mesochart.treatments.migrations.0003_lot_uses_for_recall")
    migration.record_signed_uses(apps, None)

    assert {number: recall_rows(practice.org.pk, number) for number in signed} == signed
    assert (len(signed["DCA-001"]), len(signed["DCA-002"])) == (4, 1)


def test_the_page_names_what_was_recalled_and_where_it_was_used(practice, spread, client_for):
    page = client_for(practice.practitioner).get("/sessions/recall/", {"lot": "DCA-001"})
    body = page.content.decode()
    assert "Deoxycholic acid" in body and "expires 31 Jan 2027: used at" in body
    assert "Main Street, Sister Clinic" in body or "Sister Clinic, Main Street" in body
    assert "<th>Product</th>" not in body  # one product: said once, above the table


def test_one_lot_number_on_two_products_is_told_apart_row_by_row(practice, ready, client_for):
    ready.signed()
    patient = practice.make_patient(practice.sister_clinic, "Sara", "Sister", "SC-1")
    other = receive(practice, user=practice.sister_practitioner, product="pcdc-lipolysis", gtin="")
    _signed_elsewhere(ready, practice.sister_clinic, patient, other, practice.sister_practitioner)
    body = client_for(practice.practitioner).get("/sessions/recall/", {"lot": "DCA-001"})
    body = body.content.decode()
    assert body.count("expires 31 Jan 2027: used at") == 2
    assert "<th>Product</th>" in body and f"<td>{other.product.name}</td>" in body


def test_the_recall_page_names_the_areas_in_the_charts_words(practice, ready, client_for):
    ready.signed()
    page = client_for(practice.practitioner).get("/sessions/recall/", {"lot": "DCA-001"})
    body = page.content.decode()
    assert "<td>Submental area</td>" in body  # the region's name, never its slug
    csv_rows = client_for(practice.practitioner).get(
        "/sessions/recall/", {"lot": "DCA-001", "format": "csv"}
    )
    assert "submental" in csv_rows.content.decode()  # the file to work from keeps the codes
