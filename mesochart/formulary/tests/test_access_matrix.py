"""Who may see and change what in the formulary, on every page and endpoint.

Every role of the clinic is tried on every formulary page and endpoint. What each may do
comes from ``roles.PERMISSIONS``: reception reads only, a nurse manages stock but does not
edit the formulary or cocktails. A refused write changes nothing, and no response shows
another organisation's or a sister clinic's names (the ``world`` fixture, conftest.py).
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from mesochart.accounts.roles import Role, allows
from mesochart.formulary.tests.conftest import (
    COMPONENTS,
    DCA,
    HTMX,
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
HOLD = {"reason": "Supplier field safety notice"}


@dataclass(frozen=True)
class Endpoint:
    name: str
    permission: str
    call: Callable  # (client or ApiCaller, World) -> response
    success: int
    api: bool = False


PAGES = [
    Endpoint("browse", "formulary.view", lambda c, w: c.get("/formulary/"), 200),
    Endpoint(
        "search fragment",
        "formulary.view",
        lambda c, w: c.get("/formulary/", {"q": "serum"}, headers=HTMX),
        200,
    ),
    Endpoint(
        "shipped product", "formulary.view", lambda c, w: c.get(f"/formulary/products/{DCA}/"), 200
    ),
    Endpoint(
        "own product", "formulary.view", lambda c, w: c.get("/formulary/products/house-serum/"), 200
    ),
    Endpoint(
        "add product page", "formulary.edit", lambda c, w: c.get("/formulary/products/new/"), 200
    ),
    Endpoint(
        "add product",
        "formulary.edit",
        lambda c, w: c.post("/formulary/products/new/", product_form()),
        302,
    ),
    Endpoint(
        "edit product page",
        "formulary.edit",
        lambda c, w: c.get("/formulary/products/house-serum/edit/"),
        200,
    ),
    Endpoint(
        "edit product",
        "formulary.edit",
        lambda c, w: c.post(
            "/formulary/products/house-serum/edit/", product_form("House Serum", "house-serum")
        ),
        302,
    ),
    Endpoint(
        "clinic limit page",
        "formulary.edit",
        lambda c, w: c.get(f"/formulary/products/{DCA}/limits/"),
        200,
    ),
    Endpoint(
        "set clinic limit",
        "formulary.edit",
        lambda c, w: c.post(f"/formulary/products/{DCA}/limits/", LIMIT),
        302,
    ),
    Endpoint(
        "remove clinic limit",
        "formulary.edit",
        lambda c, w: c.post(f"/formulary/products/{DCA}/limits/{w.own_limit.pk}/remove/"),
        302,
    ),
    Endpoint("lots", "formulary.view", lambda c, w: c.get("/formulary/lots/"), 200),
    Endpoint(
        "lots fragment",
        "formulary.view",
        lambda c, w: c.get("/formulary/lots/", {"status": "ok"}, headers=HTMX),
        200,
    ),
    Endpoint(
        "receive lot", "stock.manage", lambda c, w: c.post("/formulary/lots/receive/", LOT), 302
    ),
    Endpoint("lot", "formulary.view", lambda c, w: c.get(f"/formulary/lots/{w.own_lot.pk}/"), 200),
    Endpoint(
        "record movement",
        "stock.manage",
        lambda c, w: c.post(f"/formulary/lots/{w.own_lot.pk}/movements/", MOVE),
        302,
    ),
    Endpoint(
        "quarantine lot",
        "lot.quarantine",
        lambda c, w: c.post(f"/formulary/lots/{w.own_lot.pk}/hold/quarantine/", HOLD),
        302,
    ),
    Endpoint(
        "recall lot",
        "lot.recall",
        lambda c, w: c.post(f"/formulary/lots/{w.own_lot.pk}/hold/recall/", HOLD),
        302,
    ),
    Endpoint("cocktails", "formulary.view", lambda c, w: c.get("/formulary/cocktails/"), 200),
    Endpoint("builder", "cocktail.edit", lambda c, w: c.get("/formulary/cocktails/new/"), 200),
    Endpoint(
        "save new cocktail",
        "cocktail.edit",
        lambda c, w: c.post("/formulary/cocktails/new/", builder_form()),
        302,
    ),
    Endpoint(
        "builder preview",
        "cocktail.edit",
        lambda c, w: c.post("/formulary/cocktails/preview/", builder_form(), headers=HTMX),
        200,
    ),
    Endpoint(
        "cocktail", "formulary.view", lambda c, w: c.get("/formulary/cocktails/house-blend/"), 200
    ),
    Endpoint(
        "edit cocktail page",
        "cocktail.edit",
        lambda c, w: c.get("/formulary/cocktails/house-blend/edit/"),
        200,
    ),
    Endpoint(
        "save new version",
        "cocktail.edit",
        lambda c, w: c.post("/formulary/cocktails/house-blend/edit/", builder_form("House Blend")),
        302,
    ),
    Endpoint(
        "version",
        "formulary.view",
        lambda c, w: c.get("/formulary/cocktails/house-blend/versions/1/"),
        200,
    ),
]

ENDPOINTS = [
    Endpoint(
        "products", "formulary.view", lambda a, w: a.get("/formulary/products"), 200, api=True
    ),
    Endpoint(
        "product",
        "formulary.view",
        lambda a, w: a.get("/formulary/products/house-serum"),
        200,
        api=True,
    ),
    Endpoint(
        "clinic limit",
        "formulary.edit",
        lambda a, w: a.post(f"/formulary/products/{DCA}/limits", {**LIMIT, "maximum": "8 mL"}),
        201,
        api=True,
    ),
    Endpoint("lots", "formulary.view", lambda a, w: a.get("/formulary/lots"), 200, api=True),
    Endpoint(
        "receive lot", "stock.manage", lambda a, w: a.post("/formulary/lots", LOT), 201, api=True
    ),
    Endpoint(
        "lot",
        "formulary.view",
        lambda a, w: a.get(f"/formulary/lots/{w.own_lot.pk}"),
        200,
        api=True,
    ),
    Endpoint(
        "movement",
        "stock.manage",
        lambda a, w: a.post(f"/formulary/lots/{w.own_lot.pk}/movements", MOVE),
        201,
        api=True,
    ),
    Endpoint(
        "cocktails", "formulary.view", lambda a, w: a.get("/formulary/cocktails"), 200, api=True
    ),
    Endpoint(
        "create cocktail",
        "cocktail.edit",
        lambda a, w: a.post(
            "/formulary/cocktails", {"name": "Api Blend", "components": COMPONENTS}
        ),
        201,
        api=True,
    ),
    Endpoint(
        "cocktail",
        "formulary.view",
        lambda a, w: a.get("/formulary/cocktails/house-blend"),
        200,
        api=True,
    ),
    Endpoint(
        "new version",
        "cocktail.edit",
        lambda a, w: a.post(
            "/formulary/cocktails/house-blend/versions", {"components": COMPONENTS}
        ),
        201,
        api=True,
    ),
    Endpoint(
        "version",
        "formulary.view",
        lambda a, w: a.get("/formulary/cocktails/house-blend/versions/1"),
        200,
        api=True,
    ),
    Endpoint(
        "check plan",
        "formulary.view",
        lambda a, w: a.post("/plans/check", face_session(60, lidocaine_1pct=5)),
        200,
        api=True,
    ),
]

ROLES = list(Role)


def caller(endpoint: Endpoint, user, client_for):
    return ApiCaller(user) if endpoint.api else client_for(user)


@pytest.mark.parametrize("role", ROLES, ids=str)
@pytest.mark.parametrize(
    "endpoint", PAGES + ENDPOINTS, ids=lambda e: ("api " if e.api else "") + e.name
)
def test_each_role_gets_what_the_permission_table_says(practice, world, client_for, endpoint, role):
    before = state()
    response = endpoint.call(caller(endpoint, practice.users[role], client_for), world)
    if allows(role, endpoint.permission):
        assert response.status_code == endpoint.success, response.content[:500]
    else:
        assert response.status_code == 403
        assert state() == before
    body = response.content.decode()
    for secret in SECRETS + SISTER:
        assert secret not in body, (endpoint.name, secret)


def test_reception_reads_only_and_a_nurse_manages_stock_only():
    assert [
        allows(Role.RECEPTION, p)
        for p in ("formulary.view", "formulary.edit", "stock.manage", "cocktail.edit")
    ] == [True, False, False, False]
    assert [
        allows(Role.NURSE, p)
        for p in ("formulary.view", "formulary.edit", "stock.manage", "cocktail.edit")
    ] == [True, False, True, False]


def test_anonymous_callers_are_refused_everywhere(practice, world, client):
    for endpoint in ENDPOINTS:
        assert endpoint.call(ApiCaller.anonymous(), world).status_code == 401, endpoint.name
    for endpoint in PAGES:
        assert endpoint.call(client, world).status_code == 302, endpoint.name  # to sign-in
