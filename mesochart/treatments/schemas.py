"""What the sessions' API answers (`treatments/api.py`): a session with its products, its
reconciliation (`reconcile.ReconciliationOut`), its checklist while a draft and its
amendments; a scanned lot; a lot's recall. Each field as `api.session_out` and
`recall.as_dicts` write it, so the OpenAPI document describes every answer (issue 13)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from mesochart.treatments.reconcile import ReconciliationOut


class SessionRegionOut(Schema):
    """A region's points administered, as `forms.clean_regions` keeps them (cm, mm, mL)."""

    view: str
    region: str
    spacing_cm: float | None = None
    depth_mm: float | None = None
    volume_ml: float | None = None
    points: list[list[float | None]] = Field(
        default_factory=list, description="[x_cm, y_cm] or [x_cm, y_cm, depth_mm, volume_ml]"
    )


class SessionProductOut(Schema):
    product: str
    lot: int
    lot_number: str
    expires_on: date
    volume_drawn_ml: Decimal
    volume_wasted_ml: Decimal


class ChecklistItemOut(Schema):
    key: str
    ok: bool
    kind: Literal["block", "relative"]
    message: str
    acknowledged: str = Field(description="The written reason a relative item was accepted")


class ChecklistOut(Schema):
    ready: bool
    items: list[ChecklistItemOut]


class AmendmentOut(Schema):
    kind: Literal["addendum", "correction"]
    text: str
    reason: str
    changes: dict[str, Any] | None = Field(description='A correction\'s {field: {"from", "to"}}')
    by: int
    at: datetime


class SessionOut(Schema):
    id: int
    patient: int
    plan: int
    plan_session: int | None = Field(description="The index in the plan's series; None: ad hoc")
    status: Literal["draft", "signed", "voided"]
    version: int
    practitioner: int
    started_at: datetime
    performed_at: datetime | None = Field(description="When it was performed (a late entry)")
    entered_at: datetime
    late_entry: bool
    late_entry_reason: str
    technique: str
    needle_gauge: int | None
    needle_length_mm: Decimal | None
    depth_mm: Decimal | None
    areas: list[str]
    regions: list[SessionRegionOut]
    anaesthesia: str
    notes: str
    aftercare: str
    acknowledgements: dict[str, str] = Field(description="{checklist item key: reason}")
    signed_at: datetime | None
    signed_by: int | None
    content_hash: str = Field(description="SHA-256 of the signed content; empty for a draft")
    deviation: bool
    deviation_findings: list[str]
    deviation_justification: str
    products: list[SessionProductOut]
    reconciliation: list[ReconciliationOut]
    checklist: ChecklistOut | None = Field(description="The pre-flight checklist of a draft")
    amendments: list[AmendmentOut]
    effective: dict[str, Any] | None = Field(
        description="The record as its corrections make it read, field by field"
    )


class ScanOut(Schema):
    """The clinic's in-stock lot a GS1 code names."""

    gtin: str
    lot_number: str
    expires_on: date | None
    lot: int
    product: str
    on_hand_ml: Decimal


class RecallRowOut(Schema):
    """One lot use in a signed session, with the patient's contact details as they are now."""

    patient_id: int
    record_number: str
    patient: str
    date_of_birth: date
    phone: str
    email: str
    address: str
    clinic: str
    session_id: int
    session_date: date
    areas: str
    product: str
    lot_number: str
    expires_on: date
    volume_administered_ml: Decimal
    volume_wasted_ml: Decimal
    practitioner: str
    corrected_from: str = Field(description="What a lot correction replaced; empty: as signed")


class RecallOut(Schema):
    lot_number: str
    count: int
    rows: list[RecallRowOut]
