"""The pages and endpoints of a deviation and a lot correction: the signing page shows the
findings and asks for a justification; the signed page flags the deviation and offers an
adverse event for the session; the lot correction form moves the recall; query counts stay
bounded."""

from decimal import Decimal

import pytest

from mesochart.testing.plans import ApiCaller
from mesochart.testing.sessions import PASSWORD, receive
from mesochart.treatments.models import Amendment, TreatmentSession
from mesochart.treatments.tests.test_sign_a_deviation import WHY, over_the_label

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_the_signing_page_shows_the_findings_and_asks_for_a_justification(
    practice, ready, client_for
):
    session = over_the_label(ready)
    client = client_for(practice.practitioner)
    page = client.get(f"/sessions/{session.pk}/sign/").content.decode()
    assert "differs from the plan" in page and 'name="deviation"' in page
    assert "Sign as a deviation and lock" in page
    short = client.post(
        f"/sessions/{session.pk}/sign/",
        {"confirm": "1", "reauthentication": PASSWORD, "deviation": "more"},
    )
    assert short.status_code == 422
    text = short.content.decode()
    assert "Justification of the deviation: write what was administered" in text
    assert ">more</textarea>" in text  # what was typed is kept
    signed = client.post(
        f"/sessions/{session.pk}/sign/",
        {"confirm": "1", "reauthentication": PASSWORD, "deviation": WHY},
    )
    assert signed.status_code == 302
    page = client.get(f"/sessions/{session.pk}/").content.decode()
    assert "Signed as a deviation from the plan" in page and WHY in page
    assert f"/adverse-events/new/?session={session.pk}" in page
    form = client.get(
        f"/sessions/patient/{practice.patient.pk}/adverse-events/new/?session={session.pk}"
    ).content.decode()
    assert f'<option value="{session.pk}" selected>' in form
    timeline = client.get(f"/sessions/patient/{practice.patient.pk}/timeline/").content.decode()
    assert "tx-deviation-flag" in timeline


def test_an_absolute_block_offers_no_deviation(practice, ready, client_for):
    from mesochart.consent.models import Consent

    Consent.objects.all().delete()
    session = over_the_label(ready)
    page = client_for(practice.practitioner).get(f"/sessions/{session.pk}/sign/").content.decode()
    assert 'name="deviation"' not in page and "cannot be signed yet" in page


def test_the_api_signs_a_deviation_and_says_so(practice, ready):
    session = over_the_label(ready)
    api = ApiCaller(practice.practitioner)
    refused = api.post(f"/sessions/{session.pk}/sign", {"password": PASSWORD, "deviation": "x"})
    assert refused.status_code == 422
    assert any(e["field"] == "deviation" for e in refused.json()["errors"])
    done = api.post(f"/sessions/{session.pk}/sign", {"password": PASSWORD, "deviation": WHY})
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["deviation"] is True and body["deviation_justification"] == WHY
    timeline = api.get(f"/patients/{practice.patient.pk}/timeline").json()
    assert any(e["kind"] == "session" and e["deviation"] for e in timeline)
    schema = api.get("/openapi.json").json()
    assert "deviation" in schema["components"]["schemas"]["SessionSignIn"]["properties"]


def test_the_printed_record_shows_the_deviation(practice, ready, client_for):
    from mesochart.treatments.record_pdf import session_record_pdf

    session = over_the_label(ready)
    from mesochart.testing.sessions import proof
    from mesochart.treatments import actions

    actions.sign_session(
        ready.membership, session, reauthentication=proof(ready.membership), deviation=WHY
    )
    session = TreatmentSession.objects.get(pk=session.pk)
    text = _pdf_text(session_record_pdf(session))
    assert "Deviation from the plan" in text and "Justification" in text


def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def wrong(ready):
    ready.right = receive(ready.practice, lot_number="DCA-002")
    ready.session = ready.signed()
    return ready


def test_the_lot_correction_form_moves_the_recall(practice, wrong, client_for):
    client = client_for(practice.practitioner)
    page = client.get(f"/sessions/{wrong.session.pk}/").content.decode()
    assert "Correct a lot or volume" in page
    data = {
        "position": "0",
        "lot": str(wrong.right.pk),
        "volume_drawn_ml": "4",
        "volume_wasted_ml": "0",
        "reason": "",
        "reauthentication": PASSWORD,
    }
    refused = client.post(f"/sessions/{wrong.session.pk}/correct-lot/", data)
    assert refused.status_code == 422
    assert "Why the record was wrong: is required" in refused.content.decode()
    data["reason"] = "The vial in the bin was DCA-002."
    done = client.post(f"/sessions/{wrong.session.pk}/correct-lot/", data)
    assert done.status_code == 302
    old = client.get("/sessions/recall/", {"lot": "DCA-001"}).content.decode()
    assert "0 patients" in old
    new = client.get("/sessions/recall/", {"lot": "DCA-002"}).content.decode()
    assert "LOPEZ" in new and "corrected on" in new and "from lot DCA-001" in new


def test_the_api_corrects_a_lot(practice, wrong):
    api = ApiCaller(practice.practitioner)
    body = {
        "password": PASSWORD,
        "position": 0,
        "lot": wrong.right.pk,
        "volume_drawn_ml": "4",
        "reason": "The vial in the bin was DCA-002.",
    }
    refused = api.post(f"/sessions/{wrong.session.pk}/corrections", {**body, "reason": ""})
    assert refused.status_code == 422 and refused.json()["detail"].startswith("reason: ")
    done = api.post(f"/sessions/{wrong.session.pk}/corrections", body)
    assert done.status_code == 201, done.content
    (change,) = done.json()["changes"].values()
    assert "DCA-001" in change["from"] and "DCA-002" in change["to"]
    assert Amendment.objects.get().kind == "correction"
    rows = api.get("/lots/DCA-002/recall").json()["rows"]
    assert [r["session_id"] for r in rows] == [wrong.session.pk]


def test_a_correction_costs_a_bounded_number_of_queries(
    practice, wrong, client_for, django_assert_max_num_queries
):
    from mesochart.testing.sessions import proof
    from mesochart.treatments import corrections

    data = {"position": 0, "lot": wrong.right.pk, "volume_drawn_ml": "4", "reason": "Wrong box."}
    with django_assert_max_num_queries(14):
        corrections.correct_product(
            wrong.membership, wrong.session, data, reauthentication=proof(wrong.membership)
        )
    client = client_for(practice.practitioner)
    client.get(f"/sessions/{wrong.session.pk}/")
    # 17: the signed record shows its reconciliation (one read of the cocktail components).
    with django_assert_max_num_queries(17):
        assert client.get(f"/sessions/{wrong.session.pk}/").status_code == 200
    assert sum(m.quantity_ml for m in wrong.right.movements.all()) == Decimal(16)
