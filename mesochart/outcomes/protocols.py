"""Which outcome measures a plan's protocol names, and its follow-up schedule.

A protocol names its own (``Protocol.outcome_measures`` and ``Protocol.follow_ups``, parsed
by `core.outcome_plan`); the defaults below serve only a plan whose protocol names none (or
a plan with no protocol). They are issue 15's examples (cellulite → CSS + thigh
circumference; melasma → mMASI; hair → density + Sinclair or Norwood; skin quality → GAIS;
follow-ups 4 weeks after the last session, then 3 and 6 months): defaults, not sourced
clinical facts. reference.md gives no follow-up schedule.
"""

from dataclasses import replace

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _

from mesochart.core import measures
from mesochart.core.outcome_plan import (
    FollowUp,
    FollowUpOffset,
    follow_ups,
    missing_baselines,
    parse_follow_ups,
    parse_measures,
)

__all__ = [
    "FollowUp",
    "baseline_gaps",
    "follow_ups_for",
    "group_name",
    "measures_of",
    "missing_of",
    "schedule_of",
]

MEASURES_BY_INDICATION: dict[str, tuple[tuple[str, ...], ...]] = {
    "cellulite": (("css",), ("circumference",)),
    "body_contouring": (("circumference",), ("weight",), ("fat_thickness",)),
    "pigmentation": (("mmasi",),),
    "hair_loss": (("hair_density_total",), ("sinclair", "hamilton_norwood")),
    "skin_rejuvenation": (("gais_investigator",), ("gais_subject",)),
}

# Issue 15's example: 4 weeks after the last session, then 3 and 6 months.
FOLLOW_UPS = (FollowUpOffset(weeks=4), FollowUpOffset(months=3), FollowUpOffset(months=6))


def measures_of(plan) -> tuple[tuple[str, ...], ...]:
    """The protocol's own groups of measures, else the indication's defaults."""
    protocol = plan.protocol
    if protocol is not None and protocol.outcome_measures:
        return parse_measures(protocol.outcome_measures)
    return MEASURES_BY_INDICATION.get(plan.indication, ())


def schedule_of(plan) -> tuple[FollowUpOffset, ...]:
    protocol = plan.protocol
    if protocol is not None and protocol.follow_ups:
        return parse_follow_ups(protocol.follow_ups)
    return FOLLOW_UPS


def missing_of(plan, at_baseline: set[str]) -> list[tuple[str, ...]]:
    """The groups of `measures_of` with no baseline among ``at_baseline`` (codes)."""
    return missing_baselines(measures_of(plan), at_baseline)


def follow_ups_for(plan, last_session, follow_up_days) -> list[FollowUp]:
    """The follow-ups due, each labelled in the reader's language ("4 weeks", "3 months")."""
    offsets = schedule_of(plan)
    due = follow_ups(last_session, offsets, follow_up_days)
    return [replace(f, label=offset_label(o)) for f, o in zip(due, offsets, strict=False)]


def offset_label(offset: FollowUpOffset) -> str:
    months = ngettext("%d month", "%d months", offset.months) % offset.months
    weeks = ngettext("%d week", "%d weeks", offset.weeks) % offset.weeks
    if offset.months and offset.weeks:
        return _("%(months)s and %(weeks)s") % {"months": months, "weeks": weeks}
    return months if offset.months else weeks


def baseline_gaps(plan) -> list[tuple[str, ...]]:
    """The plan's groups still without a baseline, read from its current baseline values
    (a value, or "not measured" with a reason; one query)."""
    from mesochart.outcomes.models import Context, OutcomeValue

    rows = OutcomeValue.objects.filter(plan=plan, context=Context.BASELINE).current()
    return missing_of(plan, set(rows.values_list("measure", flat=True)))


def group_name(group: tuple[str, ...]) -> str:
    """A group as a clinician reads it: "Sinclair or Hamilton-Norwood"."""
    return _(" or ").join(gettext(measures.BY_CODE[code].name) for code in group)


def follow_up_days(plan) -> list:
    """The days of the plan's current follow-up values (one query)."""
    from mesochart.outcomes.models import Context, OutcomeValue

    rows = OutcomeValue.objects.filter(plan=plan, context=Context.FOLLOW_UP).current()
    return sorted(set(rows.values_list("measured_on", flat=True)))
