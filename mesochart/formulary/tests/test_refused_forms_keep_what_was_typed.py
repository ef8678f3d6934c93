"""A refused formulary form comes back with everything that was typed: one bad field, the
others kept (an own product with its composition, a clinic limit, a cocktail with its rows).
Lots and stock movements are left to the lots work of issue 12."""

import pytest

from mesochart.formulary.tests.conftest import DCA, builder_form, product_form
from mesochart.tests.kept import assert_kept

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


def test_a_refused_product_keeps_its_fields_and_composition(practice, client_for):
    typed = {
        **product_form(name="House Serum"),
        "manufacturer": "Clinic Lab",
        "container_volume_ml": "lots",  # the one bad field
        "note": "Made to order",
        "composition-0-source": "Certificate of analysis 2026-01",
    }
    response = client_for(practice.admin).post("/formulary/products/new/", typed)
    body = response.content.decode()
    assert "container_volume_ml" in body or "Container volume" in body
    assert_kept(
        body,
        typed,
        except_=("container_volume_ml", "composition-TOTAL_FORMS", "composition-INITIAL_FORMS"),
    )


def test_a_refused_clinic_limit_keeps_the_other_fields(practice, client_for):
    typed = {
        "kind": "volume_per_session",
        "maximum": "eight",  # the one bad field
        "severity": "block",
        "source": "Clinic policy 2026-02",
        "note": "Tighter than the label",
    }
    response = client_for(practice.admin).post(f"/formulary/products/{DCA}/limits/", typed)
    assert_kept(response.content.decode(), typed, except_=("maximum",))


def test_a_refused_cocktail_keeps_its_name_note_and_rows(practice, client_for):
    typed = {
        **builder_form(name="Jaw blend"),
        "note": "For the jaw line",
        "components-0-volume_ml": "a little",  # the one bad field
    }
    response = client_for(practice.practitioner).post("/formulary/cocktails/new/", typed)
    assert_kept(
        response.content.decode(),
        typed,
        except_=("components-0-volume_ml", "components-TOTAL_FORMS", "components-INITIAL_FORMS"),
    )
