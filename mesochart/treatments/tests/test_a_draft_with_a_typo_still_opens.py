"""A typo in a region's name is refused before the write: the draft is not saved, and the
session page and API keep opening it (issue 14, Medium 6)."""

import json

import pytest

from mesochart.treatments import actions
from mesochart.treatments.forms import clean_regions

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db
API = "/api/v1"


def with_region(regions, **change):
    return [{**regions[0], **change}, *regions[1:]]


def test_an_unknown_region_is_refused_naming_the_region_and_the_draft_still_opens(
    practice, ready, client_for
):
    session = ready.start()
    client = client_for(practice.practitioner)
    typo = with_region(session.regions, region="submentl")

    response = client.patch(
        f"{API}/sessions/{session.pk}",
        json.dumps({"regions": typo, "version": 1}),
        content_type="application/json",
    )

    assert response.status_code == 422, response.content
    assert (
        "regions[0].region: no region 'submentl' in view 'neck-submental'"
        in (response.json()["detail"])
    )
    session.refresh_from_db()
    assert session.version == 1
    assert session.regions[0]["region"] == "submental"
    assert client.get(f"{API}/sessions/{session.pk}").status_code == 200
    assert client.get(f"/sessions/{session.pk}/").status_code == 200


def test_an_unknown_view_is_refused_naming_the_view(practice, ready):
    session = ready.start()
    problems = clean_regions(with_region(session.regions, view="neck-submentall"))[1]
    assert problems == ["regions[0].view: no view 'neck-submentall'"]


def test_the_page_refuses_a_typo_with_the_forms_words(practice, ready):
    session = ready.start()
    with pytest.raises(Exception) as refused:
        actions.save_draft(
            ready.nurse, session, {"regions": with_region(session.regions, region="x")}
        )
    assert "regions[0].region: no region 'x'" in str(refused.value)
    session.refresh_from_db()
    assert session.version == 1


def test_a_draft_saved_with_an_unknown_region_before_this_check_still_opens(
    practice, ready, client_for
):
    session = ready.start()
    session.regions = with_region(session.regions, region="submentl")
    session.save(update_fields=["regions"])
    client = client_for(practice.practitioner)

    assert client.get(f"{API}/sessions/{session.pk}").status_code == 200
    assert client.get(f"/sessions/{session.pk}/").status_code == 200
