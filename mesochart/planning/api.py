"""Planning over the JSON API: protocols, area templates, grids, schedules and plans.

Mounted at the API root (``/api/v1/grid``, ``/api/v1/plans/{id}``, ...). Every endpoint goes
through ``planning.access`` / ``patients.access`` and writes through ``planning.actions``;
errors read ``field: rule`` like the pages.
"""

from datetime import date, time
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from mesochart.core.grid import GridError
from mesochart.core.schedule import Phase, ScheduleError, ScheduleRequest, propose
from mesochart.formulary.engine import core_products
from mesochart.lib.requests import ClinicRequest
from mesochart.patients.access import get_patient
from mesochart.planning import actions, approval, figures, grids, series
from mesochart.planning.access import get_plan, get_protocol, protocols_for, require
from mesochart.planning.areas import get_view, views
from mesochart.planning.review import REGION_FIELDS, review_plan
from mesochart.planning.schemas import (
    AreaViewOut,
    DrawingOut,
    GridOut,
    PlanOut,
    ProposalOut,
    ReviewOut,
    SeriesOut,
)

router = Router(tags=["planning"])


class PhaseIO(Schema):
    count: int = Field(ge=1)
    every_days: int = Field(ge=1)


class ProtocolOut(Schema):
    id: int
    slug: str
    name: str
    shipped: bool
    indication: str
    technique: str
    depth_min_mm: Decimal | None
    depth_max_mm: Decimal | None
    volume_per_point_ml: Decimal | None
    spacing_cm: Decimal | None
    needle_gauge: int | None
    needle_length_mm: Decimal | None
    phases: list[PhaseIO]
    maintenance: str
    products: list[str]
    references: list[str]
    note: str
    # Groups of measure codes (any one of a group serves) and offsets after the last session.
    outcome_measures: list[list[str]]
    follow_ups: list[dict[str, int]]


@router.get("/protocols", response=list[ProtocolOut])
def list_protocols(request: ClinicRequest):
    """The shipped protocols (sourced) and your clinic's own."""
    return protocols_for(request.membership).order_by("name", "pk")


@router.get("/protocols/{int:protocol_id}", response=ProtocolOut)
def read_protocol(request: ClinicRequest, protocol_id: int):
    return get_protocol(request.membership, protocol_id)


def _view_out(view) -> dict:
    return {
        "slug": view.slug,
        "name": view.name,
        "description": view.description,
        "frame_cm": list(view.frame_cm),
        "px_per_cm": view.px_per_cm,
        "viewbox": view.viewbox,
        "regions": [
            {
                "slug": r.slug,
                "name": r.name,
                "scaling": r.scaling,
                "width_cm": r.width_cm,
                "height_cm": r.height_cm,
                "reference_circumference_cm": r.reference_circumference_cm,
                "outline_cm": [list(p) for p in r.outline_cm],
                "holes_cm": [[list(p) for p in h] for h in r.holes_cm],
                "exclusions": [
                    {
                        "name": e.name,
                        "kind": e.kind,
                        "ring_cm": [list(p) for p in e.ring_cm],
                        "line_cm": [list(p) for p in e.line_cm],
                        "width_cm": e.width_cm,
                        "source": e.source,
                        "note": e.note,
                    }
                    for e in r.exclusions
                ],
                "note": r.note,
            }
            for r in view.regions
        ],
    }


@router.get("/areas", response=list[AreaViewOut])
def list_areas(request: ClinicRequest):
    """Every view with its regions in cm (template sizes are illustrative defaults)."""
    require(request.membership, "plan.view")
    return [_view_out(view) for view in views().values()]


@router.get("/areas/{view}", response=AreaViewOut)
def read_area(request: ClinicRequest, view: str):
    require(request.membership, "plan.view")
    try:
        return _view_out(get_view(view))
    except GridError:
        raise Http404 from None


class ScaleIn(Schema):
    width_cm: float | None = None
    height_cm: float | None = None
    circumference_cm: float | None = None


class GridIn(Schema):
    view: str
    region: str
    spacing_cm: float
    pattern: Literal["square", "staggered"] = "square"
    scale: ScaleIn = Field(default_factory=ScaleIn)
    margin_cm: float = 0.0
    target_count: int | None = None


@router.post("/areas/{view}/{region}/drawing", response=DrawingOut)
def drawing(request: ClinicRequest, view: str, region: str, payload: ScaleIn):
    """The scale the region's points are drawn with for these measurements, and why it is
    (1, 1) when they cannot scale it: the chart editor draws with the server's figures."""
    require(request.membership, "plan.view")
    try:
        template = get_view(view).region(region)
    except GridError:
        raise Http404 from None
    drawn = figures.drawing(template, payload.dict())
    if drawn.problem is None:
        return {"factors": list(drawn.factors), "problem": None}
    field, rule = drawn.problem.field, drawn.problem.rule
    with translation.override(getattr(request, "detail_language", None)):
        message = gettext(rule)  # in the language of Accept-Language, like ``detail``
    return {
        "factors": list(drawn.factors),
        "problem": {"field": field, "rule": rule, "message": message},
    }


def _grid_error(error: GridError) -> ValidationError:
    scale_fields = {"width_cm", "height_cm", "circumference_cm"}
    field = f"scale.{error.field}" if error.field in scale_fields else error.field
    return ValidationError({field: [error.rule]})


@router.post("/grid", response=GridOut)
def grid(request: ClinicRequest, payload: GridIn):
    """Points for a region scaled to the patient: in cm, in the patient's frame.

    Answered as plain JSON in the shape `GridOut` documents, not validated through it:
    thousands of points validated one by one would cost more than planning them.
    """
    require(request.membership, "plan.view")
    try:
        planned = grids.generate(
            payload.view,
            payload.region,
            payload.spacing_cm,
            payload.pattern,
            payload.scale.width_cm,
            payload.scale.height_cm,
            payload.scale.circumference_cm,
            payload.margin_cm,
            payload.target_count,
        )
    except GridError as error:
        raise _grid_error(error) from None
    return JsonResponse(grids.as_json(planned))


class ScheduleIn(Schema):
    first_date: date
    protocol: int | None = None
    phases: list[PhaseIO] | None = None
    products: list[str] = Field(default_factory=list, description="Product slugs given.")


def _sessions(schedule) -> list[dict]:
    return [
        {"index": i, "date": s.date, "planned_date": s.planned_date, "reasons": list(s.reasons)}
        for i, s in enumerate(schedule.sessions)
    ]


@router.post("/schedule", response=ProposalOut)
def schedule(request: ClinicRequest, payload: ScheduleIn):
    """A proposal (nothing is saved) with your clinic's opening days and the products'
    minimum intervals and course caps."""
    require(request.membership, "plan.view")
    if payload.protocol is not None:
        phases = get_protocol(request.membership, payload.protocol).phases
    elif payload.phases:
        phases = [p.model_dump() for p in payload.phases]
    else:
        raise ValidationError({"phases": [_("give a protocol or phases")]})
    products = core_products(payload.products, request.membership.clinic)
    unknown = sorted(set(payload.products) - set(products))
    if unknown:
        raise ValidationError(
            {"products": [_("unknown product(s) %(v0)s") % {"v0": ", ".join(unknown)}]}
        )
    weekdays, closed = series.opening_of(request.membership.clinic)
    try:
        proposal = propose(
            ScheduleRequest(
                phases=tuple(Phase(int(p["count"]), int(p["every_days"])) for p in phases),
                first_date=payload.first_date,
                opening_weekdays=weekdays,
                closed_dates=closed,
                products=series.product_rules(products),
            )
        )
    except ScheduleError as error:
        raise ValidationError({error.field: [error.rule]}) from None
    cut = proposal.truncation
    return {"sessions": _sessions(proposal), "truncated": cut.rule if cut else None}


class PlanIn(Schema):
    title: str | None = None
    indication: str | None = None
    protocol: int | None = None
    cocktail_version: int | None = None
    first_date: date | None = None
    notes: str | None = None
    version: int | None = None


class PlanCreateIn(PlanIn):
    patient: int


class PlanChangeIn(PlanIn):
    version: int = Field(description="The plan's version you read; a change since is refused.")


class RegionIn(Schema):
    view: str
    region: str
    width_cm: Decimal | None = None
    height_cm: Decimal | None = None
    circumference_cm: Decimal | None = None
    spacing_cm: Decimal = Decimal("1")
    pattern: Literal["square", "staggered"] = "square"
    depth_mm: Decimal | None = None
    volume_ml: Decimal | None = None
    points: list[list[float | None]] = Field(default_factory=list)


class RegionsIn(Schema):
    regions: list[RegionIn]
    version: int = Field(description="The plan's version you read; a change since is refused.")


class ChartIn(Schema):
    regions: list[RegionIn] | None = Field(None, description="Unsaved regions; else the saved.")


def _form_data(payload: Schema) -> dict:
    data = payload.model_dump(exclude_unset=True, exclude={"version", "patient"})
    return {k: ("" if v is None else v) for k, v in data.items()}


def plan_out(plan) -> dict:
    regions = [
        {k: (float(v) if isinstance(v, Decimal) else v) for k, v in region.items()}
        for region in plan.regions.order_by("position", "pk").values(*REGION_FIELDS)
    ]
    return {
        "id": plan.pk,
        "patient": plan.patient_id,
        "title": plan.title,
        "indication": plan.indication,
        "protocol": plan.protocol_id,
        "cocktail_version": plan.cocktail_version_id,
        "first_date": plan.first_date,
        "notes": plan.notes,
        "status": plan.status,
        "version": plan.version,
        "approved_by": plan.approved_by_id,
        "approved_at": plan.approved_at,
        "approval_result": plan.approval_result,
        "regions": regions,
        "sessions": list(plan.sessions.values(*SESSION_FIELDS)),
    }


@router.post("/plans", response={201: PlanOut})
def create_plan(request: ClinicRequest, payload: PlanCreateIn):
    patient = get_patient(request.membership, payload.patient, "plan.edit")
    plan = actions.create_plan(request.actor, patient, _form_data(payload))
    return Status(201, plan_out(plan))


@router.get("/plans/{int:plan_id}", response=PlanOut)
def read_plan(request: ClinicRequest, plan_id: int):
    plan = get_plan(request.membership, plan_id)
    actions.record_plan_view(request.actor, plan)
    return plan_out(plan)


@router.patch("/plans/{int:plan_id}", response=PlanOut)
def update_plan(request: ClinicRequest, plan_id: int, payload: PlanChangeIn):
    plan = get_plan(request.membership, plan_id, "plan.edit")
    plan = actions.update_plan(request.actor, plan, _form_data(payload), payload.version)
    return plan_out(plan)


@router.put("/plans/{int:plan_id}/regions", response=PlanOut)
def save_regions(request: ClinicRequest, plan_id: int, payload: RegionsIn):
    """Replace the regions and points (what the chart editor saves)."""
    plan = get_plan(request.membership, plan_id, "plan.edit")
    regions = [r.model_dump() for r in payload.regions]
    plan = actions.save_regions(request.actor, plan, regions, payload.version)
    return plan_out(plan)


@router.post("/plans/{int:plan_id}/check", response=ReviewOut)
def check_plan(request: ClinicRequest, plan_id: int, payload: ChartIn):
    """Totals and findings for the plan, or for the regions the editor holds (unsaved)."""
    plan = get_plan(request.membership, plan_id)
    regions = None if payload.regions is None else [r.model_dump() for r in payload.regions]
    try:
        return review_plan(plan, request.membership.clinic.today(), regions)
    except GridError as error:
        raise _grid_error(error) from None


class ApproveIn(Schema):
    version: int = Field(
        description="The plan's version that was checked (from GET or the last save)"
    )


@router.post("/plans/{int:plan_id}/approve", response=PlanOut)
def approve_plan(request: ClinicRequest, plan_id: int, payload: ApproveIn):
    plan = get_plan(request.membership, plan_id, "plan.approve")
    plan = approval.approve_plan(request.actor, plan, version=payload.version)
    return plan_out(plan)


SESSION_FIELDS = ("index", "date", "start_time", "planned_date", "reasons")


class SeriesIn(Schema):
    first_date: date
    start_time: time | None = Field(None, description="At the clinic; 09:00 when omitted")


@router.post("/plans/{int:plan_id}/series", response=ProposalOut)
def propose_series(request: ClinicRequest, plan_id: int, payload: SeriesIn):
    plan = get_plan(request.membership, plan_id, "plan.edit")
    proposal = actions.propose_series(request.actor, plan, payload.model_dump())
    cut = proposal.truncation
    return {"sessions": _sessions(proposal), "truncated": cut.rule if cut else None}


class MoveIn(Schema):
    index: int
    new_date: date
    new_time: time | None = Field(None, description="At the clinic; omitted: unchanged")


@router.post("/plans/{int:plan_id}/series/move", response=SeriesOut)
def move_session(request: ClinicRequest, plan_id: int, payload: MoveIn):
    plan = get_plan(request.membership, plan_id, "plan.edit")
    actions.move_session(request.actor, plan, payload.model_dump())
    return {"sessions": list(plan.sessions.values(*SESSION_FIELDS))}


@router.get(
    "/plans/{int:plan_id}/series.ics",
    openapi_extra={
        "responses": {200: {"description": "iCalendar", "content": {"text/calendar": {}}}}
    },
)
def series_ics(request: ClinicRequest, plan_id: int):
    plan = get_plan(request.membership, plan_id)
    data = actions.export_series(request.actor, plan)
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}-series.ics"'
    return response
