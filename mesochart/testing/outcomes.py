"""Baselines for the builders of approved plans: a plan is approved only once every baseline
its protocol names is recorded (a value, or "not measured" with a reason), so the shared
fixtures record them through `outcomes.actions`, as a clinic would. Every number is made up.
"""

from typing import Any

from mesochart.outcomes import actions
from mesochart.outcomes.protocols import baseline_gaps

SITE = "submental, midline, at the marked point"

# A synthetic baseline of each measure a shipped protocol names (its first of a group).
SAMPLES: dict[str, dict[str, Any]] = {
    "fat_thickness": {"site": SITE, "value": "14.0"},
    "circumference": {"site": "abdomen, 2 cm below the navel, marked", "value": "86.0"},
    "mmasi": {
        "items": {
            f"{region}_{part}": 2
            for region in ("forehead", "right_malar", "left_malar", "chin")
            for part in ("area", "darkness")
        }
    },
    "hair_density_total": {"site": "vertex, tattooed dot", "value": "150"},
    "css": {"site": "left thigh and buttock", "items": dict.fromkeys("ABCDE", 2)},
}


def record_baselines(membership, plan, day=None, not_measured: str = ""):
    """Record each baseline ``plan`` still lacks, measured on ``day`` (by default today on
    the clinic's calendar): the sample value, or "not measured" with ``not_measured`` as the
    reason (also used for a measure without a sample). Returns the values recorded."""
    day = day or plan.clinic.today()
    recorded = []
    for group in baseline_gaps(plan):
        code = group[0]
        data = {"measure": code, "context": "baseline", "measured_on": day}
        sample = SAMPLES.get(code)
        if not_measured or sample is None:
            reason = not_measured or "measured at the referring clinic, report awaited"
            site = (sample or {}).get("site", "as marked on the chart")
            data |= {"not_measured_reason": reason, "site": site}
        else:
            data |= sample
        data["rater_role"] = "practitioner"
        recorded.append(actions.record_value(membership, plan, data))
    return recorded
