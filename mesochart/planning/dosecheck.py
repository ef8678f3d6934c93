"""A plan's points and cocktail checked by the dose engine: `core.session_check` on each
session of the series, with the products from the formulary (`formulary.engine`).

Each session of the series is checked (so a course cap or a minimum interval the dates break
is found); without dates, one session on ``today``. The verdict is JSON-able data, because it
is stored with the approval and sent to the chart editor as the editor saves.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from mesochart.core.dose import PastSession
from mesochart.core.limits import Severity
from mesochart.core.plan_file import finding_to_dict, result_to_dict
from mesochart.core.session_check import RegionPoints, Unready, session_findings, summarise
from mesochart.core.session_check import unready as unready_reasons
from mesochart.formulary.engine import core_products


def unready_problem(reason: Unready, without_volume: int = 0, *, session: bool = False) -> str:
    """Why points cannot be checked, as a ``field: rule`` line in the words of the page that
    shows it: a plan's chart (points to place) or a session's record (points administered)."""
    if reason is Unready.NO_COCKTAIL and session:
        return _("cocktail_version: the cocktail has no product")
    if reason is Unready.NO_POINTS and session:
        return _("points: record at least one point administered")
    return {
        Unready.NO_COCKTAIL: _("cocktail_version: choose a cocktail to check the doses"),
        Unready.NO_POINTS: _("points: place at least one point"),
        Unready.NO_VOLUME: _("volume_ml: %(count)s point(s) have no volume")
        % {"count": without_volume},
        Unready.STACKED: _(
            "points: two points are at the same place (under 0.1 mm apart): move or remove one"
        ),
    }[reason]


def check_plan(
    regions: list[RegionPoints],
    cocktail: list[tuple[str, Decimal]],
    clinic,
    weight_kg: float | None,
    dates: list[date],
    today: date,
) -> dict:
    """The engine's verdict as JSON-able data: summary, totals, findings, and ``problems``
    (``field: rule`` lines) when the plan cannot be checked yet. A plan that cannot be
    checked is ``blocked``: nothing unknown reads as a pass."""
    summary = summarise(regions)
    out: dict[str, Any] = {
        "points": summary.points,
        "volume_ml": summary.volume_ml,
        "deepest_mm": summary.deepest_mm,
        "smallest_gap_cm": summary.smallest_gap_cm,
        "sessions_checked": 0,
        "blocked": True,
        "totals": [],
        "findings": [],
        "problems": [],
    }
    mix = [(slug, float(volume)) for slug, volume in cocktail]
    if reasons := unready_reasons(summary, mix):
        out["problems"] = [unready_problem(r, summary.without_volume) for r in reasons]
        return out
    products = core_products([slug for slug, _ in mix], clinic)
    unknown = [slug for slug, _ in mix if slug not in products]
    if unknown:
        out["problems"] = [f"cocktail_version: unknown product(s) {', '.join(unknown)}"]
        return out
    days = sorted(dates) or [today]
    seen, findings, checks = set(), [], []
    for index, day in enumerate(days):
        history = tuple(PastSession(d, frozenset(products)) for d in days[:index])
        checked = session_findings(summary, regions, mix, products, weight_kg, day, history, "plan")
        checks.append(checked)
        for finding in checked.findings:
            key = (finding.rule, finding.product, finding.ingredient, finding.message)
            if key not in seen:
                seen.add(key)
                findings.append((index + 1 if len(days) > 1 else None, finding))
    findings.sort(key=lambda found: (found[1].severity is not Severity.BLOCK, found[0] or 0))
    out.update(
        sessions_checked=len(days),
        totals=result_to_dict(checks[-1].result)["totals"],
        findings=[{**finding_to_dict(f), "session": session} for session, f in findings],
        blocked=any(f.severity is Severity.BLOCK for _, f in findings),
    )
    return out
