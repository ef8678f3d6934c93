"""A clinic's own patient-reported items over the JSON API: ``GET /outcome-items`` (every
version, newest first per item, retired ones marked) and ``POST /outcome-items`` (define
one), through `outcomes.items`' access and actions. Errors are ``field: rule``."""

from datetime import datetime

from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from mesochart.lib.requests import ClinicRequest
from mesochart.outcomes import items

router = Router(tags=["outcomes"])


class ClinicItemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    slug: str = Field(description="lower-case letters, digits or _; the code is pro.<slug>")
    question: str = Field(description="the words the patient reads")
    response: str = Field(description="scale (0..maximum) or levels")
    better: str = Field(description="lower, higher or none")
    maximum: int | None = None
    low_anchor: str = ""
    high_anchor: str = ""
    levels: list[str] = []


class ClinicItemOut(Schema):
    id: int
    code: str
    slug: str
    version: int
    question: str
    response: str
    better: str
    maximum: int | None
    low_anchor: str
    high_anchor: str
    levels: list[str]
    supersedes: int | None = Field(alias="supersedes_id")
    retired_at: datetime | None
    created_at: datetime


@router.get("/outcome-items", response=list[ClinicItemOut])
def list_items(request: ClinicRequest):
    return list(items.items_for(request.membership).order_by("slug", "-version"))


@router.post("/outcome-items", response={201: ClinicItemOut})
def create_item(request: ClinicRequest, payload: ClinicItemIn):
    row = items.define_item(request.actor, payload.dict())
    return Status(201, row)
