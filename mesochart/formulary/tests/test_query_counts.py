"""The formulary list and the lots page cost the same number of queries for 3 products (or
lots) as for 30: products come with their composition, excipients and limits prefetched,
lots with their stock on hand summed in the same query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mesochart.formulary import actions
from mesochart.formulary.models import Product
from mesochart.formulary.tests.conftest import ApiCaller, move, own_product, receive

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 16  # session, user, membership, clinic switcher ... and the page's own queries


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == 200
    return len(captured)


def add_products(membership, count: int, start: int) -> None:
    for index in range(start, start + count):
        product = own_product(membership, f"Serum {index:03d}")
        actions.set_clinic_limit(
            membership,
            product,
            {
                "kind": "volume_per_injection",
                "maximum": "0.1 mL",
                "severity": "warn",
                "source": "S",
            },
        )


def add_lots(membership, count: int, start: int) -> None:
    for index in range(start, start + count):
        lot = receive(membership, f"LOT-{index:03d}", "10")
        move(membership, lot, "administered", "1")


@pytest.mark.parametrize("page", ["/formulary/", "/formulary/?q=serum"])
def test_the_formulary_list_does_not_grow_with_the_products(
    practice, client_for, django_assert_max_num_queries, page
):
    membership = practice.actor(practice.practitioner)
    client = client_for(practice.practitioner)
    add_products(membership, 3, 0)
    client.get(page)  # the first view also stores the chosen clinic in the session
    few = queries(lambda: client.get(page))
    add_products(membership, 27, 3)
    assert Product.objects.filter(organisation__isnull=False).count() == 30
    assert queries(lambda: client.get(page)) == few
    with django_assert_max_num_queries(PAGE_BUDGET):
        client.get(page)


def test_the_lots_page_does_not_grow_with_the_lots(
    practice, client_for, django_assert_max_num_queries
):
    membership = practice.actor(practice.nurse)
    client = client_for(practice.nurse)
    add_lots(membership, 3, 0)
    client.get("/formulary/lots/")  # the first view also stores the chosen clinic
    few = queries(lambda: client.get("/formulary/lots/"))
    add_lots(membership, 27, 3)
    assert queries(lambda: client.get("/formulary/lots/")) == few
    with django_assert_max_num_queries(PAGE_BUDGET):
        client.get("/formulary/lots/")


@pytest.mark.parametrize("path", ["/formulary/products", "/formulary/lots", "/formulary/cocktails"])
def test_the_api_listings_do_not_grow_either(practice, path):
    membership = practice.actor(practice.practitioner)
    api = ApiCaller(practice.practitioner)
    add_products(membership, 2, 0)
    add_lots(membership, 2, 0)
    api.get(path)  # the token's first use of the minute also writes its last use
    few = queries(lambda: api.get(path))
    add_products(membership, 10, 2)
    add_lots(membership, 10, 2)
    assert queries(lambda: api.get(path)) == few


def test_core_products_costs_four_queries_for_any_number_of_products(practice):
    from mesochart.formulary.engine import core_products

    slugs = list(Product.objects.shipped().values_list("slug", flat=True))
    with CaptureQueriesContext(connection) as two:
        assert len(core_products(slugs[:2], practice.clinic)) == 2
    with CaptureQueriesContext(connection) as all_of_them:
        assert len(core_products(slugs, practice.clinic)) == len(slugs)
    assert len(two) == len(all_of_them) == 4
