"""What the formulary tests share: an API caller, plan files, and a lot or product to hand.

The shipped reference formulary is in every test database: ``migrate`` loads it
(post_migrate), as it does on an install.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from mesochart.formulary import actions
from mesochart.formulary.models import (
    Cocktail,
    CocktailVersion,
    Limit,
    Lot,
    Product,
    StockMovement,
)
from mesochart.testing.api import API as API
from mesochart.testing.api import HTMX as HTMX
from mesochart.testing.api import ApiCaller as ApiCaller

DCA = "deoxycholic-acid-10mg-ml"
DCA_LABEL = "[LABEL] Deoxycholic acid injection 10 mg/mL (KYBELLA / Belkyra), NDA 206333"
LIDOCAINE_LABEL = "[LABEL] Lidocaine (Xylocaine MPF)"


@pytest.fixture
def api_for(practice):
    return ApiCaller


def submental_session(
    count=50, each_ml=0.2, area="submental", cocktail=None, history=(), day="2026-11-03"
) -> dict:
    """A PLAN.json of deoxycholic acid under the chin, as the label describes it."""
    return {
        "date": day,
        "area": area,
        "technique": "papule",
        "patient": {"weight_kg": 62.5},
        "cocktail": cocktail or [{"product": DCA, "volume_ml": round(count * each_ml, 6)}],
        "points": {"count": count, "volume_ml_each": each_ml, "depth_mm": 4, "spacing_cm": 1.0},
        "history": [{"date": day_, "products": [DCA]} for day_ in history],
    }


def face_session(weight_kg, points=100, **volumes_ml) -> dict:
    """A PLAN.json of a face session with the given product volumes (slug with _ for -)."""
    total_ml = sum(volumes_ml.values())
    return {
        "date": "2026-11-03",
        "area": "face",
        "technique": "nappage",
        "patient": {"weight_kg": weight_kg},
        "cocktail": [
            {"product": slug.replace("_", "-"), "volume_ml": volume}
            for slug, volume in volumes_ml.items()
        ],
        "points": {
            "count": points,
            "volume_ml_each": total_ml / points,
            "depth_mm": 2,
            "spacing_cm": 1.0,
        },
    }


def receive(membership, number="LOT-1", quantity="10", product="lidocaine-1pct", **extra):
    """A lot received through the action, expiring in 2030 unless told otherwise."""
    data = {
        "product": product,
        "lot_number": number,
        "expires_on": date(2030, 1, 31),
        "quantity_ml": Decimal(quantity),
        **extra,
    }
    return actions.receive_lot(membership, data)


def move(membership, lot, kind, quantity, note=""):
    data = {"kind": kind, "quantity_ml": Decimal(str(quantity)), "note": note}
    return actions.post_movement(membership, lot, data)


def own_product(membership, name="Clinic Serum", slug="", **extra):
    """One of the organisation's own products: 5 mg/mL lidocaine and a little vitamin C."""
    return actions.save_product(
        membership,
        {"name": name, "slug": slug, "vehicle": "aqueous", "active": "on", **extra},
        [
            {"ingredient": "lidocaine", "strength": "5 mg/mL", "source": "Carton"},
            {"ingredient": "ascorbic-acid", "strength": "", "note": "Not on the carton"},
        ],
    )


def cocktail(membership, name="Face glow", **volumes_ml):
    components = [
        {"product": slug.replace("_", "-"), "volume_ml": Decimal(str(volume))}
        for slug, volume in volumes_ml.items()
    ]
    return actions.create_cocktail(membership, {"name": name}, components)


# The access tests' world: this clinic, a sister clinic and another organisation, each with
# its own product, clinic limit, lot and cocktail.

# Names that belong to another organisation and must never reach this clinic's staff.
SECRETS = ("Outsider Elixir", "outsider-elixir", "OTH-LOT-9", "Outsider Blend", "Outsider policy")
# A sister clinic's own things: same organisation, another clinic.
SISTER = ("SIS-LOT-5", "Sister Blend", "Sister policy")


@dataclass
class World:
    own_lot: Lot
    own_limit: Limit
    other_lot: Lot
    sister_lot: Lot


@pytest.fixture
def world(practice) -> World:
    admin = practice.actor(practice.admin)
    outsider = practice.actor(practice.outsider)
    sister = practice.actor(practice.sister_practitioner)
    own_product(admin, "House Serum")
    own_product(outsider, "Outsider Elixir")
    dca = Product.objects.get(slug=DCA)
    limit = {"kind": "injections_per_session", "count": 40, "severity": "block"}
    own_limit = actions.set_clinic_limit(admin, dca, {**limit, "source": "House policy"})
    actions.set_clinic_limit(outsider, dca, {**limit, "source": "Outsider policy"})
    actions.set_clinic_limit(sister, dca, {**limit, "source": "Sister policy"})
    world = World(
        own_lot=receive(admin, "OWN-LOT-1", "10"),
        own_limit=own_limit,
        other_lot=receive(outsider, "OTH-LOT-9", "10", product="outsider-elixir"),
        sister_lot=receive(sister, "SIS-LOT-5", "10"),
    )
    cocktail(admin, "House Blend", lidocaine_1pct=5, tranexamic_acid_4mg_ml=5)
    cocktail(outsider, "Outsider Blend", outsider_elixir=2)
    cocktail(sister, "Sister Blend", lidocaine_1pct=1)
    return world


def product_form(name="Brand New Serum", slug="") -> dict:
    return {
        "name": name,
        "slug": slug,
        "vehicle": "aqueous",
        "active": "on",
        "composition-TOTAL_FORMS": "1",
        "composition-INITIAL_FORMS": "0",
        "composition-0-ingredient": "lidocaine",
        "composition-0-strength": "2 mg/mL",
    }


def builder_form(name="Page Blend") -> dict:
    return {
        "name": name,
        "components-TOTAL_FORMS": "1",
        "components-INITIAL_FORMS": "0",
        "components-0-product": "lidocaine-1pct",
        "components-0-volume_ml": "3",
    }


LIMIT = {"kind": "volume_per_session", "maximum": "8 mL", "severity": "block", "source": "Rule 9"}
LOT = {
    "product": "lidocaine-1pct",
    "lot_number": "NEW-1",
    "expires_on": "2030-01-01",
    "quantity_ml": "5",
}
MOVE = {"kind": "administered", "quantity_ml": "1"}
COMPONENTS = [{"product": "lidocaine-1pct", "volume_ml": 2}]


def state() -> tuple:
    """What a refused write must leave as it was."""
    return (
        Product.objects.count(),
        Limit.objects.count(),
        Lot.objects.count(),
        StockMovement.objects.count(),
        Cocktail.objects.count(),
        CocktailVersion.objects.count(),
        list(Product.objects.order_by("pk").values_list("name", flat=True)),
    )
