"""An adverse event keeps its session, lots and products through a refused form, and they can
be linked or corrected later by an amendment that keeps the first report: the regulator
report names the corrected suspects, the history what was first reported; audited."""

import re

import pytest
from django.core.exceptions import ValidationError

from mesochart.audit.models import AuditEvent
from mesochart.formulary.models import Product
from mesochart.testing.plans import ApiCaller
from mesochart.testing.sessions import receive
from mesochart.treatments import events
from mesochart.treatments.models import AdverseEvent, AdverseEventUpdate

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

BASE = {
    "event_type": "nodule",
    "severity": "moderate",
    "onset_on": "2026-03-02",
    "causality": "probable",
    "outcome": "recovering",
    "description": "Firm nodules along the jaw line",
}


def selected(body: str, name: str, value) -> bool:
    """Whether the form shows option ``value`` of ``name`` chosen."""
    select = re.search(rf'<select name="{name}".*?</select>', body, re.S)
    return bool(select and re.search(rf'<option value="{value}"[^>]*selected', select[0]))


def suspects(event) -> dict:
    fields = {(s, n): v for s, n, v in events.report_fields(event)}
    return {s: v for (s, n), v in fields.items() if s.startswith("D.") and n == "Lot number"}


@pytest.fixture
def unlinked(practice, ready):
    """An event reported without its session, the session signed the same day."""
    ready.session = ready.signed()
    return events.record_event(ready.membership, practice.patient, dict(BASE))


def test_a_refused_event_form_keeps_its_session_lots_products_and_text(practice, ready, client_for):
    session = ready.signed()
    product = Product.objects.get(slug="pcdc-lipolysis")
    response = client_for(practice.nurse).post(
        f"/sessions/patient/{practice.patient.pk}/adverse-events/new/",
        {
            **BASE,
            "onset_on": "2026-04-30",  # the one bad field: in the future
            "session": session.pk,
            "lots": [ready.lot.pk],
            "products": [product.slug],
            "seriousness": ["intervention"],
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    # In the form's own words, never the field's name (issue 12, defect 10).
    assert "Onset on: must not be in the future" in body
    assert "onset_on:" not in body
    assert selected(body, "session", session.pk)
    assert selected(body, "lots", ready.lot.pk)
    assert selected(body, "products", product.slug)
    assert "Firm nodules along the jaw line" in body
    assert re.search(r'value="intervention"[^>]*checked', body)
    assert not AdverseEvent.objects.exists()


def test_the_session_is_linked_later_and_the_report_then_names_its_lot(
    practice, ready, unlinked, client_for
):
    assert suspects(unlinked) == {}
    response = client_for(practice.practitioner).post(
        f"/sessions/adverse-events/{unlinked.pk}/suspects/",
        {"version": 1, "session": ready.session.pk, "reason": "Forgotten when first reported"},
    )
    assert response.status_code == 302, response.content.decode()
    event = AdverseEvent.objects.get(pk=unlinked.pk)
    assert (event.session, list(event.lots.all()), event.version) == (ready.session, [ready.lot], 2)
    assert suspects(event) == {"D. Suspect product 1": "DCA-001"}
    (update,) = AdverseEventUpdate.objects.filter(event=event)
    assert update.changes["session"]["from"] == "none"
    assert update.note == "Forgotten when first reported"
    page = client_for(practice.practitioner).get(f"/sessions/adverse-events/{event.pk}/")
    body = page.content.decode()
    assert "As first reported" in body
    assert "Session: none → 2026-03-02 · submental" in body
    (audit,) = AuditEvent.objects.filter(action="update", object_type="adverseevent")
    assert audit.detail["amendment"] == "suspects"
    assert audit.detail["lots"] == [ready.lot.pk]


def test_a_wrong_lot_is_corrected_and_the_first_one_stays_in_the_history(practice, ready):
    session = ready.signed()
    event = events.record_event(ready.membership, practice.patient, {**BASE, "session": session.pk})
    other = receive(practice, lot_number="DCA-002")
    events.amend_suspects(
        ready.membership,
        event,
        {"version": 1, "session": session.pk, "lots": [other.pk], "reason": "Box misread"},
    )
    event.refresh_from_db()
    assert suspects(event) == {"D. Suspect product 1": "DCA-002"}
    first = events.first_reported(event)
    assert any("DCA-001" in lot for lot in first["lots"])
    assert not any("DCA-002" in lot for lot in first["lots"])


def test_a_suspect_product_without_its_lot_is_reported(practice, ready, unlinked):
    product = Product.objects.get(slug="pcdc-lipolysis")
    events.amend_suspects(
        ready.membership, unlinked, {"version": 1, "products": [product.slug], "reason": "Asked"}
    )
    fields = {(s, n): v for s, n, v in events.report_fields(unlinked)}
    assert fields[("D. Suspect product 1", "Name")] == product.name
    assert fields[("D. Suspect product 1", "Lot number")] == "unknown"


def test_an_amendment_needs_a_reason_a_change_and_the_current_version(practice, ready, unlinked):
    link = {"version": 1, "session": ready.session.pk}
    with pytest.raises(ValidationError) as refused:
        events.amend_suspects(ready.membership, unlinked, link)
    assert refused.value.message_dict == {
        "reason": ["is required: say why the link is added or corrected"]
    }
    with pytest.raises(ValidationError) as refused:
        events.amend_suspects(ready.membership, unlinked, {"version": 1, "reason": "Nothing"})
    assert refused.value.messages == [events.NO_CHANGE]
    events.amend_suspects(ready.membership, unlinked, {**link, "reason": "Forgotten"})
    with pytest.raises(ValidationError) as refused:
        events.amend_suspects(ready.membership, unlinked, {"version": 1, "reason": "Again"})
    assert refused.value.message_dict == {"version": [events.STALE.format(2)]}
    assert AdverseEventUpdate.objects.count() == 1


def test_a_refused_amendment_page_keeps_what_was_chosen(practice, ready, unlinked, client_for):
    response = client_for(practice.practitioner).post(
        f"/sessions/adverse-events/{unlinked.pk}/suspects/",
        {"version": 1, "session": ready.session.pk, "lots": [ready.lot.pk], "reason": ""},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Reason: is required: say why the link is added or corrected" in body
    assert selected(body, "session", ready.session.pk)
    assert selected(body, "lots", ready.lot.pk)


def test_another_patients_session_cannot_be_linked(practice, ready, unlinked):
    other = practice.make_patient(practice.clinic, "Bea", "Other", "MC-000002")
    elsewhere = events.record_event(ready.membership, other, dict(BASE))
    with pytest.raises(ValidationError) as refused:
        events.amend_suspects(
            ready.membership,
            elsewhere,
            {"version": 1, "session": ready.session.pk, "reason": "Wrong patient"},
        )
    assert refused.value.message_dict == {"session": ["is not a session of this patient here"]}


def test_only_this_clinics_clinical_staff_amend_and_refusals_are_audited(
    practice, ready, unlinked, client_for
):
    url = f"/sessions/adverse-events/{unlinked.pk}/suspects/"
    data = {"version": 1, "session": ready.session.pk, "reason": "Forgotten"}
    for user, status in (
        (practice.reception, 403),
        (practice.sister_practitioner, 404),
        (practice.outsider, 404),
    ):
        response = client_for(user).post(url, data)
        assert response.status_code == status, user
        assert "Lopez" not in response.content.decode(errors="replace")
        assert AuditEvent.objects.filter(actor_id=user.pk, outcome="denied").exists()
    assert not AdverseEventUpdate.objects.exists()


def test_the_api_links_the_session_later_and_names_the_rule_when_refused(practice, ready, unlinked):
    api = ApiCaller(practice.nurse)
    url = f"/adverse-events/{unlinked.pk}/suspects"
    refused = api.post(url, {"version": 1, "session": ready.session.pk, "reason": ""})
    assert refused.status_code == 422
    assert refused.json()["detail"] == "reason: is required: say why the link is added or corrected"
    body = {
        "version": 1,
        "session": ready.session.pk,
        "products": ["pcdc-lipolysis"],
        "reason": "Forgotten",
    }
    event = api.post(url, body).json()
    assert (event["session"], event["version"]) == (ready.session.pk, 2)
    assert [lot["lot_number"] for lot in event["lots"]] == ["DCA-001"]
    assert event["products"] == ["pcdc-lipolysis"]
    assert set(event["updates"][0]["changes"]) == {"session", "lots", "products"}
    assert ApiCaller(practice.reception).post(url, {**body, "version": 2}).status_code == 403
    assert ApiCaller(practice.outsider).post(url, {**body, "version": 2}).status_code == 404
