"""What the planning API answers, as schemas: the OpenAPI document describes every response.

Shapes follow what the chart editor reads (`static/mesochart/chart-editor.js`); a response
schema drops keys it does not name, so a key the editor needs is named here.
"""

import datetime as dt
from typing import Any

from ninja import Field, Schema

from mesochart.formulary.plans_api import PlanFindingOut, TotalOut

Pair = list[float]


class ExclusionOut(Schema):
    name: str
    kind: str
    ring_cm: list[Pair]
    line_cm: list[Pair]
    width_cm: float
    source: str
    note: str


class RegionTemplateOut(Schema):
    slug: str
    name: str
    scaling: str
    width_cm: float
    height_cm: float
    reference_circumference_cm: float | None
    outline_cm: list[Pair]
    holes_cm: list[list[Pair]]
    exclusions: list[ExclusionOut]
    note: str


class AreaViewOut(Schema):
    slug: str
    name: str
    description: str
    frame_cm: list[float]
    px_per_cm: float
    viewbox: str
    regions: list[RegionTemplateOut]


class DrawingProblemOut(Schema):
    field: str = Field(description="The measurement that cannot scale the region.")
    rule: str = Field(description="The rule, as the API's errors name it (English).")
    message: str = Field(description="The rule in the caller's language, for the page.")


class DrawingOut(Schema):
    factors: Pair = Field(description="(x, y) scale from the template to the patient.")
    problem: DrawingProblemOut | None


class GridOut(Schema):
    points: list[Pair]
    count: int
    capacity: int
    shortfall: int
    area_cm2: float
    factors: list[float]
    origin_cm: list[float]
    outline_cm: list[Pair]
    exclusions_cm: list[list[Pair]]


class ProposedOut(Schema):
    index: int
    date: dt.date
    planned_date: dt.date
    reasons: list[str]


class ProposalOut(Schema):
    sessions: list[ProposedOut]
    truncated: str | None = Field(description="The rule that cut the series short, if any")


class SeriesSessionOut(Schema):
    index: int
    date: dt.date
    start_time: dt.time | None
    planned_date: dt.date | None
    reasons: list[str]


class SeriesOut(Schema):
    sessions: list[SeriesSessionOut]


class ReviewFindingOut(PlanFindingOut):
    """A finding of a plan's check: the engine's, or where a point lies (placement)."""

    session: int | None = Field(None, description="The session of the series, when several")


class ReviewOut(Schema):
    points: int
    volume_ml: float
    deepest_mm: float | None
    smallest_gap_cm: float | None
    sessions_checked: int
    blocked: bool
    totals: list[TotalOut]
    findings: list[ReviewFindingOut]
    problems: list[str] = Field(description="field: rule lines when the plan cannot be checked")


class PlanRegionOut(Schema):
    view: str
    region: str
    width_cm: float | None
    height_cm: float | None
    circumference_cm: float | None
    spacing_cm: float
    pattern: str
    depth_mm: float | None
    volume_ml: float | None
    points: list[list[float | None]]


class PlanOut(Schema):
    id: int
    patient: int
    title: str
    indication: str
    protocol: int | None
    cocktail_version: int | None
    first_date: dt.date | None
    notes: str
    status: str
    version: int
    approved_by: int | None
    approved_at: dt.datetime | None
    approval_result: dict[str, Any] | None = Field(
        description="What approval checked, stored with it: checked_on, checked_version, "
        "dose (a ReviewOut), readiness"
    )
    regions: list[PlanRegionOut]
    sessions: list[SeriesSessionOut]
