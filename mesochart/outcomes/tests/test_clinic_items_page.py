"""The page where a clinic lists, defines, edits and retires its own items."""

from mesochart.conftest import signed_in
from mesochart.outcomes import items
from mesochart.outcomes.models import ClinicItem

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

URL = "/outcomes/items/"
SHORTS = {
    "slug": "shorts", "question": "How confident do you feel in shorts?", "response": "scale",
    "better": "higher", "maximum": "10", "low_anchor": "Not at all", "high_anchor": "Completely",
}  # fmt: skip


def test_a_practitioner_defines_an_item_on_the_page(practice):
    client = signed_in(practice.practitioner)
    assert client.post(URL, SHORTS).url == URL
    page = client.get(URL).content.decode()
    assert "How confident do you feel in shorts?" in page and "0 Not at all" in page


def test_a_refused_item_is_named_by_its_label_on_the_page(practice):
    response = signed_in(practice.practitioner).post(URL, SHORTS | {"maximum": "0"})
    assert response.status_code == 422
    assert "Top of the scale: must be a whole number from 1 to 100" in response.content.decode()
    assert not ClinicItem.objects.exists()


def test_editing_and_retiring_from_the_page(practice):
    client = signed_in(practice.practitioner)
    client.post(URL, SHORTS)
    client.post(f"{URL}shorts/", SHORTS | {"question": "Confident in shorts?"})
    assert ClinicItem.objects.get().question == "Confident in shorts?"  # unanswered: in place
    client.post(f"{URL}shorts/retire/")
    assert ClinicItem.objects.get().retired_at is not None
    assert "retired" in client.get(URL).content.decode()


def test_reception_is_refused_and_another_clinic_sees_nothing(practice):
    items.define_item(practice.actor(practice.practitioner), SHORTS)
    reception = signed_in(practice.reception)
    assert reception.get(URL).status_code == 403
    assert reception.post(URL, SHORTS | {"slug": "other"}).status_code == 403
    outsider = signed_in(practice.outsider)
    assert "shorts" not in outsider.get(URL).content.decode()
    assert outsider.get(f"{URL}shorts/").status_code == 404
    assert outsider.post(f"{URL}shorts/retire/").status_code == 404
    assert ClinicItem.objects.get().retired_at is None


def test_a_nurse_reads_the_items_but_may_not_change_them(practice):
    items.define_item(practice.actor(practice.practitioner), SHORTS)
    nurse = signed_in(practice.nurse)
    page = nurse.get(URL).content.decode()
    assert "How confident" in page and "Save item" not in page
    assert nurse.post(f"{URL}shorts/retire/").status_code == 403
