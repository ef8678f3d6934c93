"""Adverse events and the patient timeline over the JSON API.

Mounted at the API root before the patients router (whose ``/patients/{id}/{kind}`` would
otherwise take ``/patients/{id}/adverse-events`` and ``/patients/{id}/timeline``). The same
access functions, permissions and writes as the pages (``views_events``, the timeline view):
``events.record_event`` validates and audits a new event, ``events.follow_up`` records how
it evolved (PATCH: only the evolving fields, from the version read), ``events.report_csv``
builds and audits the MedWatch export, ``timeline.timeline`` builds the entries. Opening a
patient's events or timeline is audited as a read of the chart (``patients.actions.record_view``).
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict, WithJsonSchema

from mesochart.lib.requests import ClinicRequest
from mesochart.patients.access import get_patient
from mesochart.patients.actions import record_view
from mesochart.treatments import events
from mesochart.treatments.access import events_for, get_event
from mesochart.treatments.models import (
    AdverseEvent,
    Causality,
    EventOutcome,
    EventSeverity,
    EventType,
    Seriousness,
)
from mesochart.treatments.timeline import timeline

router = Router(tags=["adverse events and timeline"])


def _one_of(choices) -> WithJsonSchema:
    """A string the form checks against ``choices``: the schema only documents them, so a
    wrong value is refused with the form's rule ("must be one of the listed choices"), as on
    the page."""
    return WithJsonSchema({"type": "string", "enum": list(choices.values)})


EventTypeValue = Annotated[str, _one_of(EventType)]
SeverityValue = Annotated[str, _one_of(EventSeverity)]
SeriousnessValue = Annotated[str, _one_of(Seriousness)]
CausalityValue = Annotated[str, _one_of(Causality)]
OutcomeValue = Annotated[str, _one_of(EventOutcome)]


class AdverseEventIn(Schema):
    """A new adverse event. What is required and what each value may be is the form's rule
    (``treatments.forms.AdverseEventForm``); unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")

    event_type: EventTypeValue | None = Field(None, description="Required")
    severity: SeverityValue | None = Field(None, description="Required")
    seriousness: list[SeriousnessValue] | None = Field(
        None, description="MedWatch 3500 B2 outcomes; empty or omitted: not serious"
    )
    onset_on: date | None = Field(None, description="Required; not after today at the clinic")
    causality: CausalityValue | None = Field(None, description="Required (WHO-UMC)")
    outcome: OutcomeValue | None = Field(None, description="Required")
    description: str | None = None
    actions_taken: str | None = None
    follow_up_dates: list[date] | None = None
    session: int | None = Field(None, description="One of the patient's sessions here")
    lots: list[int] | None = Field(
        None, description="Lots of this clinic; omitted: the linked session's lots"
    )
    products: list[str] | None = Field(
        None, description="Slugs of suspect products whose lot is not known"
    )


class SuspectsIn(Schema):
    """Link or correct the event's session, lots and products later: an amendment that keeps
    what was first reported in the event's updates. The lists are the full new lists."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(description="The event's version as read; a stale one is refused")
    session: int | None = Field(
        None, description="One of the patient's sessions here; omitted: none"
    )
    lots: list[int] | None = Field(None, description="Omitted: the linked session's lots")
    products: list[str] | None = Field(None, description="Slugs; suspect products, lot unknown")
    reason: str = Field(description="Why the link is added or corrected")


class FollowUpIn(Schema):
    """A follow-up: what evolved since the version read. Lists replace the event's lists.
    The type, onset, severity, description, session and lots are what was reported and are
    refused here as unknown fields."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(description="The event's version as read; a stale one is refused")
    outcome: OutcomeValue | None = None
    causality: CausalityValue | None = Field(None, description="Re-assessed (WHO-UMC)")
    seriousness: list[SeriousnessValue] | None = Field(
        None, description="MedWatch 3500 B2 outcomes, the full list: an event may become serious"
    )
    actions_taken: str | None = None
    follow_up_dates: list[date] | None = Field(None, description="The full list")
    note: str | None = None


class EventLotOut(Schema):
    id: int
    product: str = Field(description="Product slug")
    product_name: str
    lot_number: str
    expires_on: date


class FollowUpOut(Schema):
    id: int
    by: int
    at: datetime
    changes: dict[str, dict[str, Any]] = Field(description='{field: {"from", "to"}}')
    note: str


class AdverseEventOut(Schema):
    id: int
    patient: int
    session: int | None
    event_type: str
    severity: str
    seriousness: list[str]
    serious: bool
    onset_on: date
    causality: str
    outcome: str
    description: str
    actions_taken: str
    follow_up_dates: list[date]
    lots: list[EventLotOut]
    products: list[str] = Field(description="Slugs of suspect products whose lot is not known")
    recorded_by: int
    recorded_at: datetime
    version: int
    updates: list[FollowUpOut] = Field(description="Follow-ups, oldest first")


class TimelineEntryOut(Schema):
    at: datetime
    kind: Literal[
        "plan",
        "session",
        "amendment",
        "adverse_event",
        "follow_up",
        "screening",
        "consent",
        "photos",
    ]
    title: str
    status: str
    detail: str
    url: str = Field(description="The entry's page, if it has one")
    lines: list[str]
    deviation: bool = Field(
        False, description="A session signed as a deviation from its plan, with a justification"
    )
    late_entry: bool = Field(
        False,
        description="A session recorded after the fact: ``at`` is when it was performed; the "
        "detail says when it was entered and signed",
    )


# What every read of events prefetches: a list costs three queries, not three per event.
RELATED = ("lots__product", "products", "updates")


def _event_out(event: AdverseEvent) -> AdverseEventOut:
    return AdverseEventOut(
        id=event.pk,
        patient=event.patient_id,
        session=event.session_id,
        event_type=event.event_type,
        severity=event.severity,
        seriousness=event.seriousness,
        serious=event.serious,
        onset_on=event.onset_on,
        causality=event.causality,
        outcome=event.outcome,
        description=event.description,
        actions_taken=event.actions_taken,
        follow_up_dates=event.follow_up_dates,
        lots=[
            EventLotOut(
                id=lot.pk,
                product=lot.product.slug,
                product_name=lot.product.name,
                lot_number=lot.lot_number,
                expires_on=lot.expires_on,
            )
            for lot in event.lots.all()
        ],
        products=[product.slug for product in event.products.all()],
        recorded_by=event.recorded_by_id,
        recorded_at=event.recorded_at,
        version=event.version,
        updates=[
            FollowUpOut(
                id=update.pk,
                by=update.by_id,
                at=update.at,
                changes=update.changes,
                note=update.note,
            )
            for update in event.updates.all()
        ],
    )


def _form_data(payload: AdverseEventIn | FollowUpIn | SuspectsIn) -> dict:
    """The payload as the form reads it: what was sent, follow-up dates as the page's text."""
    data = payload.model_dump(exclude_unset=True, exclude_none=True)
    if "follow_up_dates" in data:
        data["follow_up_dates"] = ", ".join(d.isoformat() for d in data["follow_up_dates"])
    return data


@router.get("/patients/{int:patient_id}/adverse-events", response=list[AdverseEventOut])
def list_events(request: ClinicRequest, patient_id: int):
    """The patient's adverse events here, latest onset first."""
    patient = get_patient(request.membership, patient_id, "session.view")
    found = events_for(request.membership).filter(patient=patient).prefetch_related(*RELATED)
    record_view(request.actor, patient, clinical=True)
    return [_event_out(event) for event in found]


@router.post("/patients/{int:patient_id}/adverse-events", response={201: AdverseEventOut})
def record_event(request: ClinicRequest, patient_id: int, payload: AdverseEventIn):
    patient = get_patient(request.membership, patient_id, "adverse.record")
    event = events.record_event(request.actor, patient, _form_data(payload))
    prefetch_related_objects([event], *RELATED)
    return Status(201, _event_out(event))


@router.get("/adverse-events/{int:event_id}", response=AdverseEventOut)
def read_event(request: ClinicRequest, event_id: int):
    event = get_event(request.membership, event_id)
    prefetch_related_objects([event], *RELATED)
    record_view(request.actor, event.patient, clinical=True)
    return _event_out(event)


@router.patch("/adverse-events/{int:event_id}", response=AdverseEventOut)
def follow_up(request: ClinicRequest, event_id: int, payload: FollowUpIn):
    """Record how the event evolved (outcome, actions, follow-up dates, causality,
    seriousness, a note); the answer has the event as it now reads and its follow-ups."""
    event = get_event(request.membership, event_id, "adverse.record")
    event = events.follow_up(request.actor, event, _form_data(payload))
    prefetch_related_objects([event], *RELATED)
    return Status(200, _event_out(event))


@router.post("/adverse-events/{int:event_id}/suspects", response=AdverseEventOut)
def amend_suspects(request: ClinicRequest, event_id: int, payload: SuspectsIn):
    """Link or correct the session, lots and products of the event (an amendment with a
    reason; the first report stays in ``updates``); the answer is the event as it now reads."""
    event = get_event(request.membership, event_id, "adverse.record")
    event = events.amend_suspects(request.actor, event, _form_data(payload))
    prefetch_related_objects([event], *RELATED)
    return Status(200, _event_out(event))


@router.get(
    "/adverse-events/{int:event_id}/report.csv",
    openapi_extra={
        "responses": {
            200: {
                "description": "The MedWatch 3500 fields pre-filled: section, field, value",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def report_csv(request: ClinicRequest, event_id: int):
    """The regulator's report as the page exports it; the export is audited."""
    event = get_event(request.membership, event_id)
    response = HttpResponse(events.report_csv(request.actor, event), "text/csv")
    response["Content-Disposition"] = f'attachment; filename="adverse-event-{event.pk}.csv"'
    return response


@router.get("/patients/{int:patient_id}/timeline", response=list[TimelineEntryOut])
def patient_timeline(request: ClinicRequest, patient_id: int):
    """The entries of the timeline page, newest first, in a fixed number of queries."""
    patient = get_patient(request.membership, patient_id, "session.view")
    entries = timeline(patient)
    record_view(request.actor, patient, clinical=True)
    return entries
