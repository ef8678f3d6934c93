"""Cocktails: an edit is a new version and the old one stays as it was; the builder shows the
concentration of each ingredient in the mix, computed by the core."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from mesochart.audit.models import AuditEvent
from mesochart.formulary import actions
from mesochart.formulary.models import CocktailComponent, CocktailVersion
from mesochart.formulary.tests.conftest import DCA, HTMX, cocktail

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


@pytest.fixture
def practitioner(practice):
    return practice.actor(practice.practitioner)


def contents(version) -> list[tuple[str, Decimal]]:
    return [
        (c.product.slug, c.volume_ml)
        for c in CocktailComponent.objects.filter(version=version).select_related("product")
    ]


def test_editing_creates_version_2_and_version_1_is_unchanged(practitioner):
    first = cocktail(practitioner, lidocaine_1pct=5, tranexamic_acid_4mg_ml=5)
    before = contents(first)
    second = actions.new_cocktail_version(
        practitioner,
        first.cocktail,
        {"note": "more tranexamic acid"},
        [
            {"product": "lidocaine-1pct", "volume_ml": "2"},
            {"product": "tranexamic-acid-4mg-ml", "volume_ml": "8"},
        ],
    )
    assert (first.number, second.number) == (1, 2)
    assert contents(CocktailVersion.objects.get(pk=first.pk)) == before
    assert contents(second) == [
        ("lidocaine-1pct", Decimal("2.000")),
        ("tranexamic-acid-4mg-ml", Decimal("8.000")),
    ]
    assert second.note == "more tranexamic acid"


def test_each_version_is_audited(practitioner):
    version = cocktail(practitioner, lidocaine_1pct=5)
    event = AuditEvent.objects.order_by("-pk").first()
    assert (event.category, event.object_type, event.object_id) == (
        "formulary",
        "cocktailversion",
        str(version.pk),
    )
    assert event.detail["components"] == [["lidocaine-1pct", "5.000"]]


def test_5_ml_lidocaine_1_percent_and_5_ml_of_another_make_5_mg_per_ml(api_for, practice):
    api = api_for(practice.practitioner)
    response = api.post(
        "/formulary/cocktails",
        {
            "name": "Melasma mix",
            "components": [
                {"product": "lidocaine-1pct", "volume_ml": 5},
                {"product": "tranexamic-acid-4mg-ml", "volume_ml": 5},
            ],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == 1
    assert body["total_volume_ml"] == 10
    assert {c["ingredient"]: c["concentration"] for c in body["concentrations"]} == {
        "lidocaine": {"value": 5.0, "unit": "mg/mL"},
        "tranexamic-acid": {"value": 2.0, "unit": "mg/mL"},
    }
    again = api.get("/formulary/cocktails/melasma-mix/versions/1").json()
    assert again["concentrations"] == body["concentrations"]


def test_the_order_of_products_does_not_change_the_result(api_for, practice):
    api = api_for(practice.practitioner)
    rows = [
        {"product": "pcdc-lipolysis", "volume_ml": 4},
        {"product": "lidocaine-1pct", "volume_ml": 1},
        {"product": "vitamin-c", "volume_ml": 0.5},
    ]
    one = api.post("/formulary/cocktails", {"name": "Forward", "components": rows}).json()
    two = api.post("/formulary/cocktails", {"name": "Reverse", "components": rows[::-1]}).json()
    for key in ("concentrations", "findings", "limits", "total_volume_ml"):
        assert one[key] == two[key], key


def test_a_strength_the_formulary_does_not_know_is_shown_as_unknown(api_for, practice):
    body = (
        api_for(practice.practitioner)
        .post(
            "/formulary/cocktails",
            {"name": "C", "components": [{"product": "vitamin-c", "volume_ml": 2}]},
        )
        .json()
    )
    assert body["concentrations"] == [
        {"ingredient": "ascorbic-acid", "name": "Vitamin C (ascorbic acid)", "concentration": None}
    ]


def test_deoxycholic_acid_in_a_mix_shows_the_labels_admixture_rule(api_for, practice):
    body = (
        api_for(practice.practitioner)
        .post(
            "/formulary/cocktails",
            {
                "name": "Not allowed",
                "components": [
                    {"product": DCA, "volume_ml": 9},
                    {"product": "lidocaine-1pct", "volume_ml": 1},
                ],
            },
        )
        .json()
    )
    (finding,) = body["findings"]
    assert (finding["rule"], finding["severity"], finding["origin"]) == (
        "admixture_forbidden",
        "block",
        "label",
    )
    assert {limit["product"] for limit in body["limits"]} == {DCA, "lidocaine-1pct"}


@pytest.mark.parametrize(
    ("components", "field", "rule"),
    [
        (
            [{"product": "lidocaine-1pct", "volume_ml": 0}],
            "components[0].volume_ml",
            "must be greater than 0",
        ),
        (
            [
                {"product": "lidocaine-1pct", "volume_ml": 1},
                {"product": "lidocaine-1pct", "volume_ml": 2},
            ],
            "components[1].product",
            "'lidocaine-1pct' is listed twice",
        ),
        (
            [{"product": "nope", "volume_ml": 1}],
            "components[0].product",
            "must be one of the listed choices",
        ),
        ([], "components", "must list at least one product"),
    ],
)
def test_a_bad_component_is_refused_naming_the_row(practitioner, components, field, rule):
    with pytest.raises(ValidationError) as caught:
        actions.create_cocktail(practitioner, {"name": "Mix"}, components)
    assert caught.value.message_dict[field] == [rule]
    assert not CocktailVersion.objects.exists()


def test_two_cocktails_of_one_clinic_may_not_share_a_name(practitioner):
    cocktail(practitioner, "Glow", lidocaine_1pct=1)
    with pytest.raises(ValidationError) as caught:
        cocktail(practitioner, "glow", lidocaine_1pct=1)
    assert caught.value.message_dict == {
        "name": ["a cocktail of this name already exists at this clinic"]
    }


def test_a_version_cannot_be_changed_through_the_api(api_for, practice, practitioner):
    cocktail(practitioner, "Glow", lidocaine_1pct=1)
    response = api_for(practice.practitioner).client.patch(
        "/api/v1/formulary/cocktails/glow/versions/1",
        {"components": []},
        content_type="application/json",
    )
    assert response.status_code == 405


def test_the_builder_preview_fragment_shows_the_concentrations(client_for, practice):
    response = client_for(practice.practitioner).post(
        "/formulary/cocktails/preview/",
        {
            "components-TOTAL_FORMS": "3",
            "components-INITIAL_FORMS": "0",
            "components-0-product": "lidocaine-1pct",
            "components-0-volume_ml": "5",
            "components-1-product": "tranexamic-acid-4mg-ml",
            "components-1-volume_ml": "5",
            "components-2-product": "",
            "components-2-volume_ml": "",
        },
        headers=HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "5 mg/mL" in html and "2 mg/mL" in html
    assert "Total <strong>10 mL</strong>" in html


def test_the_builder_preview_names_a_bad_row(client_for, practice):
    response = client_for(practice.practitioner).post(
        "/formulary/cocktails/preview/",
        {
            "components-TOTAL_FORMS": "1",
            "components-INITIAL_FORMS": "0",
            "components-0-product": "lidocaine-1pct",
            "components-0-volume_ml": "-1",
        },
        headers=HTMX,
    )
    assert "Row 1: Volume (mL): must be greater than 0" in response.content.decode()


def builder_post(**rows) -> dict:
    data = {"name": "Page mix", "note": "", "components-TOTAL_FORMS": str(len(rows) + 1)}
    data["components-INITIAL_FORMS"] = "0"
    for index, (slug, volume) in enumerate(rows.items()):
        data[f"components-{index}-product"] = slug.replace("_", "-")
        data[f"components-{index}-volume_ml"] = str(volume)
    return data


def test_adding_a_row_with_htmx_returns_the_rows_with_one_more(client_for, practice):
    data = {**builder_post(lidocaine_1pct=5), "add_row": "1"}
    response = client_for(practice.practitioner).post(
        "/formulary/cocktails/new/", data, headers=HTMX
    )
    html = response.content.decode()
    assert 'id="fx-rows"' in html and "<html" not in html
    assert 'name="components-TOTAL_FORMS" value="3"' in html


def test_adding_a_row_without_htmx_redraws_the_whole_builder(client_for, practice):
    data = {**builder_post(lidocaine_1pct=5), "add_row": "1"}
    response = client_for(practice.practitioner).post("/formulary/cocktails/new/", data)
    html = response.content.decode()
    assert "<html" in html and 'name="components-TOTAL_FORMS" value="3"' in html
    assert "10 mg/mL" in html  # the preview is there without JavaScript too
    assert not CocktailVersion.objects.exists()


def test_saving_the_builder_creates_version_1_then_version_2(client_for, practice):
    client = client_for(practice.practitioner)
    response = client.post("/formulary/cocktails/new/", builder_post(lidocaine_1pct=5))
    assert response.status_code == 302
    assert response["Location"] == "/formulary/cocktails/page-mix/"
    response = client.post(
        "/formulary/cocktails/page-mix/edit/", builder_post(lidocaine_1pct=4, vitamin_c=1)
    )
    assert response.status_code == 302
    versions = CocktailVersion.objects.filter(cocktail__slug="page-mix").order_by("number")
    assert [contents(v) for v in versions] == [
        [("lidocaine-1pct", Decimal("5.000"))],
        [("lidocaine-1pct", Decimal("4.000")), ("vitamin-c", Decimal("1.000"))],
    ]
    page = client.get("/formulary/cocktails/page-mix/versions/1/").content.decode()
    assert "10 mg/mL" in page and "Version 2" in page


def test_a_refused_save_shows_the_error_on_its_row(client_for, practice):
    data = builder_post(lidocaine_1pct=5, vitamin_c=0)
    response = client_for(practice.practitioner).post("/formulary/cocktails/new/", data)
    assert response.status_code == 200
    assert "volume_ml: must be greater than 0" in response.content.decode()
    assert not CocktailVersion.objects.exists()
