"""An organisation adds its own products beside the shipped reference: strengths are read with
their units, and the engine uses them at the organisation's clinics only."""

import pytest
from django.core.exceptions import ValidationError

from mesochart.formulary import actions
from mesochart.formulary.engine import check_plan, core_products
from mesochart.formulary.models import Product
from mesochart.formulary.tests.conftest import face_session, own_product

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


@pytest.fixture
def practitioner(practice):
    return practice.actor(practice.practitioner)


def save(membership, composition, **data):
    return actions.save_product(
        membership, {"name": "House Serum", "vehicle": "aqueous", **data}, composition
    )


def test_the_organisations_product_is_checked_like_a_shipped_one(practice, practitioner):
    own_product(practitioner, "House Serum")  # 5 mg/mL lidocaine
    # 60 mL × 5 mg/mL = 300 mg of lidocaine, with 1% lidocaine adding 10 mg: 310 mg at 60 kg.
    plan = face_session(60, house_serum=60, lidocaine_1pct=1)
    result = check_plan(plan, practice.clinic)
    assert result.totals["lidocaine"].value == pytest.approx(310)
    assert [f.rule for f in result.findings] == ["dose_per_kg"]  # the 1% label counts it all


def test_another_organisation_cannot_use_it(practice, practitioner):
    own_product(practitioner, "House Serum")
    assert core_products(["house-serum"], practice.other_clinic) == {}
    assert core_products(["house-serum"], None) == {}


def test_a_strength_is_read_with_its_unit(practitioner):
    with pytest.raises(ValidationError) as caught:
        save(practitioner, [{"ingredient": "lidocaine", "strength": "5 mg"}])
    assert caught.value.message_dict == {
        "composition[0].strength": [
            "'5 mg' is not an amount per volume (e.g. '10 mg/mL' or '1500 IU/mL')"
        ]
    }
    with pytest.raises(ValidationError) as caught:
        save(practitioner, [{"ingredient": "lidocaine", "strength": "5 zorks/mL"}])
    assert caught.value.message_dict["composition[0].strength"] == [
        "unknown unit 'zorks' in '5 zorks/mL'"
    ]


def test_percent_and_international_units_are_understood(practitioner):
    product = save(
        practitioner,
        [
            {"ingredient": "lidocaine", "strength": "0.5 % w/v"},
            {"ingredient": "hyaluronidase", "strength": "1500 IU/mL"},
        ],
    )
    (core,) = core_products([product.slug], practitioner.clinic).values()
    assert [(s.ingredient.slug, s.amount_per_ml, str(s.amount_unit)) for s in core.strengths] == [
        ("lidocaine", 5.0, "milligram"),
        ("hyaluronidase", 1500.0, "international_unit"),
    ]


def test_an_unknown_strength_needs_a_note(practitioner):
    with pytest.raises(ValidationError) as caught:
        save(practitioner, [{"ingredient": "biotin", "strength": ""}])
    assert caught.value.message_dict == {
        "composition[0].note": ["is required when the strength is not known: say why"]
    }


@pytest.mark.parametrize(
    ("data", "composition", "field", "rule"),
    [
        (
            {"slug": "lidocaine-1pct"},
            None,
            "slug",
            "'lidocaine-1pct' is already used by another product",
        ),
        ({"slug": "Not A Slug"}, None, "slug", "must be lower-case letters and digits"),
        ({"name": "   "}, None, "name", "is required"),
        ({"container_volume_ml": "0"}, None, "container_volume_ml", "must be"),
        ({}, [], "composition", "must list at least one ingredient"),
        (
            {},
            [{"ingredient": "biotin", "note": "n/a"}, {"ingredient": "biotin", "note": "again"}],
            "composition[1].ingredient",
            "'Biotin' is listed twice",
        ),
    ],
)
def test_a_malformed_product_is_refused_naming_the_field(
    practitioner, data, composition, field, rule
):
    rows = composition if composition is not None else [{"ingredient": "biotin", "note": "n/a"}]
    with pytest.raises(ValidationError) as caught:
        save(practitioner, rows, **data)
    assert caught.value.message_dict[field][0].startswith(rule), caught.value.message_dict
    assert not Product.objects.filter(organisation__isnull=False).exists()


def test_the_page_adds_a_product_and_shows_row_errors(practice, client_for):
    client = client_for(practice.practitioner)
    form = {
        "name": "Page Serum",
        "slug": "",
        "vehicle": "aqueous",
        "active": "on",
        "composition-TOTAL_FORMS": "3",
        "composition-INITIAL_FORMS": "0",
        "composition-0-ingredient": "lidocaine",
        "composition-0-strength": "5 mg",
        "composition-2-ingredient": "biotin",
        "composition-2-note": "not stated",
    }
    response = client.post("/formulary/products/new/", form)
    assert response.status_code == 200
    assert "Strength: &#x27;5 mg&#x27; is not an amount per volume" in response.content.decode()
    response = client.post(
        "/formulary/products/new/", {**form, "composition-0-strength": "5 mg/mL"}
    )
    assert response.status_code == 302
    product = Product.objects.get(slug="page-serum")
    assert [(c.ingredient.slug, c.strength) for c in product.composition.all()] == [
        ("lidocaine", "5 mg/mL"),
        ("biotin", None),
    ]


def test_a_shipped_product_cannot_be_edited(practice, client_for):
    response = client_for(practice.practitioner).get("/formulary/products/lidocaine-1pct/edit/")
    assert response.status_code == 404


def test_its_slug_is_kept_once_lots_use_it(practitioner):
    from mesochart.formulary.tests.conftest import receive

    product = own_product(practitioner, "House Serum")
    receive(practitioner, "L-1", product="house-serum")
    with pytest.raises(ValidationError) as caught:
        actions.save_product(
            practitioner,
            {"name": "House Serum", "slug": "renamed", "vehicle": "aqueous"},
            [{"ingredient": "biotin", "note": "n/a"}],
            product,
        )
    assert caught.value.message_dict == {
        "slug": ["cannot change: lots of this product are recorded"]
    }
