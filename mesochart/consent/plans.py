"""Planning's Plan as what screening and consent are about.

A plan says the indication, the cocktail version and the regions; the screening's area is the
plan's regions, named in a stable order ("abdomen, flank-left"), so that adding or removing a
region changes the fingerprint and makes an earlier screening stale, as a change of area must.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from mesochart.consent.facts import Target
from mesochart.planning import area_names
from mesochart.planning.access import get_plan, plans_for
from mesochart.planning.areas import views
from mesochart.planning.models import Plan


def area_of(names) -> str:
    """The plan's region names, each once, sorted and joined."""
    return ", ".join(sorted(set(names)))


def regions_of(area: str) -> set[str]:
    """The regions an area names (``area_of`` read back); a free-text area is one region."""
    return {part.strip() for part in area.split(",") if part.strip()}


def uncovered(planned_area: str, screened_area: str) -> list[str]:
    """The planned regions that ``screened_area`` does not cover, sorted."""
    return sorted(regions_of(planned_area) - regions_of(screened_area))


def region_words(slug: str) -> str:
    """A region in the chart's clinical words ("Thigh (posterior), left"); text that names no
    region of a chart is shown as it was written."""
    for view in views().values():
        for region in view.regions:
            if region.slug == slug:
                return area_names.name(region.name)  # in the reader's language
    return slug


def area_words(area: str) -> str:
    """An area as people read it: its regions' names, in order, joined."""
    names = [region_words(slug) for slug in sorted(regions_of(area))]
    return "; ".join(names) if names else area


def target_of(plan, regions: list[dict] | None = None) -> Target:
    """A planning Plan (or a Target, returned as it is) as a screening target; ``regions``
    are the plan's as a caller already read them (`planning.review.saved_regions`)."""
    if isinstance(plan, Target):
        return plan
    if plan.cocktail_version_id is None:
        raise ValidationError({"plan": [_("has no cocktail yet: choose one in the plan first")]})
    if regions is None:
        area = area_of(region.region for region in plan.regions.all())
    else:
        area = area_of(region["region"] for region in regions)
    if not area:
        raise ValidationError(
            {"plan": [_("has no treatment region yet: draw one in the plan first")]}
        )
    return Target(plan.cocktail_version, area, plan.indication, plan)


def plan_target(membership, patient, pk) -> Target:
    """The target of plan ``pk`` of ``patient`` at the membership's clinic (404 otherwise)."""
    plan = get_plan(membership, pk)
    if plan.patient_id != patient.pk:
        raise Http404("No such plan for this patient.")
    return target_of(plan)


def plans_of(membership, patient) -> list[Plan]:
    """The patient's plans that name a cocktail, newest first ([] for roles without plans)."""
    from mesochart.accounts.roles import allows

    if not allows(membership.role, "plan.view"):
        return []
    return list(
        plans_for(membership)
        .filter(patient=patient, cocktail_version__isnull=False)
        .select_related("cocktail_version__cocktail")
        .prefetch_related("regions")
        .order_by("-created_at", "-pk")
    )
