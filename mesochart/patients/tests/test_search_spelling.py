"""Names and record numbers as people actually type them at the front desk."""

import pytest

from mesochart.lib.paging import CappedPaginator
from mesochart.patients.models import Patient
from mesochart.patients.search import search_filter

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


@pytest.mark.parametrize(
    ("given", "family", "typed"),
    [
        ("Søren", "Kierkegaard", "soren kier"),
        ("Małgorzata", "Wiśniewska", "malgorzata"),
        ("Jonas", "Weiß", "weiss"),
        ("Ægir", "Þórsson", "aegir thor"),
    ],
)
def test_letters_without_an_ascii_base_are_found_as_typed_on_an_english_keyboard(
    practice, given, family, typed
):
    patient = practice.make_patient(practice.clinic, given, family, "MC-000900")
    found = Patient.objects.in_clinic(practice.clinic).filter(search_filter(typed))
    assert list(found) == [patient]


def test_a_record_number_typed_without_its_dash_is_found(practice):
    found = Patient.objects.in_clinic(practice.clinic).filter(search_filter("mc000001"))
    assert list(found) == [practice.patient]


def test_the_list_counts_no_further_than_its_cap(practice):
    for n in range(4):
        practice.make_patient(practice.clinic, "Ana", f"Lopez{n}", f"MC-0001{n:02d}")
    patients = Patient.objects.in_clinic(practice.clinic).order_by("pk")
    paginator = CappedPaginator(patients, 2)
    paginator.cap = 3
    assert (paginator.count, paginator.capped, paginator.num_pages) == (3, True, 2)
    assert not CappedPaginator(patients, 2).capped
