"""Treatment sessions over the JSON API: start, draft, sign, amend, void, scan, recall.

Mounted at the API root before planning's router (``/api/v1/sessions/{id}``,
``/api/v1/plans/{id}/sessions``, ``/api/v1/lots/{lot}/recall``). Every endpoint goes through
``treatments.access`` / ``planning.access`` and writes through ``treatments.actions``.
"""

import re
from typing import Any

from django.http import HttpResponse
from ninja import Field, Router, Schema, Status

from mesochart.accounts.reauth import reauthenticate
from mesochart.formulary.models import Lot
from mesochart.lib.requests import ClinicRequest
from mesochart.planning.access import get_plan
from mesochart.treatments import actions, recall
from mesochart.treatments.access import get_session, require
from mesochart.treatments.barcodes import match_lot, parse_gs1
from mesochart.treatments.models import SessionStatus
from mesochart.treatments.reconcile import reconciliation_out
from mesochart.treatments.schemas import RecallOut, ScanOut, SessionOut

router = Router(tags=["treatments"])


class StartIn(Schema):
    ad_hoc: bool = False
    practitioner: int | None = None
    performed_at: str | None = Field(
        None,
        description="A late entry: when the session was really performed (ISO 8601; without "
        "an offset, the clinic's time). Not in the future, within the practice's late-entry "
        "bound, not before the plan's approval or the consent in force.",
    )
    late_entry_reason: str | None = Field(
        None, description="A late entry: why the session is recorded after the fact."
    )


class DraftIn(Schema):
    version: int = Field(description="The version you read; a change made since is refused.")
    technique: str | None = None
    needle_gauge: int | None = None
    needle_length_mm: str | None = None
    depth_mm: str | None = None
    anaesthesia: str | None = None
    notes: str | None = None
    aftercare: str | None = None
    regions: list[dict[str, Any]] | None = None
    products: list[dict[str, Any]] | None = None
    acknowledgements: dict[str, str] | None = None


class SessionSignIn(Schema):
    # Signing proves who signs again: the password, or the authenticator's current code.
    password: str
    version: int | None = None
    acknowledgements: dict[str, str] | None = None
    deviation: str | None = Field(
        None,
        description="To sign what differs from the plan (the dose engine's or the placement's "
        "findings): the written justification. Never signs past the readiness gate or a lot.",
    )


class AmendIn(Schema):
    kind: str
    text: str
    reason: str = ""
    changes: dict[str, Any] | None = None


class SessionVoidIn(Schema):
    reason: str


def session_out(session) -> dict:
    """A session as the API answers it (`schemas.SessionOut`)."""
    products = list(session.products.select_related("lot", "product"))
    checklist = actions.checklist(session) if session.status == SessionStatus.DRAFT else None
    amendments = list(session.amendments.select_related("by"))
    return {
        "id": session.pk,
        "patient": session.patient_id,
        "plan": session.plan_id,
        "plan_session": session.plan_session.index if session.plan_session_id else None,
        "status": session.status,
        "version": session.version,
        "practitioner": session.practitioner_id,
        "started_at": session.started_at,
        # When it was performed, entered and signed: a late entry's differ.
        "performed_at": session.performed_at,
        "entered_at": session.created_at,
        "late_entry": session.is_late_entry,
        "late_entry_reason": session.late_entry_reason,
        "technique": session.technique,
        "needle_gauge": session.needle_gauge,
        "needle_length_mm": session.needle_length_mm,
        "depth_mm": session.depth_mm,
        "areas": session.areas,
        "regions": session.regions,
        "anaesthesia": session.anaesthesia,
        "notes": session.notes,
        "aftercare": session.aftercare,
        "acknowledgements": session.acknowledgements,
        "signed_at": session.signed_at,
        "signed_by": session.signed_by_id,
        "content_hash": session.content_hash,
        "deviation": session.is_deviation,
        "deviation_findings": session.deviation_findings,
        "deviation_justification": session.deviation_justification,
        "products": [
            {
                "product": row.product.slug,
                "lot": row.lot_id,
                "lot_number": row.lot.lot_number,
                "expires_on": row.lot.expires_on,
                "volume_drawn_ml": row.volume_drawn_ml,
                "volume_wasted_ml": row.volume_wasted_ml,
            }
            for row in products
        ],
        "reconciliation": reconciliation_out(session, products),
        "checklist": None
        if checklist is None
        else {
            "ready": checklist.ready,
            "items": [
                {
                    "key": i.key,
                    "ok": i.ok,
                    "kind": i.kind,
                    "message": i.message,
                    "acknowledged": i.acknowledged,
                }
                for i in checklist
            ],
        },
        "amendments": [
            {
                "kind": a.kind,
                "text": a.text,
                "reason": a.reason,
                "changes": a.changes,
                "by": a.by_id,
                "at": a.at,
            }
            for a in amendments
        ],
        "effective": actions.effective(session, amendments) if amendments else None,
    }


@router.post("/plans/{int:plan_id}/sessions", response={201: SessionOut})
def start_session(request: ClinicRequest, plan_id: int, payload: StartIn):
    require(request.membership, "session.record")
    plan = get_plan(request.membership, plan_id)
    session = actions.start_session(request.actor, plan, payload.dict())
    return Status(201, session_out(session))


@router.get("/sessions/{int:session_id}", response=SessionOut)
def read_session(request: ClinicRequest, session_id: int):
    session = get_session(request.membership, session_id)
    actions.record_session_view(request.actor, session)
    return session_out(session)


@router.patch("/sessions/{int:session_id}", response=SessionOut)
def save_draft(request: ClinicRequest, session_id: int, payload: DraftIn):
    session = get_session(request.membership, session_id, "session.record")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    session = actions.save_draft(request.actor, session, data, version=version)
    return session_out(session)


@router.post("/sessions/{int:session_id}/sign", response=SessionOut)
def sign_session(request: ClinicRequest, session_id: int, payload: SessionSignIn):
    session = get_session(request.membership, session_id, "session.sign")
    proof = reauthenticate(request.actor, payload.password, purpose="signing")
    session = actions.sign_session(
        request.actor,
        session,
        version=payload.version,
        acknowledgements=payload.acknowledgements,
        reauthentication=proof,
        deviation=payload.deviation,
    )
    return session_out(session)


@router.post("/sessions/{int:session_id}/amendments", response={201: SessionOut})
def amend_session(request: ClinicRequest, session_id: int, payload: AmendIn):
    session = get_session(request.membership, session_id, "session.record")
    actions.amend_session(request.actor, session, payload.dict())
    return Status(201, session_out(session))


@router.post("/sessions/{int:session_id}/void", response=SessionOut)
def void_session(request: ClinicRequest, session_id: int, payload: SessionVoidIn):
    session = get_session(request.membership, session_id, "session.record")
    return session_out(actions.void_session(request.actor, session, reason=payload.reason))


@router.get("/lots/scan", response=ScanOut)
def scan_lot(request: ClinicRequest, code: str):
    """The clinic's in-stock lot a scanned GS1 code names."""
    require(request.membership, "session.record")
    scan = parse_gs1(code)
    lots = Lot.objects.in_clinic(request.membership.clinic).with_on_hand()
    lot = match_lot(lots.select_related("product"), scan)
    return {
        "gtin": scan.gtin,
        "lot_number": scan.lot_number,
        "expires_on": scan.expires_on,
        "lot": lot.pk,
        "product": lot.product.slug,
        "on_hand_ml": lot.on_hand_ml,
    }


@router.get(
    "/lots/{lot_number}/recall",
    response=RecallOut,
    openapi_extra={"responses": {200: {"content": {"text/csv": {}}}}},
)
def recall_lot(request: ClinicRequest, lot_number: str, format: str = "json"):
    """Every patient and signed session that received the lot, across the organisation."""
    fmt = "csv" if format == "csv" else "json"
    rows = recall.run_recall(request.actor, lot_number, fmt)
    if fmt == "csv":
        response = HttpResponse(recall.as_csv(rows), content_type="text/csv")
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", lot_number)[:64]  # typed by staff
        response["Content-Disposition"] = f'attachment; filename="recall-{safe}.csv"'
        return response
    return {"lot_number": lot_number, "count": len(rows), "rows": recall.as_dicts(rows)}
