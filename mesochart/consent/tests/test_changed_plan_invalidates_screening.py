"""A screening covers the cocktail's ingredients and excipients and the area it screened: a
cocktail with other components, or another area, needs a new screening."""

import pytest
from django.core.exceptions import ValidationError

from mesochart.consent import actions
from mesochart.consent.facts import Target
from mesochart.consent.readiness import session_readiness
from mesochart.testing.consent import (
    actor_of,
    cocktail,
    measured,
    next_version,
    respond,
    screen,
)

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


def _screening_item(practice, version, area="submental", indication="lipolysis"):
    target = Target(version, area, indication)
    ready = session_readiness(practice.patient, target, practice.practitioner)
    return next(item for item in ready if item.key == "screening")


def test_a_new_cocktail_version_with_another_product_makes_the_screening_stale(practice):
    measured(practice.patient)
    first = cocktail(practice, "Body", pcdc_lipolysis=4)
    screen(practice, first)
    assert _screening_item(practice, first).ok

    second = next_version(practice, first, pcdc_lipolysis=4, lidocaine_1pct=0.5)
    item = _screening_item(practice, second)
    assert not item.ok
    assert "another cocktail, area or indication" in item.message


def test_a_new_version_with_the_same_components_keeps_the_screening(practice):
    """Screening is about substances; a volume change does not change what is injected."""
    measured(practice.patient)
    first = cocktail(practice, "Body", pcdc_lipolysis=4)
    screen(practice, first)
    second = next_version(practice, first, pcdc_lipolysis=6)
    assert _screening_item(practice, second).ok


def test_another_area_needs_another_screening(practice):
    measured(practice.patient)
    version = cocktail(practice, "Body", pcdc_lipolysis=4)
    screen(practice, version, area="abdomen")
    assert _screening_item(practice, version, area="Abdomen ").ok
    assert not _screening_item(practice, version, area="flanks").ok


def test_another_indication_needs_another_screening(practice):
    measured(practice.patient)
    version = cocktail(practice, "Body", pcdc_lipolysis=4)
    screen(practice, version, indication="lipolysis")
    assert not _screening_item(practice, version, indication="cellulite").ok


def test_answers_about_one_area_do_not_screen_another(practice):
    version = cocktail(practice, "Body", pcdc_lipolysis=4)
    response = respond(practice, area="abdomen")
    with pytest.raises(ValidationError) as refused:
        actions.run_screening(
            actor_of(practice.nurse),
            practice.patient,
            response,
            target=Target(version, "thighs", "lipolysis"),
        )
    assert refused.value.message_dict == {
        "area": ["the answers are about Abdomen: ask the questions again for thighs"]
    }
