"""Each absolute contraindication blocks the session, and no acknowledgement can lift it."""

import pytest
from django.core.exceptions import ValidationError

from mesochart.consent import actions
from mesochart.consent.facts import Target
from mesochart.consent.readiness import session_readiness
from mesochart.core.screening_defaults import DEFAULT_RULES
from mesochart.core.screening_rules import Kind
from mesochart.testing.consent import (
    actor_of,
    cocktail,
    measured,
    screen,
    sign,
    template,
)

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db

# For each absolute rule: the answers that meet it.
MEETS = {
    "pregnancy": {"pregnant": "yes"},
    "breastfeeding": {"breastfeeding": "yes"},
    "site_infection": {"site_infection": "unsure"},
    "site_herpes": {"site_herpes": "yes"},
    "component_allergy": {"allergies": "yes", "allergy_details": "benzyl alcohol"},
    "under_18": {"date_of_birth": "2012-01-01"},
}


def test_every_absolute_default_rule_is_tried_here():
    absolute = {rule.key for rule in DEFAULT_RULES if rule.kind == Kind.ABSOLUTE}
    assert absolute == set(MEETS)


@pytest.mark.parametrize("key", sorted(MEETS))
def test_an_absolute_finding_blocks_and_cannot_be_acknowledged(practice, key):
    version = cocktail(practice, pcdc_lipolysis=4)
    template(practice)
    sign(practice, version)
    screening = screen(practice, version, **MEETS[key])

    assert [f.key for f in screening.absolute] == [key]
    assert not screening.may_treat()
    with pytest.raises(ValidationError) as refused:
        actions.acknowledge(
            actor_of(practice.practitioner),
            screening,
            {"key": key, "reason": "The patient insists"},
        )
    assert "cannot be acknowledged" in str(refused.value)

    target = Target(version, "submental", "lipolysis")
    ready = session_readiness(practice.patient, target, practice.practitioner)
    items = {item.key: item for item in ready}
    assert not ready.ready
    assert not items["absolute"].ok
    assert items["screening"].ok and items["consent"].ok and items["practitioner"].ok


def test_clear_answers_leave_nothing_in_the_way(practice):
    measured(practice.patient)
    version = cocktail(practice, pcdc_lipolysis=4)
    template(practice)
    sign(practice, version)
    screening = screen(practice, version)

    assert screening.findings == []
    ready = session_readiness(
        practice.patient, Target(version, "submental", "lipolysis"), practice.practitioner
    )
    assert ready.ready, [item for item in ready if not item.ok]
