"""Another organisation's products, lots and cocktails are not found (404) and no response
names them; a sister clinic's lots and cocktails are not found either (they belong to a
clinic), while the organisation's own products are shared by its clinics."""

import pytest

from mesochart.formulary.tests.conftest import (
    COMPONENTS,
    LIMIT,
    LOT,
    MOVE,
    SECRETS,
    SISTER,
    ApiCaller,
    builder_form,
    face_session,
    product_form,
    state,
)

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


def other_org_pages(world):
    lot = world.other_lot.pk
    return [
        ("product page", lambda c: c.get("/formulary/products/outsider-elixir/")),
        ("product edit", lambda c: c.get("/formulary/products/outsider-elixir/edit/")),
        (
            "product edit post",
            lambda c: c.post(
                "/formulary/products/outsider-elixir/edit/", product_form("X", "outsider-elixir")
            ),
        ),
        ("limit page", lambda c: c.get("/formulary/products/outsider-elixir/limits/")),
        ("lot page", lambda c: c.get(f"/formulary/lots/{lot}/")),
        ("movement", lambda c: c.post(f"/formulary/lots/{lot}/movements/", MOVE)),
        ("cocktail page", lambda c: c.get("/formulary/cocktails/outsider-blend/")),
        (
            "cocktail edit",
            lambda c: c.post("/formulary/cocktails/outsider-blend/edit/", builder_form()),
        ),
        ("version page", lambda c: c.get("/formulary/cocktails/outsider-blend/versions/1/")),
    ]


def other_org_endpoints(world):
    lot = world.other_lot.pk
    return [
        ("api product", lambda a: a.get("/formulary/products/outsider-elixir")),
        ("api limit", lambda a: a.post("/formulary/products/outsider-elixir/limits", LIMIT)),
        ("api lot", lambda a: a.get(f"/formulary/lots/{lot}")),
        ("api movement", lambda a: a.post(f"/formulary/lots/{lot}/movements", MOVE)),
        ("api cocktail", lambda a: a.get("/formulary/cocktails/outsider-blend")),
        ("api version", lambda a: a.get("/formulary/cocktails/outsider-blend/versions/1")),
        (
            "api new version",
            lambda a: a.post(
                "/formulary/cocktails/outsider-blend/versions", {"components": COMPONENTS}
            ),
        ),
        (
            "api receive their product",
            lambda a: a.post("/formulary/lots", {**LOT, "product": "outsider-elixir"}),
        ),
        (
            "api cocktail of their product",
            lambda a: a.post(
                "/formulary/cocktails",
                {"name": "Z", "components": [{"product": "outsider-elixir", "volume_ml": 1}]},
            ),
        ),
        (
            "api plan with their product",
            lambda a: a.post(
                "/plans/check",
                {
                    **face_session(60, lidocaine_1pct=5),
                    "cocktail": [{"product": "outsider-elixir", "volume_ml": 5}],
                },
            ),
        ),
    ]


def test_another_organisations_products_lots_and_cocktails_are_not_found(
    practice, world, client_for
):
    before = state()
    client, api = client_for(practice.admin), ApiCaller(practice.admin)
    for name, call in other_org_pages(world):
        response = call(client)
        assert response.status_code == 404, name
        assert not any(secret in response.content.decode() for secret in SECRETS), name
    for name, call in other_org_endpoints(world):
        response = call(api)
        body = response.content.decode()
        assert response.status_code in (404, 422), (name, response.status_code)
        # A slug the caller typed may be echoed as unknown; nothing else of theirs is shown.
        shown = [secret for secret in SECRETS if secret in body and secret != "outsider-elixir"]
        assert shown == [], name
    assert state() == before


def test_a_sister_clinics_lots_and_cocktails_are_not_found(practice, world, client_for):
    client = client_for(practice.admin)
    assert client.get(f"/formulary/lots/{world.sister_lot.pk}/").status_code == 404
    assert client.get("/formulary/cocktails/sister-blend/").status_code == 404
    assert (
        ApiCaller(practice.admin).get(f"/formulary/lots/{world.sister_lot.pk}").status_code == 404
    )


def test_the_organisations_own_products_are_shared_by_its_clinics(practice, world, client_for):
    response = client_for(practice.sister_practitioner).get("/formulary/products/house-serum/")
    assert response.status_code == 200
    assert "House Serum" in response.content.decode()


def test_listings_show_only_what_this_clinic_may_see(practice, world, client_for):
    client, api = client_for(practice.admin), ApiCaller(practice.admin)
    pages = [
        client.get(url) for url in ("/formulary/", "/formulary/lots/", "/formulary/cocktails/")
    ]
    pages += [
        api.get(path) for path in ("/formulary/products", "/formulary/lots", "/formulary/cocktails")
    ]
    for response in pages:
        body = response.content.decode()
        assert response.status_code == 200
        for secret in SECRETS + SISTER:
            assert secret not in body
    assert "House Serum" in pages[0].content.decode()
    assert "OWN-LOT-1" in pages[1].content.decode()
    assert "House Blend" in pages[2].content.decode()
    assert "House policy" in pages[3].content.decode()
