"""``GET``/``POST /api/v1/outcome-items``: a clinic's own patient-reported items."""

from mesochart.conftest import signed_in
from mesochart.outcomes.models import ClinicItem

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

URL = "/api/v1/outcome-items"
SHORTS = {
    "slug": "shorts", "question": "How confident do you feel in shorts?", "response": "scale",
    "better": "higher", "maximum": 10, "low_anchor": "Not at all", "high_anchor": "Completely",
}  # fmt: skip


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def test_a_practitioner_defines_an_item_and_lists_it(practice):
    client = signed_in(practice.practitioner)
    created = post(client, SHORTS)
    assert created.status_code == 201
    assert created.json()["code"] == "pro.shorts" and created.json()["version"] == 1
    listed = signed_in(practice.nurse).get(URL).json()
    assert [item["question"] for item in listed] == ["How confident do you feel in shorts?"]


def test_a_bad_range_is_refused_as_field_rule(practice):
    response = post(signed_in(practice.practitioner), SHORTS | {"maximum": 500})
    assert response.status_code == 422
    assert response.json()["detail"] == "maximum: must be a whole number from 1 to 100"
    assert not ClinicItem.objects.exists()


def test_reception_may_not_define_or_read_items(practice):
    client = signed_in(practice.reception)
    assert post(client, SHORTS).status_code == 403
    assert client.get(URL).status_code == 403
    assert not ClinicItem.objects.exists()


def test_another_clinics_items_are_not_listed(practice):
    post(signed_in(practice.outsider), SHORTS)
    assert signed_in(practice.practitioner).get(URL).json() == []
