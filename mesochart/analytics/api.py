"""Analytics over the JSON API: ``GET /analytics/analysis`` (the page's analysis) and
the analysed rows come with ``rows=true`` (the CSV export is the page's
``/analytics/analysis.csv``). Same form, same access, same audit row
as the page; scoped to the token's clinic. Errors read ``field: rule`` (422)."""

import dataclasses

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema
from ninja import Query as NinjaQuery

from mesochart.accounts.roles import allows
from mesochart.analytics import access, analysis
from mesochart.analytics.forms import AnalysisForm, with_defaults
from mesochart.core import stats
from mesochart.lib.requests import ClinicRequest

router = Router(tags=["analytics"])


class AnalysisIn(Schema):
    measure: str = "css"
    grouping: str = "cocktail"
    days: int = 28
    window_days: int = 14
    missing: str = "completers"
    test: str = ""
    within: str = "paired-t"
    protocol: int | None = None
    rows: bool = False
    date_from: str = ""
    date_to: str = ""


class RateOut(Schema):
    count: int
    n: int
    rate: float | None
    ci95: tuple[float, float] | None


class GroupNOut(Schema):
    name: str
    n: int


class TestOut(Schema):
    test: str
    assumptions: list[str]
    groups: list[GroupNOut]
    statistic: float | None
    df: float | None
    p_value: float | None
    effect_name: str
    effect_size: float | None
    note: str


class GroupOut(Schema):
    name: str
    # The core's dataclass itself: a field added to `stats.Summary` is in the answer and in
    # the OpenAPI document without a second list to keep in step.
    summary: stats.Summary
    missing: int
    responders: RateOut | None
    within: TestOut


class ThresholdOut(Schema):
    measure: str
    text: str
    source: str


class RowOut(Schema):
    key: str
    group: str
    baseline: float
    follow_up: float
    change: float
    days_since_last_session: int
    carried_forward: bool


class AnalysisOut(Schema):
    measure: str
    measure_name: str
    unit: str
    grouping: str
    time_point: str
    missing_data: str
    threshold: ThresholdOut | None
    groups: list[GroupOut]
    between: TestOut | None
    rows: list[RowOut] = Field(description="the analysed rows, with ``rows=true`` only")


@router.get("/analysis", response=AnalysisOut)
def run_analysis(request: ClinicRequest, params: NinjaQuery[AnalysisIn]):
    """Change from baseline per group at a time point, with the tests it names."""
    membership = request.membership
    stored = access.series_for(membership)
    asked = params.dict()
    with_rows = asked.pop("rows")
    form = AnalysisForm(with_defaults({k: v for k, v in asked.items() if v is not None}))
    if not form.is_valid():
        raise ValidationError({field: list(rules) for field, rules in form.errors.items()})
    d = form.cleaned_data
    result = analysis.run(
        stored, form.query(), form.time_point(), d["missing"],
        d.get("within") or "paired-t", d.get("test") or None,
        with_links=allows(membership.role, "outcome.view"),
    )  # fmt: skip
    detail = {"measure": d["measure"], "grouping": d["grouping"], "patients": len(result.rows)}
    access.record_read(request.actor, "analytics (API)", detail)
    return result if with_rows else dataclasses.replace(result, rows=())
