"""The charts' view and region names are built at run time in `planning.areas` (English, no
Django) and translated where shown (`planning.area_names`, issue 18): a French practitioner's
chart page, print page and consent area choices read French names; the API, FHIR and the
signed content keep the English ones."""

import pytest
from django.utils import translation

from mesochart.accounts.models import User
from mesochart.planning import actions, area_names
from mesochart.testing.plans import new_plan, region

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

POINTS = [(1.0, 1.0), (2.0, 1.0)]
SAME_IN_FRENCH = {"Abdomen"}


@pytest.fixture
def plan(practice, dca_version):
    return new_plan(practice, "submental-deoxycholic-acid", dca_version)


def _french_practitioner(practice):
    User.objects.filter(pk=practice.practitioner.pk).update(language="fr")
    return practice.practitioner


def test_a_french_chart_page_shows_french_region_names(practice, plan, client_for):
    client = client_for(_french_practitioner(practice))
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Région sous-mentonnière" in page and "Front" in page
    assert "Tempe, côté gauche" in page  # a sided region, by its parts
    assert "Visage, de face" in page  # a view's name
    assert "Submental area" not in page and "Forehead" not in page


def test_the_print_page_names_the_plans_regions_in_french(practice, plan, client_for):
    membership = practice.actor(practice.practitioner)
    regions = [region("neck-submental", "submental", POINTS, width_cm=12.0, height_cm=9.0)]
    actions.save_regions(membership, plan, regions)
    client = client_for(_french_practitioner(practice))
    page = client.get(f"/plans/{plan.pk}/print/").content.decode()
    assert "Cou et région sous-mentonnière: Région sous-mentonnière" in page


def test_names_are_english_in_english_and_every_name_has_its_french():
    from mesochart.planning.areas import views

    with translation.override("en-gb"):
        assert area_names.region("face-front", "temporal-left") == "Face, front: Temple, left"
    with translation.override("fr"):
        untranslated = [
            name
            for view in views().values()
            for name in (view.name, *(r.name for r in view.regions))
            if area_names.name(name) == name and name not in SAME_IN_FRENCH
        ]
    assert untranslated == []
