"""The shipped formulary reaches the database idempotently, and a bad file changes nothing."""

import copy

import pytest
from click.testing import CliRunner
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mesochart.cli import main
from mesochart.core.reference import ReferenceDataError, read_shipped_formulary
from mesochart.formulary.models import Composition, Ingredient, Limit, Product, ProductExcipient
from mesochart.formulary.reference_sync import sync_after_migrate, sync_reference
from mesochart.formulary.tests.conftest import DCA, own_product

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Ingredient, Product, Composition, ProductExcipient, Limit)
    }


def snapshot() -> list:
    return [
        list(model.objects.order_by("pk").values())
        for model in (Ingredient, Product, Composition, ProductExcipient, Limit)
    ]


def test_migrate_loaded_the_shipped_formulary():
    data = read_shipped_formulary()
    assert Product.objects.shipped().count() == len(data["products"])
    assert Ingredient.objects.shipped().count() == len(data["ingredients"]) + len(
        data["excipients"]
    )
    dca = Product.objects.get(slug=DCA)
    assert dca.limits.shipped().count() == 8
    assert dca.brand_names == ["KYBELLA", "Belkyra"]


def test_running_it_twice_changes_nothing_and_only_reads():
    before, rows = counts(), snapshot()
    sync_reference()
    with CaptureQueriesContext(connection) as queries:
        report = sync_reference()
    assert not report.changed
    assert report.summary() == "already up to date"
    assert counts() == before
    assert snapshot() == rows
    writes = [
        q["sql"]
        for q in queries
        if not q["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE"))
    ]
    assert writes == []
    assert len(queries) <= 10


def test_a_bad_file_changes_nothing():
    rows = snapshot()
    data = copy.deepcopy(read_shipped_formulary())
    data["products"][0]["name"] = "Renamed"  # a valid change before the broken one
    del data["products"][1]["limits"][0]["source"]
    with pytest.raises(ReferenceDataError) as caught:
        sync_reference(data)
    assert str(caught.value) == "products[1].limits[0].source: is required"
    assert snapshot() == rows


def test_a_unit_error_in_a_strength_changes_nothing():
    rows = snapshot()
    data = copy.deepcopy(read_shipped_formulary())
    data["products"][0]["composition"][0]["strength"] = "10 zorks/mL"
    with pytest.raises(ReferenceDataError, match="unknown unit 'zorks'"):
        sync_reference(data)
    assert snapshot() == rows


def test_a_changed_file_updates_the_shipped_rows_and_replaces_their_limits():
    data = copy.deepcopy(read_shipped_formulary())
    dca = next(p for p in data["products"] if p["slug"] == DCA)
    next(lim for lim in dca["limits"] if lim["kind"] == "injections_per_session")["count"] = 45
    dca["name"] = "Deoxycholic acid 10 mg/mL (renamed)"
    report = sync_reference(data)
    assert report.updated["products"] == 1
    assert report.updated["limits"] == 1
    product = Product.objects.get(slug=DCA)
    assert product.name.endswith("(renamed)")
    assert product.limits.get(kind="injections_per_session").count == 45
    assert product.limits.count() == 8


def test_a_product_no_longer_in_the_file_is_deactivated_not_deleted():
    data = copy.deepcopy(read_shipped_formulary())
    data["products"] = [p for p in data["products"] if p["slug"] != "dmae"]
    report = sync_reference(data)
    assert report.deactivated == 1
    assert Product.objects.get(slug="dmae").active is False
    sync_reference()
    assert Product.objects.get(slug="dmae").active is True


def test_it_never_touches_an_organisations_or_a_clinics_rows(practice):
    membership = practice.actor(practice.practitioner)
    own = own_product(membership, "House serum")
    from mesochart.formulary import actions

    clinic_limit = actions.set_clinic_limit(
        membership,
        Product.objects.get(slug=DCA),
        {"kind": "injections_per_session", "count": 40, "severity": "block", "source": "Policy"},
    )
    data = copy.deepcopy(read_shipped_formulary())
    next(p for p in data["products"] if p["slug"] == DCA)["limits"].pop()
    sync_reference(data)
    assert Product.objects.get(pk=own.pk).composition.count() == 2
    assert Limit.objects.filter(pk=clinic_limit.pk).exists()


def test_post_migrate_waits_while_the_schema_is_behind():
    class NoFormulary:
        def get_model(self, app_label, model_name):
            raise LookupError(model_name)

    before = snapshot()
    sync_after_migrate(sender=None, apps=NoFormulary())
    assert snapshot() == before


def test_the_load_command_reports_what_it_did():
    result = CliRunner().invoke(main, ["formulary", "load"])
    assert result.exit_code == 0, result.output
    assert "Reference formulary: already up to date." in result.stdout
