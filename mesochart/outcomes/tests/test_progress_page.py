"""The progress page: each measure over time with its change from baseline in plain words,
the sessions with their cocktail and lots, and a query count flat in the history."""

from html import unescape

import time_machine
from django.utils import timezone

from mesochart.conftest import signed_in
from mesochart.outcomes import actions
from mesochart.outcomes.models import OutcomeValue
from mesochart.outcomes.tests.conftest import circumference, recorded
from mesochart.planning.models import Plan
from mesochart.testing.sessions import signed_history

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_thigh_circumference_reads_as_less_than_at_baseline_after_the_last_session(ready):
    circumference(ready, "58.0", day="2026-03-01")
    session = ready.signed()
    with time_machine.travel("2026-04-27", tick=False):
        circumference(ready, "55.5", day="2026-04-27", context="follow_up")
        response = signed_in(ready.practice.practitioner).get(
            f"/outcomes/plan/{ready.plan.pk}/progress/"
        )
    page = response.content.decode()
    assert (
        "Circumference (left thigh, marked) 2.5 cm less than at baseline, "
        "8 weeks after the last of 1 sessions. (-4.3 %) Better." in page
    )
    assert "lots DCA-001" in page
    assert 'id="oc-chart-data"' in page
    assert f'"x": {int(session.started_at.timestamp()) // 86400 * 86400}' in page


def test_an_amended_value_is_replaced_on_the_progress_page_and_kept(ready):
    original = circumference(ready, "58.0")
    actions.amend_value(ready.membership, original, {"value": "57.0", "amend_reason": "misread"})
    result = signed_in(ready.practice.practitioner).get(f"/outcomes/plan/{ready.plan.pk}/progress/")
    assert "57 cm" in result.content.decode()
    assert recorded(ready).count() == 2
    assert recorded(ready).current().get().amends == original


def _history(ready, sessions, values):
    signed_history(ready, sessions)
    now = timezone.localdate()
    OutcomeValue.objects.bulk_create(
        OutcomeValue(
            clinic=ready.practice.clinic, patient=ready.practice.patient, plan=ready.plan,
            context="follow_up", measure=("circumference", "weight", "pain")[i % 3],
            site="left thigh" if i % 3 == 0 else "", measured_on=now,
            value=50 + i % 7, rater_role="practitioner", recorded_by=ready.practice.practitioner,
        )
        for i in range(values)
    )  # fmt: skip


def test_progress_queries_do_not_grow_with_values_and_sessions(
    ready, django_assert_max_num_queries
):
    client = signed_in(ready.practice.practitioner)
    url = f"/outcomes/plan/{ready.plan.pk}/progress/"
    _history(ready, 2, 6)
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    _history(ready, 20, 200)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_values_page_queries_do_not_grow_with_values(ready, django_assert_max_num_queries):
    client = signed_in(ready.practice.practitioner)
    url = f"/outcomes/plan/{ready.plan.pk}/"
    _history(ready, 2, 6)
    with django_assert_max_num_queries(25) as few:
        assert client.get(url).status_code == 200
    _history(ready, 20, 200)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_values_page_opened_from_a_session_records_a_value_of_that_session(ready):
    session = ready.signed()
    client = signed_in(ready.practice.nurse)
    page = client.get(f"/outcomes/plan/{ready.plan.pk}/?session={session.pk}").content.decode()
    assert f'<option value="{session.pk}" selected>' in page
    assert '<option value="session" selected>' in page
    assert "4 weeks after the last session: due 30 Mar 2026" in page
    data = {"measure": "pain", "context": "session", "session": session.pk,
            "measured_on": "2026-03-02", "value": "3", "rater_role": "patient"}  # fmt: skip
    response = client.post(f"/outcomes/plan/{ready.plan.pk}/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Value recorded." in response.content.decode()
    assert response["HX-Trigger"] == "outcome-recorded"
    assert "<html" not in response.content.decode()
    assert recorded(ready).get().session == session


def test_a_refused_value_on_the_page_names_the_field_as_the_page_labels_it(ready):
    data = {"measure": "pain", "context": "baseline", "measured_on": "2026-03-01",
            "value": "12", "rater_role": "patient"}  # fmt: skip
    response = signed_in(ready.practice.nurse).post(f"/outcomes/plan/{ready.plan.pk}/", data)
    assert response.status_code == 422
    text = unescape(response.content.decode())
    assert "Value (measure's unit): must be at most 10" in text
    assert "value: must be at most 10" not in text


def test_text_typed_by_staff_is_escaped_on_the_progress_page(ready):
    circumference(ready, "58.0", not_measured_reason="", site="<b>thigh</b>")
    circumference(ready, "57.0", site="<b>thigh</b>")
    page = signed_in(ready.practice.practitioner).get(f"/outcomes/plan/{ready.plan.pk}/progress/")
    assert "<b>thigh</b>" not in page.content.decode()
    assert "&lt;b&gt;thigh&lt;/b&gt;" in page.content.decode()


def test_the_values_page_names_the_baselines_still_needed(ready):
    """A plan without a protocol falls back to its indication's measures (body contouring:
    circumference, weight, fat thickness; the fat thickness was taken before approval)."""
    Plan.objects.filter(pk=ready.plan.pk).update(protocol=None)
    client = signed_in(ready.practice.nurse)
    url = f"/outcomes/plan/{ready.plan.pk}/"
    page = client.get(url).content.decode()
    assert (
        "Baseline still needed (a value, or not measured with a reason): Circumference, Weight"
        in page
    )
    circumference(ready)
    page = client.get(url).content.decode()
    assert "Baseline still needed (a value, or not measured with a reason): Weight" in page
    actions.record_value(ready.membership, ready.plan, {
        "measure": "weight", "context": "baseline", "measured_on": "2026-03-01",
        "not_measured_reason": "scales out of order", "rater_role": "practitioner"})  # fmt: skip
    assert "Baseline still needed" not in client.get(url).content.decode()


def test_a_refused_value_through_htmx_shows_its_label_and_rule_in_the_fragment(ready):
    data = {"measure": "pain", "context": "baseline", "measured_on": "2026-03-01",
            "value": "12", "rater_role": "patient"}  # fmt: skip
    response = signed_in(ready.practice.nurse).post(
        f"/outcomes/plan/{ready.plan.pk}/", data, HTTP_HX_REQUEST="true"
    )
    assert "Value (measure's unit): must be at most 10" in unescape(response.content.decode())
    assert "HX-Trigger" not in response


def test_an_htmx_save_refreshes_the_baseline_still_needed_panel_out_of_band(ready):
    Plan.objects.filter(pk=ready.plan.pk).update(protocol=None)  # body contouring's defaults
    client = signed_in(ready.practice.nurse)
    data = {"measure": "circumference", "context": "baseline", "measured_on": "2026-03-01",
            "site": "left thigh", "value": "58.0", "rater_role": "practitioner"}  # fmt: skip
    response = client.post(f"/outcomes/plan/{ready.plan.pk}/", data, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert '<section class="card oc-named" id="oc-named" hx-swap-oob="true">' in body
    assert "Baseline still needed (a value, or not measured with a reason): Weight<" in body
    full = client.get(f"/outcomes/plan/{ready.plan.pk}/").content.decode()
    assert 'id="oc-named">' in full and "hx-swap-oob" not in full
