"""Plans to test with: a cocktail of the clinic, a plan of the practice's patient with its
baselines, regions, and an API caller with its own token."""

from decimal import Decimal

from mesochart.formulary import actions as formulary_actions
from mesochart.planning import actions
from mesochart.planning.models import Protocol
from mesochart.testing.api import API as API
from mesochart.testing.api import ApiCaller as ApiCaller

DCA = "deoxycholic-acid-10mg-ml"
PCDC = "pcdc-lipolysis"


def cocktail(membership, name, **volumes_ml):
    """A cocktail of the clinic (version 1); product slugs with _ for -."""
    components = [
        {"product": slug.replace("_", "-"), "volume_ml": Decimal(str(volume))}
        for slug, volume in volumes_ml.items()
    ]
    return formulary_actions.create_cocktail(membership, {"name": name}, components)


def protocol(slug: str) -> Protocol:
    return Protocol.objects.get(clinic=None, slug=slug)


def new_plan(practice, protocol_slug="lipolysis-pcdc", version=None, baselines=True, **data):
    """A draft plan of the practice's patient with, unless ``baselines`` is false, the
    baselines its protocol names recorded (approval needs them)."""
    from mesochart.testing.outcomes import record_baselines

    membership = practice.actor(practice.practitioner)
    fields = {
        "indication": "body_contouring",
        "protocol": protocol(protocol_slug).pk if protocol_slug else "",
        "cocktail_version": version.pk if version else "",
        **data,
    }
    plan = actions.create_plan(membership, practice.patient, fields)
    if baselines:
        record_baselines(membership, plan)
    return plan


def region(view, slug, points, **extra) -> dict:
    return {
        "view": view,
        "region": slug,
        "spacing_cm": 1,
        "pattern": "square",
        "points": [list(p) for p in points],
        **extra,
    }
