"""A protocol names its outcome measures and follow-up visits: the shipped ones carry issue
15's pairings, a clinic edits them on the protocol page (checked against the measures), and
the plan's outcome values page reads the protocol's own list."""

from datetime import date

import pytest
import time_machine

from mesochart.core import outcome_plan
from mesochart.planning.models import Protocol
from mesochart.planning.protocols import SHIPPED
from mesochart.testing.plans import new_plan, protocol

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

TODAY = date(2026, 3, 2)


def test_every_shipped_protocol_names_valid_measures_and_the_issues_follow_ups(db):
    for entry in SHIPPED:
        row = protocol(entry["slug"])
        assert outcome_plan.parse_measures(row.outcome_measures), entry["slug"]
        assert row.follow_ups == [{"weeks": 4}, {"months": 3}, {"months": 6}]
    assert protocol("melasma-tranexamic-fortnightly").outcome_measures == [["mmasi"]]
    assert protocol("hair-dutasteride-nappage").outcome_measures == [
        ["hair_density_total"],
        ["sinclair", "hamilton_norwood"],
    ]
    assert protocol("skin-quality-hyaluronic-acid").outcome_measures == [
        ["gais_investigator"],
        ["gais_subject"],
    ]


def protocol_form(**changes) -> dict:
    return {
        "name": "Scalp, monthly",
        "indication": "hair_loss",
        "technique": "nappage",
        "phases_text": "4x30",
        "outcome_measures_text": "Hair density, total; Ludwig | Sinclair",
        "follow_ups_text": "6w, 6m",
        **changes,
    }


def test_a_clinic_names_its_protocols_measures_and_follow_ups_on_the_edit_page(
    practice, client_for
):
    client = client_for(practice.practitioner)
    response = client.post("/plans/protocols/new/", protocol_form())
    assert response.status_code == 302
    saved = Protocol.objects.get(clinic=practice.clinic, name="Scalp, monthly")
    assert saved.outcome_measures == [["hair_density_total"], ["ludwig", "sinclair"]]
    assert saved.follow_ups == [{"weeks": 6}, {"months": 6}]
    page = client.get(f"/plans/protocols/{saved.pk}/").content.decode()
    assert 'value="Hair density, total; Ludwig | Sinclair"' in page
    assert 'value="6w, 6m"' in page


@pytest.mark.parametrize(
    ("field", "typed", "line"),
    [
        ("outcome_measures_text", "Cellulite Severity Scale; Face-Q",
         "Outcome measures: entry 2: &#x27;Face-Q&#x27; is not a known measure"),
        ("follow_ups_text", "3m, 4w", "Follow-up visits: must be in order, the earliest first"),
    ],
)  # fmt: skip
def test_an_unknown_measure_or_a_muddled_schedule_is_refused(
    practice, client_for, field, typed, line
):
    response = client_for(practice.practitioner).post(
        "/plans/protocols/new/", protocol_form(**{field: typed})
    )
    assert line in response.content.decode()
    assert not Protocol.objects.filter(clinic=practice.clinic).exists()


def test_a_clinics_copy_of_a_shipped_protocol_starts_with_its_measures(practice, client_for):
    shipped = protocol("melasma-tranexamic-weekly")
    client = client_for(practice.practitioner)
    page = client.get(f"/plans/protocols/{shipped.pk}/").content.decode()
    assert 'value="mMASI"' in page and 'value="4w, 3m, 6m"' in page


@time_machine.travel(TODAY)
def test_the_values_page_reads_the_protocols_own_measures(practice, client_for):
    """Melasma names mMASI alone, not the body-contouring defaults of the plan's indication."""
    plan = new_plan(practice, "melasma-tranexamic-weekly", baselines=False)
    page = client_for(practice.nurse).get(f"/outcomes/plan/{plan.pk}/").content.decode()
    assert "Baseline still needed (a value, or not measured with a reason): mMASI" in page
    assert "Circumference" not in page.split("oc-named")[1].split("</section>")[0]


def test_the_api_reads_a_protocols_measures_and_follow_ups(practice):
    from mesochart.testing.plans import ApiCaller

    hair = protocol("hair-dutasteride-nappage")
    body = ApiCaller(practice.nurse).get(f"/protocols/{hair.pk}").json()
    assert body["outcome_measures"] == [["hair_density_total"], ["sinclair", "hamilton_norwood"]]
    assert body["follow_ups"] == [{"weeks": 4}, {"months": 3}, {"months": 6}]
