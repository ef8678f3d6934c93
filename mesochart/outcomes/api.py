"""Outcome measures over the JSON API.

``GET /scales``: the definitions with their sources; ``POST /scales/{code}/score``: items in,
the computed total, band and findings out, nothing stored (the tablet and other tools use
it); a patient's values: ``GET``/``POST /patients/{id}/outcomes`` and
``POST /outcomes/{id}/amend``, through the same access functions and actions as the pages.
Mounted at the API root before the patients router (whose ``/{patient_id}/{kind}`` would
take ``/patients/{id}/outcomes``). Reading a patient's values is audited.
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from mesochart.core import measures
from mesochart.core.measures import Kind
from mesochart.core.scores import score
from mesochart.lib.requests import ClinicRequest
from mesochart.outcomes import actions
from mesochart.outcomes.access import get_plan_of_patient, get_value, require, values_for
from mesochart.patients.access import get_patient

router = Router(tags=["outcomes"])


class LevelOut(Schema):
    code: str
    label: str
    rank: int


class OutcomeItemOut(Schema):
    code: str
    label: str
    minimum: int
    maximum: int


class CodingOut(Schema):
    code: str
    label: str
    numbers: dict[str, int]


class MeasureOut(Schema):
    code: str
    name: str
    kind: str
    better: str
    source: str
    landmark: str
    unit: str
    minimum: Decimal | None
    maximum: Decimal | None
    levels: list[LevelOut]
    items: list[OutcomeItemOut]
    codings: list[CodingOut]
    site_required: bool
    patient_reported: bool


class ScoreIn(Schema):
    model_config = ConfigDict(extra="forbid")
    items: dict[str, int | float | str]


class OutcomeFindingOut(Schema):
    field: str
    rule: str


class ScoreOut(Schema):
    code: str
    total: Decimal | None
    band: str
    missing: list[str]
    findings: list[OutcomeFindingOut]


class OutcomeIn(Schema):
    """One value; what it must hold is the measure's definition (``GET /scales``) and the
    form's rules (``outcomes.forms.OutcomeValueForm``). A composite's total is computed."""

    model_config = ConfigDict(extra="forbid")

    plan: int
    measure: str
    context: str = Field(description="baseline, session or follow_up")
    session: int | None = None
    measured_on: date
    area: str = ""
    site: str = ""
    value: Decimal | None = None
    level: str = ""
    coding: str = ""
    items: dict[str, int | float | str] | None = None
    not_measured_reason: str = ""
    rater_role: str = Field(description="practitioner, second_rater or patient")
    blinded: bool = False


class OutcomeAmendIn(Schema):
    model_config = ConfigDict(extra="forbid")

    amend_reason: str
    value: Decimal | None = None
    level: str | None = None
    items: dict[str, int | float | str] | None = None
    measured_on: date | None = None
    site: str | None = None
    not_measured_reason: str | None = None


class OutcomeOut(Schema):
    id: int
    plan: int = Field(alias="plan_id")
    session: int | None = Field(alias="session_id")
    measure: str
    context: str
    measured_on: date
    area: str
    site: str
    value: Decimal | None
    level: str
    coding: str
    items: dict
    band: str
    not_measured_reason: str
    rater_role: str
    blinded: bool
    recorded_at: datetime
    amends: int | None = Field(alias="amends_id")
    amend_reason: str


@router.get("/scales", response=list[MeasureOut])
def scales(request: ClinicRequest):
    """Every shipped measure with its unit or levels, range, better direction and source."""
    return list(measures.MEASURES)


@router.post("/scales/{code}/score", response=ScoreOut)
def score_items(request: ClinicRequest, code: str, payload: ScoreIn):
    """The total, band and findings of a composite scale's items; nothing is stored."""
    measure = measures.get(code)
    if measure is None or measure.kind != Kind.COMPOSITE:
        raise Http404
    result = score(measure, payload.items)
    bad = [f for f in result.findings if f.field.removeprefix("items.") in payload.items]
    if bad:
        raise ValidationError({f.field: [f.rule] for f in bad})
    return result


@router.get("/patients/{patient_id}/outcomes", response=list[OutcomeOut])
def list_outcomes(
    request: ClinicRequest, patient_id: int, plan: int | None = None, history: bool = False
):
    """The patient's values as they now read (``history=true``: with the amended ones)."""
    membership = request.membership
    patient = get_patient(membership, patient_id, "outcome.view")
    rows = values_for(membership).filter(patient=patient).order_by("measured_on", "pk")
    if plan is not None:
        rows = rows.filter(plan_id=plan)
    if not history:
        rows = rows.current()
    actions.record_read(request.actor, patient, "outcome values (API)")
    return list(rows)


@router.post("/patients/{patient_id}/outcomes", response={201: OutcomeOut})
def create_outcome(request: ClinicRequest, patient_id: int, payload: OutcomeIn):
    membership = request.membership
    require(membership, "outcome.record")
    patient = get_patient(membership, patient_id, "outcome.record")
    plan = get_plan_of_patient(membership, payload.plan, "outcome.record")
    if plan.patient.pk != patient.pk:
        raise ValidationError({"plan": [_("is not a plan of this patient")]})
    data = payload.dict(exclude={"plan"}, exclude_none=True)
    return Status(201, actions.record_value(request.actor, plan, data))


@router.post("/outcomes/{value_id}/amend", response={201: OutcomeOut})
def amend_outcome(request: ClinicRequest, value_id: int, payload: OutcomeAmendIn):
    membership = request.membership
    original = get_value(membership, value_id, "outcome.record")
    data = payload.dict(exclude_none=True)
    return Status(201, actions.amend_value(request.actor, original, data))
