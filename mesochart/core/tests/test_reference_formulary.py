"""The shipped reference formulary: what it contains, that every number is sourced, and that the
loader refuses data it cannot trust."""

import copy
import re

import pytest

from mesochart.core.dose import Vehicle
from mesochart.core.reference import (
    ReferenceDataError,
    load_products,
    load_shipped_products,
    read_shipped_formulary,
)
from mesochart.core.units import Q_

DATA = read_shipped_formulary()
PRODUCTS = load_shipped_products()
REQUIRED = [
    "deoxycholic-acid-10mg-ml",
    "lidocaine-1pct",
    "lidocaine-2pct",
    "lidocaine-1pct-epinephrine",
    "pcdc-lipolysis",
    "tranexamic-acid-4mg-ml",
    "dutasteride-0-05pct",
    "hyaluronic-acid-non-crosslinked",
]


def strengths(slug):
    return {s.ingredient.slug: s.per_ml for s in PRODUCTS[slug].strengths}


def test_the_required_products_are_shipped():
    assert set(REQUIRED) <= PRODUCTS.keys()
    assert DATA["version"]


@pytest.mark.parametrize(
    ("slug", "ingredient", "mg_per_ml"),
    [
        ("deoxycholic-acid-10mg-ml", "deoxycholic-acid", 10),
        ("lidocaine-1pct", "lidocaine", 10),
        ("lidocaine-2pct", "lidocaine", 20),
        ("lidocaine-1pct-epinephrine", "lidocaine", 10),
        ("pcdc-lipolysis", "phosphatidylcholine", 50),
        ("pcdc-lipolysis", "sodium-deoxycholate", 25),
        ("tranexamic-acid-4mg-ml", "tranexamic-acid", 4),
        ("dutasteride-0-05pct", "dutasteride", 0.5),
    ],
)
def test_shipped_strengths(slug, ingredient, mg_per_ml):
    assert strengths(slug)[ingredient].m_as("mg/mL") == pytest.approx(mg_per_ml)


def test_no_concentration_is_invented_where_the_reference_gives_none():
    assert strengths("hyaluronic-acid-non-crosslinked") == {"hyaluronic-acid": None}
    assert strengths("lidocaine-1pct-epinephrine")["epinephrine"] is None
    for slug in ("artichoke-extract", "ginkgo-biloba-extract", "centella-asiatica-extract"):
        assert set(strengths(slug).values()) == {None}
        assert PRODUCTS[slug].limits == ()


def test_every_strength_and_limit_cites_a_listed_tagged_source():
    sources = set(DATA["sources"])
    assert all(re.match(r"^\[(LABEL|PEER|SEC)[\],]", source) for source in sources)
    for product in DATA["products"]:
        for part in product["composition"]:
            assert (part["strength"] is None) == (part.get("source") is None), part
            assert part["strength"] is not None or part["note"], part
        for limit in product["limits"]:
            assert limit["source"] in sources


def test_label_limits_block_and_paper_limits_warn_in_the_shipped_file():
    for product in PRODUCTS.values():
        for limit in product.limits:
            assert limit.severity == {"label": "block", "paper": "warn"}[limit.origin]


def test_lidocaine_limits_by_weight_with_and_without_epinephrine():
    (plain,) = PRODUCTS["lidocaine-1pct"].limits
    (with_epinephrine,) = PRODUCTS["lidocaine-1pct-epinephrine"].limits
    assert (plain.per_kg, plain.maximum) == (Q_(4.5, "mg/kg"), Q_(300, "mg"))
    assert (with_epinephrine.per_kg, with_epinephrine.maximum) == (Q_(7, "mg/kg"), Q_(500, "mg"))


def test_allergen_classes_serve_screening():
    lidocaine = PRODUCTS["lidocaine-1pct"].strengths[0].ingredient
    assert "amide local anaesthetic" in lidocaine.allergen_classes
    pcdc = PRODUCTS["pcdc-lipolysis"]
    assert "soy" in pcdc.strengths[0].ingredient.allergen_classes
    assert [e.slug for e in pcdc.excipients] == ["benzyl-alcohol"]


def test_every_shipped_product_is_aqueous():
    assert {product.vehicle for product in PRODUCTS.values()} == {Vehicle.AQUEOUS}


def broken(change):
    data = copy.deepcopy(DATA)
    change(data)
    return data


def dca(data):
    return next(p for p in data["products"] if p["slug"] == "deoxycholic-acid-10mg-ml")


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (
            lambda d: dca(d)["limits"][0].update(source="[MKT] a training page"),
            "products[0].limits[0].source: '[MKT] a training page' is not in the file's sources",
        ),
        (
            lambda d: dca(d)["limits"][1].update(maximun="0.3 mL"),
            "products[0].limits[1].maximun: unknown key",
        ),
        (
            lambda d: dca(d)["limits"][1].update(maximum="0.2 mg"),
            "products[0].limits[1]: volume_per_injection: 0.2 milligram is not in a unit",
        ),
        (
            lambda d: dca(d)["limits"][1].update(kind="volume_per_puncture"),
            "products[0].limits[1].kind: must be one of",
        ),
        (
            lambda d: dca(d)["composition"][0].update(strength="10 mg"),
            "products[0].composition[0].strength: '10 mg' is not an amount per volume",
        ),
        (
            lambda d: dca(d)["composition"][0].update(strength=None, source=None),
            "products[0].composition[0].note: an unknown strength needs a note",
        ),
        (
            lambda d: dca(d)["composition"][0].update(ingredient="deoxycholate"),
            "products[0].composition[0].ingredient: unknown ingredient 'deoxycholate'",
        ),
        (
            lambda d: d["products"][1]["limits"][0].update(ingredient="lignocaine"),
            "products[1].limits[0].ingredient: unknown ingredient 'lignocaine'",
        ),
        (lambda d: dca(d).update(vehicle="gel"), "products[0].vehicle: must be one of"),
        (lambda d: d.update(format="other"), "format: must be 'mesochart-formulary'"),
        (lambda d: d["products"].append(dca(d)), "products[25].slug: is listed twice"),
    ],
)
def test_the_loader_refuses_untrustworthy_data(change, error):
    with pytest.raises(ReferenceDataError) as refused:
        load_products(broken(change))
    assert str(refused.value).startswith(error)
