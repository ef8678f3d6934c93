"""Text that staff type (product, ingredient-note and cocktail names, lot numbers) is shown
escaped on every page, never run as markup."""

import pytest

from mesochart.formulary.models import Lot
from mesochart.formulary.tests.conftest import cocktail, own_product, receive

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('fx')</script>"
IMAGE = '<img src=x onerror="alert(1)">'


def test_hostile_product_and_cocktail_names_are_escaped(practice, client_for):
    membership = practice.actor(practice.practitioner)
    product = own_product(membership, f"Serum {SCRIPT}", slug="hostile-serum", note=IMAGE)
    cocktail(membership, f"Blend {IMAGE}", hostile_serum=2, lidocaine_1pct=1)
    lot = receive(membership, "LOT-X", "5", product="hostile-serum", note=SCRIPT)
    Lot.objects.filter(pk=lot.pk).update(gtin="")
    client = client_for(practice.practitioner)
    pages = [
        "/formulary/",
        f"/formulary/products/{product.slug}/",
        f"/formulary/products/{product.slug}/edit/",
        "/formulary/lots/",
        f"/formulary/lots/{lot.pk}/",
        "/formulary/cocktails/",
        "/formulary/cocktails/blend-img-srcx-onerroralert1/",
        "/formulary/cocktails/blend-img-srcx-onerroralert1/edit/",
    ]
    for url in pages:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert SCRIPT not in html and IMAGE not in html, url
        assert "&lt;script&gt;" in html or "&lt;img" in html, url


def test_a_hostile_search_is_echoed_escaped(practice, client_for):
    response = client_for(practice.reception).get("/formulary/", {"q": SCRIPT})
    html = response.content.decode()
    assert SCRIPT not in html
    assert "&lt;script&gt;" in html
