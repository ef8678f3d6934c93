"""The protocols mesochart ships, built only from shared/domain/reference.md.

Every number below is in reference.md and carries its source in ``references``; where the
reference gives nothing (a depth, a needle, a volume), the field is left empty and the
clinic fills it in. Anything from a [MKT] source is an editable default, never a limit:
the dose engine's limits come from the formulary, not from here. A clinic edits a shipped
protocol by saving its own copy (`actions.save_protocol`).

`sync_after_migrate` keeps the shipped rows (clinic null) in line with `SHIPPED` after
every migrate, as the formulary does with its reference file.
"""

import itertools
from decimal import Decimal

ABDALLAH = "[PEER] Abdallah et al."
SACEDA = "[PEER] Saceda-Corralo 2022, JDD 21:742 (n=541)"
LUEANGARUN = "[PEER] Lueangarun 2020, JCAD"
JPMA = "[PEER] JPMA pilot"
THOMAS = "[PEER] Thomas 2016, PRS GO 4:e861; Thomas 2018, JCAS 11:222"
MAHMUD = "[PEER] Mahmud & Crutchfield 2012, JCAD 5(10):16"
DCA_LABEL = "[LABEL] Deoxycholic acid injection 10 mg/mL (KYBELLA / Belkyra), NDA 206333"
HERTZ = "[PEER] Hertz-Kleptow 2019, CCID 12:563"
OGILVIE = "[PEER] Ogilvie 2020, CCID 13:267"
NAPPAGE_MKT = "[MKT] technique table, reference.md"

# Outcome measures and follow-ups (core.outcome_plan). The pairings are issue 15's own
# examples (melasma → mMASI, hair → density + Sinclair or Norwood, skin quality → GAIS; its
# cellulite → CSS + thigh circumference has no shipped protocol and serves cellulite plans as
# the indication's default, outcomes.protocols), as are the follow-ups 4 weeks after the last
# session, then 3 and 6 months: the issue's defaults, not sourced facts (reference.md gives no
# schedule).
# The measures themselves are reference.md's (Outcome measures). Fat reduction has no pairing
# in the issue: circumference (abdomen, flanks) and fat thickness (submental) at a marked site
# are reference.md's body-contouring measures [PEER] Park 2008.
ISSUE_FOLLOW_UPS = [{"weeks": 4}, {"months": 3}, {"months": 6}]
HAIR_MEASURES = [["hair_density_total"], ["sinclair", "hamilton_norwood"]]
MELASMA_MEASURES = [["mmasi"]]


def _weeks_to_phases(weeks: list[int]) -> list[dict]:
    """Session weeks (0, 1, 2, 3, 5, 7, 11) as phases of equal gaps, in days."""
    gaps = [7 * (b - a) for a, b in itertools.pairwise(weeks)]
    phases = [{"count": 1, "every_days": gaps[0]}]
    for gap in gaps:
        if gap == phases[-1]["every_days"]:
            phases[-1]["count"] += 1
        else:
            phases.append({"count": 1, "every_days": gap})
    return phases


SHIPPED: tuple[dict, ...] = (
    {
        "slug": "hair-dutasteride-nappage",
        "name": "Hair loss: dutasteride 0.05% nappage",
        "indication": "hair_loss",
        "technique": "nappage",
        "depth_min_mm": Decimal("2"),
        "depth_max_mm": Decimal("4"),
        "phases": _weeks_to_phases([0, 1, 2, 3, 5, 7, 11]),
        "maintenance": "In routine practice most often one session every 3 months in year 1 "
        f"({SACEDA}).",
        "products": ["dutasteride-0-05pct"],
        "references": [
            f"7 sessions at weeks 0, 1, 2, 3, 5, 7, 11: {ABDALLAH}",
            f"Nappage depth 2–4 mm, runs of injections 2–4 mm apart: {NAPPAGE_MKT}",
            f"Maintenance: {SACEDA}",
        ],
        "note": "Spacing and volume per point are not in the reference: enter your own.",
        "outcome_measures": HAIR_MEASURES,
        "follow_ups": ISSUE_FOLLOW_UPS,
    },
    {
        "slug": "melasma-tranexamic-fortnightly",
        "name": "Melasma: tranexamic acid 4 mg/mL every 2 weeks × 7",
        "indication": "pigmentation",
        "phases": [{"count": 7, "every_days": 14}],
        "products": ["tranexamic-acid-4mg-ml"],
        "references": [f"Tranexamic acid 4 mg/mL every 2 weeks × 7: {LUEANGARUN}"],
        "note": "Technique, depth, spacing and volume are not in the reference: enter your own.",
        "outcome_measures": MELASMA_MEASURES,
        "follow_ups": ISSUE_FOLLOW_UPS,
    },
    {
        "slug": "melasma-tranexamic-weekly",
        "name": "Melasma: tranexamic acid weekly × 6",
        "indication": "pigmentation",
        "phases": [{"count": 6, "every_days": 7}],
        "products": ["tranexamic-acid-4mg-ml"],
        "references": [f"Weekly × 6: {JPMA}"],
        "note": "Technique, depth, spacing and volume are not in the reference: enter your own.",
        "outcome_measures": MELASMA_MEASURES,
        "follow_ups": ISSUE_FOLLOW_UPS,
    },
    {
        "slug": "lipolysis-pcdc",
        "name": "Injection lipolysis: phosphatidylcholine/deoxycholate",
        "indication": "body_contouring",
        "technique": "point_by_point",
        "spacing_cm": Decimal("1.5"),
        "phases": [{"count": 4, "every_days": 28}],
        "products": ["pcdc-lipolysis"],
        "references": [
            f"At least 4 weeks apart, on average 4 sessions: {THOMAS}",
            f"1.5 cm apart, mid-fat depth: {MAHMUD}",
            f"No more than 0.3 mL per puncture, about half that on the face (a warning the "
            f"formulary carries): {THOMAS}",
        ],
        "note": "Depth is 'mid-fat' in the source, not a number; volume per point is yours to "
        "set within the formulary's limits.",
        "outcome_measures": [["circumference"]],
        "follow_ups": ISSUE_FOLLOW_UPS,
    },
    {
        "slug": "submental-deoxycholic-acid",
        "name": "Submental fat: deoxycholic acid 10 mg/mL (per label)",
        "indication": "body_contouring",
        "technique": "point_by_point",
        "volume_per_point_ml": Decimal("0.2"),
        "spacing_cm": Decimal("1.0"),
        # 31 days: the shortest gap that is at least one calendar month after any date.
        "phases": [{"count": 6, "every_days": 31}],
        "products": ["deoxycholic-acid-10mg-ml"],
        "references": [
            f"0.2 mL per injection, injections 1 cm apart on a grid, at most 50 injections and "
            f"10 mL per session, at most 6 sessions at least 1 month apart, submental only, "
            f"1–1.5 cm below the lower border of the mandible kept free: {DCA_LABEL}",
        ],
        "note": "Use the neck/submental chart: its submental region carries the mandible band.",
        "outcome_measures": [["fat_thickness"]],
        "follow_ups": ISSUE_FOLLOW_UPS,
    },
    {
        "slug": "skin-quality-hyaluronic-acid",
        "name": "Skin quality: hyaluronic acid, 3 visits 4 weeks apart",
        "indication": "skin_rejuvenation",
        "volume_per_point_ml": Decimal("0.05"),
        "spacing_cm": Decimal("1.0"),
        "needle_gauge": 32,
        "needle_length_mm": Decimal("12.7"),
        "phases": [{"count": 3, "every_days": 28}],
        "products": ["hyaluronic-acid-non-crosslinked"],
        "references": [
            f"20 micropunctures of 50 µL per lower cheek, 3 visits 4 weeks apart: {HERTZ}",
            f"32G ½-inch needle, points 0.5–1.0 cm apart, 0.01–0.05 mL each, about 2 mL per "
            f"full face: {OGILVIE}",
        ],
        "note": "Spacing 1.0 cm and 0.05 mL are the upper ends of Ogilvie's ranges.",
        "outcome_measures": [["gais_investigator"], ["gais_subject"]],
        "follow_ups": ISSUE_FOLLOW_UPS,
    },
)

FIELDS = (
    "name",
    "indication",
    "technique",
    "depth_min_mm",
    "depth_max_mm",
    "volume_per_point_ml",
    "spacing_cm",
    "needle_gauge",
    "needle_length_mm",
    "phases",
    "maintenance",
    "products",
    "references",
    "note",
    "outcome_measures",
    "follow_ups",
)


def sync_shipped(protocol_model) -> int:
    """Create or update the shipped rows from `SHIPPED`; returns how many were written."""
    written = 0
    for entry in SHIPPED:
        values = {field: entry.get(field, _empty(protocol_model, field)) for field in FIELDS}
        protocol_model.objects.update_or_create(clinic=None, slug=entry["slug"], defaults=values)
        written += 1
    return written


def _empty(model, field: str):
    django_field = model._meta.get_field(field)
    if django_field.null:
        return None
    return django_field.get_default()


def sync_after_migrate(sender, apps=None, **kwargs) -> None:
    """post_migrate receiver: sync once this app's table exists at the current schema."""
    from django.db import connection

    from mesochart.planning.models import Protocol

    if Protocol._meta.db_table not in connection.introspection.table_names():
        return
    sync_shipped(Protocol)
